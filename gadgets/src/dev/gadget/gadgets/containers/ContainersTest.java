package dev.gadget.gadgets.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gadget.bpf.RequiresBpf;
import dev.gadget.gadgets.model.ContainerSelection;
import dev.gadget.gadgets.model.ParamValues;
import dev.gadget.gadgets.model.RowView;
import dev.gadget.gadgets.model.RunMessage;
import dev.gadget.gadgets.runner.Run;
import dev.gadget.gadgets.runner.Runs;
import dev.gadget.gadgets.testing.ContainerdTestbed;
import dev.gadget.gadgets.testing.ContainerdTestbed.TestContainer;
import dev.gadget.gadgets.testing.Programs;
import dev.gadget.gadgets.testing.GadgetRecorder;
import dev.gadget.gadgets.trace.exec.TraceExec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Containers on a real containerd, in kubelet-style cgroups, seen through trace exec. The testbed keeps
 * containerd's state in a scratch directory, so naming them also proves the state is found through
 * the running shims rather than at a fixed path.
 */
@ExtendWith(RequiresBpf.class)
class ContainersTest {
    private static final TraceExec EXEC = new TraceExec();

    private static ContainerdTestbed testbed;
    private static ContainerRegistry registry;
    private static TestContainer alpha;
    private static TestContainer beta;
    private static int markers;

    @TempDir
    Path dir;

    @BeforeAll
    static void startContainers() throws Exception {
        testbed = ContainerdTestbed.start();
        alpha = testbed.run("alpha", "alpha-pod", "team-a");
        beta = testbed.run("beta", "beta-pod", "team-b");
        registry = ContainerRegistry.start(HostRoot.SELF);
    }

    @AfterAll
    static void stopContainers() throws Exception {
        if (registry != null) {
            registry.close();
        }
        if (testbed != null) {
            testbed.close();
        }
    }

    @Test
    void anExecInAContainerNamesItsContainerPodNamespaceAndImageAndAHostExecNone() throws Exception {
        String marker = marker();
        try (GadgetRecorder trace = new GadgetRecorder(EXEC, Map.of(), registry,
                ContainerSelection.EVERYTHING)) {
            testbed.exec(alpha, "/bin/echo", marker);
            Programs.run(dir, List.of("/bin/echo", marker, "on the host"));

            RowView inAlpha = trace.awaitEvent(e -> e.strings("args").equals(List.of("/bin/echo", marker)));
            assertEquals(fields(alpha), containerOf(inAlpha));
            RowView onHost = trace.awaitEvent(e -> e.strings("args").equals(List.of("/bin/echo", marker, "on the host")));
            assertEquals(HOST, containerOf(onHost));
        }
    }

    @Test
    void aContainerWhoseProcessCgroupAndStateAreGoneIsStillNamed() throws Exception {
        String marker = marker();
        List<RowView> events = new ArrayList<>();
        ParamValues values = EXEC.description().parseParams(Map.of());
        try (Run run = Runs.start(EXEC, values, ContainerSelection.EVERYTHING, registry, message -> {
            switch (message) {
                case RunMessage.Event event -> events.add(new RowView(EXEC.description().fieldsFor(values), event.values()));
                case RunMessage.Lost lost -> throw new AssertionError(lost.count() + " events lost");
                default -> {
                }
            }
        })) {
            TestContainer brief = testbed.runToCompletion("brief", "brief-pod", "team-c", "/bin/echo", marker);
            assertFalse(Files.exists(Path.of("/sys/fs/cgroup/unified", brief.cgroup())), "the cgroup is gone");

            // Only now are the records read and decoded: nothing of the container is left to look at.
            run.run(Duration.ofSeconds(1));
            RowView echo = events.stream().filter(e -> e.strings("args").equals(List.of("/bin/echo", marker)))
                    .findFirst().orElseThrow();
            assertEquals(fields(brief), containerOf(echo));
        }
    }

    @Test
    void aNamedFilterLetsOnlyThatContainersEventsIntoTheRing() throws Exception {
        String marker = marker();
        try (GadgetRecorder trace = new GadgetRecorder(EXEC, Map.of(), registry,
                new ContainerSelection.Named(Set.of("alpha")))) {
            long filteredBefore = filteredInKernel(trace);
            testbed.exec(beta, "/bin/echo", marker, "beta");
            Programs.run(dir, List.of("/bin/echo", marker, "host"));
            testbed.exec(alpha, "/bin/echo", marker, "alpha");
            assertTrue(filteredInKernel(trace) >= filteredBefore + 2, "beta's and the host's execs were "
                    + "dropped by the kernel: " + filteredBefore + " then " + filteredInKernel(trace));

            // Ring order follows the execs: had beta's or the host's exec been let through, it would be here.
            trace.awaitEvent(e -> e.strings("args").equals(List.of("/bin/echo", marker, "alpha")));
            assertFalse(trace.events().isEmpty());
            for (RowView event : trace.events()) {
                assertEquals(fields(alpha), containerOf(event),
                        "every record the ring delivered is alpha's: " + event.strings("args"));
            }
        }
    }

