package dev.gadget.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gadget.bpf.RequiresBpf;
import dev.gadget.gadgets.model.RowView;
import dev.gadget.gadgets.model.RunMessage;
import dev.gadget.gadgets.testing.ContainerdTestbed;
import dev.gadget.gadgets.testing.ContainerdTestbed.TestContainer;
import dev.gadget.gadgets.testing.Programs;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running session's selection changes as the kubectl plugin changes it (PUT /v1/runs/{id}/containers
 * with the ids of the matching pods' containers): the kernel's filter follows, on real containerd
 * containers in kubelet-style cgroups.
 */
@ExtendWith(RequiresBpf.class)
class SelectionChangeTest {
    private static ContainerdTestbed testbed;
    private static TestContainer alpha;
    private static TestContainer beta;
    private static TestDaemon daemon;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        testbed = ContainerdTestbed.start();
        alpha = testbed.run("alpha", "alpha-pod", "team-a");
        beta = testbed.run("beta", "beta-pod", "team-b");
        daemon = TestDaemon.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
        if (testbed != null) {
            testbed.close();
        }
    }

    @Test
    void changingTheSelectionToAContainersIdMakesItsExecsAppearAndOthersNot() throws Exception {
        try (RunStream run = daemon.client.run("trace", "exec", Map.of(),
                "{\"category\":\"trace\",\"name\":\"exec\",\"containers\":{\"type\":\"ids\",\"containerIds\":[]}}")) {
            String none = marker();
            everywhere(none);

            select(run, "{\"type\":\"ids\",\"containerIds\":[\"containerd://" + alpha.id() + "\"]}");
            String first = marker();
            everywhere(first); // beta, the host, then alpha: alpha's event comes after any the others could have made
            RowView inAlpha = run.awaitEvent(e -> e.strings("args").equals(List.of("/bin/echo", first)));
            assertEquals(List.of("alpha", "alpha-pod", "team-a", alpha.id()), List.of(inAlpha.string("runtime.containerName"),
                    inAlpha.string("k8s.podName"), inAlpha.string("k8s.namespace"), inAlpha.string("runtime.containerId")));

            select(run, "{\"type\":\"ids\",\"containerIds\":[\"" + beta.id() + "\"]}");
            String second = marker();
            testbed.exec(alpha, "/bin/echo", second);
            testbed.exec(beta, "/bin/echo", second);
            RowView inBeta = run.awaitEvent(e -> e.strings("args").equals(List.of("/bin/echo", second)));
            assertEquals("beta", inBeta.string("runtime.containerName"));

            select(run, "{\"type\":\"named\",\"names\":[\"alpha\",\"gamma\"]}");
            run.awaitMessage(m -> m.equals(new RunMessage.Notice(RunMessage.Notice.Level.WARNING,
                    "no container named 'gamma' yet: waiting for it")));
            String third = marker();
            testbed.exec(beta, "/bin/echo", third);
            testbed.exec(alpha, "/bin/echo", third);
            assertEquals("alpha", run.awaitEvent(e -> e.strings("args").equals(List.of("/bin/echo", third)))
                    .string("runtime.containerName"));

            List<String> seen = run.events().stream().filter(e -> e.strings("args").size() >= 2
                    && List.of(none, first, second, third).contains(e.strings("args").get(1)))
                    .map(e -> e.strings("args").get(1) + " in " + e.string("runtime.containerName")).toList();
            assertEquals(List.of(first + " in alpha", second + " in beta", third + " in alpha"), seen,
                    "each exec only while its container was selected");
        }
    }

    private static void select(RunStream run, String selection) throws Exception {
        ApiClient.Response response = daemon.client.send("PUT", "/v1/runs/" + run.session + "/containers", selection);
        assertEquals(200, response.status(), response.body());
    }

    /** Execs {@code /bin/echo marker} in beta, on the host, then in alpha. */
    private void everywhere(String marker) throws Exception {
        testbed.exec(beta, "/bin/echo", marker);
        Programs.run(dir, List.of("/bin/echo", marker));
        testbed.exec(alpha, "/bin/echo", marker);
    }

    private static String marker() {
        return "sel-" + UUID.randomUUID();
    }
}
