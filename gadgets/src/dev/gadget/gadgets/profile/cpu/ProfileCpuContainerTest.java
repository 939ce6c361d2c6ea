package dev.gadget.gadgets.profile.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gadget.bpf.RequiresBpf;
import dev.gadget.gadgets.containers.ContainerRegistry;
import dev.gadget.gadgets.containers.HostRoot;
import dev.gadget.gadgets.model.ContainerSelection;
import dev.gadget.gadgets.model.RowView;
import dev.gadget.gadgets.testing.ContainerdTestbed;
import dev.gadget.gadgets.testing.ContainerdTestbed.TestContainer;
import dev.gadget.gadgets.testing.GadgetRecorder;
import dev.gadget.gadgets.testing.Programs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** profile cpu in a real containerd container: its samples carry its name, and -c keeps the rest out. */
@ExtendWith(RequiresBpf.class)
class ProfileCpuContainerTest {
    private static final String BUSY_LOOP = "while :; do :; done";

    private static ContainerdTestbed testbed;
    private static ContainerRegistry registry;

    @BeforeAll
    static void start() throws Exception {
        testbed = ContainerdTestbed.start();
        registry = ContainerRegistry.start(HostRoot.SELF);
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
        if (testbed != null) {
            testbed.close();
        }
    }

    /** The container's first process, from its cgroup's cgroup.procs (cgroup v2: hybrid or unified). */
    private static long firstProcessIn(TestContainer container) throws Exception {
        for (String root : List.of("/sys/fs/cgroup/unified", "/sys/fs/cgroup")) {
            Path procs = Path.of(root + container.cgroup(), "cgroup.procs");
            if (Files.exists(procs)) {
                return Long.parseLong(Files.readAllLines(procs).getFirst());
            }
        }
        throw new AssertionError("no cgroup " + container.cgroup());
    }

    @Test
    void aBusyLoopInAContainerIsAttributedToItAndTheFilterKeepsTheHostOut() throws Exception {
        TestContainer busy = testbed.run("busy", "busy-6f9c", "shop", "sh", "-c", BUSY_LOOP);
        long containerShell = firstProcessIn(busy);
        List<RowView> rows;
        long hostShell;
        try (GadgetRecorder profile = new GadgetRecorder(new ProfileCpu(), Map.of(ProfileCpu.FREQUENCY, "199"),
                registry, new ContainerSelection.Named(Set.of("busy")))) {
            Process host = new ProcessBuilder("sh", "-c", BUSY_LOOP).start();
            hostShell = host.pid();
            try {
                Programs.awaitCpuTime(containerShell, Programs.cpuTime(containerShell).plus(Duration.ofSeconds(1)));
                Programs.awaitCpuTime(hostShell, Duration.ofSeconds(1));
            } finally {
                host.destroyForcibly().waitFor();
            }
            profile.stop();
            rows = profile.tables().getFirst();
            assertTrue(profile.run().filteredInKernel() > 0, "the host's busy loop was sampled and kept out");
        } finally {
            testbed.stop(busy);
        }

        assertFalse(rows.isEmpty());
        for (RowView row : rows) {
            assertEquals("busy", row.string("runtime.containerName"), row.toString());
            assertEquals(busy.id(), row.string("runtime.containerId"));
            assertEquals("busy-6f9c", row.string("k8s.podName"));
            assertEquals("shop", row.string("k8s.namespace"));
        }
        RowView loop = rows.stream().filter(r -> r.number("pid") == containerShell).findFirst()
                .orElseThrow(() -> new AssertionError("no sample of the container's shell: " + rows));
        assertEquals("sh", loop.string("comm"));
        assertFalse(loop.strings("userStack").isEmpty(), "busybox's frames, named or not");
        assertTrue(rows.stream().noneMatch(r -> r.number("pid") == hostShell));
    }
}