    @Test
    void hostOnlyLeavesEveryContainerOut() throws Exception {
        String marker = marker();
        try (GadgetRecorder trace = new GadgetRecorder(EXEC, Map.of(), registry,
                new ContainerSelection.HostOnly())) {
            long filteredBefore = filteredInKernel(trace);
            testbed.exec(alpha, "/bin/echo", marker, "alpha");
            testbed.exec(beta, "/bin/echo", marker, "beta");
            Programs.run(dir, List.of("/bin/echo", marker, "host"));
            assertTrue(filteredInKernel(trace) >= filteredBefore + 2, "the containers' execs were dropped");

            trace.awaitEvent(e -> e.strings("args").equals(List.of("/bin/echo", marker, "host")));
            for (RowView event : trace.events()) {
                assertEquals(HOST, containerOf(event), "no container event: " + event.strings("args"));
            }
        }
    }

    @Test
    void aContainerStartedAfterTheTraceBeganIsTracedFromItsFirstProcess() throws Exception {
        String marker = marker();
        try (GadgetRecorder trace = new GadgetRecorder(EXEC, Map.of(), registry,
                new ContainerSelection.Named(Set.of("late")))) {
            TestContainer late = testbed.run("late", "late-pod", "team-d");
            try {
                RowView entrypoint = trace.awaitEvent(e -> e.strings("args").equals(List.of("sh", "-c", "sleep 3600")));
                assertEquals(fields(late), containerOf(entrypoint));

                testbed.exec(late, "/bin/echo", marker);
                RowView echo = trace.awaitEvent(e -> e.strings("args").equals(List.of("/bin/echo", marker)));
                assertEquals(fields(late), containerOf(echo));
            } finally {
                testbed.stop(late);
            }
        }
    }

    @Test
    void aContainerCgroupWithoutRuntimeStateStillGivesItsRuntimeAndId() throws Exception {
        String id = "%064x".formatted(ProcessHandle.current().pid()).replace(' ', '0');
        Path cgroup = Path.of("/sys/fs/cgroup/unified/kubepods.slice/cri-containerd-" + id + ".scope");
        Files.createDirectories(cgroup);
        String marker = marker();
        try (GadgetRecorder trace = new GadgetRecorder(EXEC, Map.of(), registry,
                ContainerSelection.EVERYTHING)) {
            Programs.run(dir, List.of("sh", "-c", "echo $$ > " + cgroup.resolve("cgroup.procs") + " && exec /bin/echo "
                    + marker));

            RowView echo = trace.awaitEvent(e -> e.strings("args").equals(List.of("/bin/echo", marker)));
            assertEquals(containerFields("containerd", id, "", "", "", "", ""), containerOf(echo));
        } finally {
            Files.delete(cgroup);
            cgroup.getParent().toFile().delete(); // kubepods.slice, unless the testbed's pods still use it
        }
    }

    @Test
    void cgroupsOfRunningContainersAreKnownFromTheStart() {
        Set<Container> known = new HashSet<>();
        ContainerRegistry.Listener listener = new ContainerRegistry.Listener() {
            @Override
            public void added(long cgroupId, Container container) {
                known.add(container);
            }

            @Override
            public void removed(long cgroupId, Container container) {
                known.remove(container);
            }
        };
        registry.addListener(listener);
        registry.removeListener(listener);
        assertTrue(known.containsAll(Set.of(container(alpha), container(beta))), known.toString());
    }

    private static Container container(TestContainer c) {
        return new Container(ContainerRuntime.CONTAINERD, c.id(), c.name(), ContainerdTestbed.IMAGE, c.podName(),
                c.namespace(), c.podUid());
    }

    private static final Map<String, String> HOST = containerFields("", "", "", "", "", "", "");

    /** What events of a test container carry in their container fields. */
    private static Map<String, String> fields(TestContainer c) {
        return containerFields("containerd", c.id(), c.name(), ContainerdTestbed.IMAGE, c.namespace(), c.podName(),
                c.name());
    }

    private static Map<String, String> containerFields(String runtime, String id, String name, String image,
            String namespace, String pod, String podContainer) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("runtime.runtimeName", runtime);
        fields.put("runtime.containerId", id);
        fields.put("runtime.containerName", name);
        fields.put("runtime.containerImageName", image);
        fields.put("k8s.namespace", namespace);
        fields.put("k8s.podName", pod);
        fields.put("k8s.containerName", podContainer);
        return fields;
    }

    private static Map<String, String> containerOf(RowView event) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String name : HOST.keySet()) {
            fields.put(name, event.string(name));
        }
        return fields;
    }

    private static long filteredInKernel(GadgetRecorder trace) {
        return trace.run().filteredInKernel();
    }

    private static String marker() {
        return "gt-marker-" + ProcessHandle.current().pid() + "-" + ++markers;
    }
}
