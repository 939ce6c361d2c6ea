package dev.gadget.gadgets.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gadget.bpf.RequiresBpf;
import dev.gadget.gadgets.EventSink;
import dev.gadget.gadgets.ParamValues;
import dev.gadget.gadgets.TraceSession;
import dev.gadget.gadgets.testing.ContainerdTestbed;
import dev.gadget.gadgets.testing.ContainerdTestbed.TestContainer;
import dev.gadget.gadgets.testing.Programs;
import dev.gadget.gadgets.testing.TraceRecorder;
import dev.gadget.gadgets.trace.exec.ExecEvent;
import dev.gadget.gadgets.trace.exec.TraceExec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
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
        try (TraceRecorder<ExecEvent> trace = new TraceRecorder<>(EXEC, ParamValues.NONE, registry,
                ContainerSelection.EVERYTHING)) {
            testbed.exec(alpha, "/bin/echo", marker);
            Programs.run(dir, List.of("/bin/echo", marker, "on the host"));

            ExecEvent inAlpha = trace.await(e -> e.args().equals(List.of("/bin/echo", marker)));
            assertEquals(Optional.of(container(alpha)), inAlpha.header().container());
            ExecEvent onHost = trace.await(e -> e.args().equals(List.of("/bin/echo", marker, "on the host")));
            assertEquals(Optional.empty(), onHost.header().container());
        }
    }

    @Test
    void aContainerWhoseProcessCgroupAndStateAreGoneIsStillNamed() throws Exception {
        String marker = marker();
        List<ExecEvent> events = new ArrayList<>();
        try (TraceSession<ExecEvent> session = TraceSession.start(EXEC, ParamValues.NONE, registry,
                ContainerSelection.EVERYTHING)) {
            TestContainer brief = testbed.runToCompletion("brief", "brief-pod", "team-c", "/bin/echo", marker);
            assertFalse(Files.exists(Path.of("/sys/fs/cgroup/unified", brief.cgroup())), "the cgroup is gone");

            // Only now are the records read and decoded: nothing of the container is left to look at.
            session.run(collect(events), Duration.ofSeconds(1));
            ExecEvent echo = events.stream().filter(e -> e.args().equals(List.of("/bin/echo", marker)))
                    .findFirst().orElseThrow();
            assertEquals(Optional.of(container(brief)), echo.header().container());
        }
    }

    @Test
    void aNamedFilterLetsOnlyThatContainersEventsIntoTheRing() throws Exception {
        String marker = marker();
        try (TraceRecorder<ExecEvent> trace = new TraceRecorder<>(EXEC, ParamValues.NONE, registry,
                new ContainerSelection.Named(Set.of("alpha")))) {
            long filteredBefore = trace.filteredInKernel();
            testbed.exec(beta, "/bin/echo", marker, "beta");
            Programs.run(dir, List.of("/bin/echo", marker, "host"));
            testbed.exec(alpha, "/bin/echo", marker, "alpha");
            assertTrue(trace.filteredInKernel() >= filteredBefore + 2, "beta's and the host's execs were "
                    + "dropped by the kernel: " + filteredBefore + " then " + trace.filteredInKernel());

            // Ring order follows the execs: had beta's or the host's exec been let through, it would be here.
            trace.await(e -> e.args().equals(List.of("/bin/echo", marker, "alpha")));
            assertFalse(trace.events().isEmpty());
            for (ExecEvent event : trace.events()) {
                assertEquals(Optional.of(container(alpha)), event.header().container(),
                        "every record the ring delivered is alpha's: " + event.args());
            }
        }
    }

    @Test
    void hostOnlyLeavesEveryContainerOut() throws Exception {
        String marker = marker();
        try (TraceRecorder<ExecEvent> trace = new TraceRecorder<>(EXEC, ParamValues.NONE, registry,
                new ContainerSelection.HostOnly())) {
            long filteredBefore = trace.filteredInKernel();
            testbed.exec(alpha, "/bin/echo", marker, "alpha");
            testbed.exec(beta, "/bin/echo", marker, "beta");
            Programs.run(dir, List.of("/bin/echo", marker, "host"));
            assertTrue(trace.filteredInKernel() >= filteredBefore + 2, "the containers' execs were dropped");

            trace.await(e -> e.args().equals(List.of("/bin/echo", marker, "host")));
            for (ExecEvent event : trace.events()) {
                assertEquals(Optional.empty(), event.header().container(), "no container event: " + event.args());
            }
        }
    }

    @Test
    void aContainerStartedAfterTheTraceBeganIsTracedFromItsFirstProcess() throws Exception {
        String marker = marker();
        try (TraceRecorder<ExecEvent> trace = new TraceRecorder<>(EXEC, ParamValues.NONE, registry,
                new ContainerSelection.Named(Set.of("late")))) {
            TestContainer late = testbed.run("late", "late-pod", "team-d");
            try {
                ExecEvent entrypoint = trace.await(e -> e.args().equals(List.of("sh", "-c", "sleep 3600")));
                assertEquals(Optional.of(container(late)), entrypoint.header().container());

                testbed.exec(late, "/bin/echo", marker);
                ExecEvent echo = trace.await(e -> e.args().equals(List.of("/bin/echo", marker)));
                assertEquals(Optional.of(container(late)), echo.header().container());
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
        try (TraceRecorder<ExecEvent> trace = new TraceRecorder<>(EXEC, ParamValues.NONE, registry,
                ContainerSelection.EVERYTHING)) {
            Programs.run(dir, List.of("sh", "-c", "echo $$ > " + cgroup.resolve("cgroup.procs") + " && exec /bin/echo "
                    + marker));

            ExecEvent echo = trace.await(e -> e.args().equals(List.of("/bin/echo", marker)));
            assertEquals(Optional.of(new Container(ContainerRuntime.CONTAINERD, id, "", "", "", "", "")),
                    echo.header().container());
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

    private static EventSink<ExecEvent> collect(List<ExecEvent> events) {
        return new EventSink<>() {
            @Override
            public void onEvent(ExecEvent event) {
                events.add(event);
            }

            @Override
            public void onLost(long count) {
                throw new AssertionError(count + " events lost");
            }
        };
    }

    private static String marker() {
        return "gt-marker-" + ProcessHandle.current().pid() + "-" + ++markers;
    }
}
