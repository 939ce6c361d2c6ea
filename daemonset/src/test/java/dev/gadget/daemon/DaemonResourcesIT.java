package dev.gadget.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gadget.bpf.RequiresBpf;
import dev.gadget.gadgets.model.RunMessage;
import dev.gadget.gadgets.testing.MemoryLimit;
import dev.gadget.gadgets.testing.Programs;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged daemon where a resource runs out: open files, Java heap, a memory cgroup, locked memory,
 * a privileged port. Each time one line names the resource and the fix, never a stack trace, and the
 * daemon goes on serving where it can.
 */
@ExtendWith(RequiresBpf.class)
class DaemonResourcesIT {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS);
    private static final String EXEC = "{\"category\":\"trace\",\"name\":\"exec\"}";
    private static final String EMFILE = "EMFILE — this process may open no more files: raise the open-files limit"
            + " (ulimit -n; for a pod, the container runtime's LimitNOFILE), at least 1024";

    @TempDir
    Path dir;

    @Test
    void tooFewFilesForASessionIsAnErrorNamingTheLimitAndTheDaemonServesOn() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess("ulimit -n 40", List.of(), "--listen", "127.0.0.1:0")) {
            ApiClient api = daemon.api();
            double heldBefore = PrometheusText.parse(api.get("/metrics").body()).value("gadget_bpf_programs");

            ApiClient.Response refused = api.send("POST", "/v1/runs", EXEC);

            assertEquals(500, refused.status(), refused.body());
            String error = JSON.readTree(refused.body()).get("error").asText();
            assertTrue(error.startsWith("starting trace exec on node it-node: ") && error.contains(EMFILE), error);
            assertEquals(200, api.get("/healthz").status());
            PrometheusText metrics = PrometheusText.parse(api.get("/metrics").body());
            assertEquals(40, metrics.value("process_max_fds"), "the limit is in the metrics");
            assertEquals(heldBefore, metrics.value("gadget_bpf_programs"), "nothing of the failed run is held");
            daemon.assertNoStackTrace();
        }
    }

    @Test
    void outOfFilesForConnectionsTheLogSaysSoAndTheDaemonAnswersOnceTheyClose() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess("ulimit -n 40", List.of(), "--listen", "127.0.0.1:0")) {
            ApiClient api = daemon.api();
            InetSocketAddress address = address(daemon);
            List<Socket> idle = new ArrayList<>();
            Pattern outOfFiles = Pattern.compile("warning: accepting a connection: EMFILE — the daemon may open no more"
                    + " files \\(its limit is 40\\): raise its open-files limit \\(ulimit -n; for a pod, the container runtime's"
                    + " LimitNOFILE\\), or end sessions; clients wait until then$");
            try {
                // Connections that send nothing: each the daemon accepts takes a descriptor, until none is left.
                while (idle.size() < 60 && daemon.stderr().stream().noneMatch(l -> outOfFiles.matcher(l).find())) {
                    Socket socket = new Socket();
                    socket.connect(address, 5000);
                    idle.add(socket);
                    Thread.sleep(20);
                }
                daemon.awaitLine(outOfFiles);
            } finally {
                for (Socket socket : idle) {
                    socket.close();
                }
            }
            assertEquals(200, api.get("/healthz").status(), "once they closed, the daemon answers again");
            daemon.assertNoStackTrace();
        }
    }

    @Test
    void aSmallHeapRunsTheSessionsWhoseQueuesFitAndSaysWhyNoMore() throws Exception {
        Path program = Programs.uniqueTrue(dir);
        Path burst = Programs.burst(dir);
        try (DaemonProcess daemon = new DaemonProcess("", List.of("-Xmx32m"), "--listen", "127.0.0.1:0")) {
            ApiClient api = daemon.api();
            Matcher warning = daemon.awaitLine(Pattern.compile("^warning: --max-sessions 16 and --client-queue-bytes 8 MiB:"
                    + " the Java heap \\(at most (\\d+) MiB\\) holds the queues of (\\d+) sessions, so no more will run at"
                    + " once: give the daemon more heap \\(a higher memory limit for its pod, or JAVA_TOOL_OPTIONS=-Xmx...\\)"
                    + " or a smaller --client-queue-bytes$"));
            int fit = Integer.parseInt(warning.group(2));
            assertEquals(Integer.parseInt(warning.group(1)) / 2 / 8, fit, "half the heap holds full queues");

            List<RawStream> stalled = new ArrayList<>();
            try {
                for (int i = 0; i < fit; i++) {
                    stalled.add(RawStream.post(address(daemon), EXEC, 4096));
                }
                awaitRuns(api, fit);
                ApiClient.Response refused = api.send("POST", "/v1/runs", EXEC);
                assertEquals(429, refused.status(), refused.body());
                assertEquals("this daemon's Java heap (at most " + warning.group(1) + " MiB) holds the queues of " + fit
                        + " sessions of --client-queue-bytes 8 MiB, and as many run: stop one (DELETE /v1/runs/{id}), or"
                        + " give the daemon more heap (a higher memory limit for its pod, or JAVA_TOOL_OPTIONS=-Xmx...) or"
                        + " a smaller --client-queue-bytes", JSON.readTree(refused.body()).get("error").asText());

                // 32 MiB of events for clients that read nothing: their queues fill, the heap holds them.
                Programs.runBurst(dir, burst, program, "heap-" + UUID.randomUUID(), 2000, 16384);

                for (JsonNode run : JSON.readTree(api.get("/v1/runs").body()).get("runs")) {
                    assertTrue(run.get("droppedMessages").asLong() > 0, run.toString());
                }
                assertEquals(200, api.get("/healthz").status());
            } finally {
                for (RawStream stream : stalled) {
                    stream.close();
                }
            }
            awaitRuns(api, 0);
            try (RunStream again = api.traceExec()) {
                assertTrue(again.messages().getFirst() instanceof RunMessage.Started);
            }
            daemon.assertNoStackTrace();
        }
    }

    @Test
    void outOfHeapASessionEndsNamingTheHeapAndItsFixAndTheRestLivesOn() throws Exception {
        Path program = Programs.uniqueTrue(dir);
        Path burst = Programs.burst(dir);
        String outOfHeap = "the daemon ran out of Java heap (at most ";
        String fix = "): give it more (a higher memory limit for its pod, or JAVA_TOOL_OPTIONS=-Xmx...), or run fewer"
                + " sessions or a smaller --client-queue-bytes";
        // A queue of 6 MiB cannot fit in a heap of 8 MiB beside all else (the serial collector's old generation
        // is two thirds of it): its client, stalled, brings the heap down.
        try (DaemonProcess daemon = new DaemonProcess("", List.of("-Xmx8m"), "--listen", "127.0.0.1:0",
                "--client-queue-bytes", "6MiB")) {
            ApiClient api = daemon.api();
            try (RawStream stalled = RawStream.post(address(daemon), EXEC, 4096)) {
                awaitRuns(api, 1);
                Programs.runBurst(dir, burst, program, "oom-" + UUID.randomUUID(), 200, 120_000);
                awaitBurstTaken(daemon, api, 200);

                String session = stalled.readHead();
                RunMessage last = null;
                boolean stopped = false;
                for (String line; (line = nextLineOrNull(stalled)) != null && !(last instanceof RunMessage.End); ) {
                    if (!line.isEmpty()) {
                        last = JSON.readValue(line, RunMessage.class);
                    } else if (!stopped) { // nothing queued any more: if it still runs, stop it (then it ends normally)
                        stopped = true;
                        api.send("DELETE", "/v1/runs/" + session, new byte[0]);
                    }
                }
                System.out.println("out of heap: " + (daemon.process.isAlive() ? "the session ended: " + last
                        : "the daemon exited: " + daemon.stderr().getLast()));
                if (daemon.process.isAlive()) {
                    // The session's run ran out: its End says so, and the daemon goes on.
                    assertTrue(last instanceof RunMessage.End end && end.error().startsWith("trace exec stopped: " + outOfHeap)
                            && end.error().endsWith(fix), String.valueOf(last));
                    awaitRuns(api, 0);
                    try (RunStream again = api.traceExec()) {
                        assertTrue(again.messages().getFirst() instanceof RunMessage.Started, "a new session starts");
                    }
                } else {
                    // A thread the daemon cannot live without ran out: it exits with one line, for its pod to restart it.
                    assertEquals(1, daemon.exit());
                    String line = daemon.stderr().getLast();
                    assertTrue(line.startsWith("gadget-daemon: exiting: thread ") && line.contains(outOfHeap)
                            && line.endsWith(fix), line);
                }
            }
            daemon.assertNoStackTrace();
        }
    }

    @Test
    void noLockedMemoryIsNeededBecauseTheKernelChargesBpfToTheMemoryCgroup() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess("ulimit -l 0", List.of(), "--listen", "127.0.0.1:0");
                RunStream run = daemon.api().traceExec()) {
            long pid = Programs.run(dir, List.of(Programs.uniqueTrue(dir).toString()));
            run.awaitEvent(e -> e.number("pid") == pid);
        }
    }

    @Test
    void mapsTooLargeForTheMemoryCgroupAreAnErrorNamingItsLimit() throws Exception {
        try (MemoryLimit limit = MemoryLimit.of(600L << 20)) {
            try (DaemonProcess daemon = new DaemonProcess(limit.join(), List.of("-Xmx128m"), "--listen", "127.0.0.1:0")) {
                ApiClient api = daemon.api();

                // About a GiB of stacks, allocated as the map is created.
                ApiClient.Response refused = api.send("POST", "/v1/runs",
                        "{\"category\":\"profile\",\"name\":\"cpu\",\"params\":{\"max-stacks\":\"1048576\"}}");

                assertEquals(500, refused.status(), refused.body());
                String error = JSON.readTree(refused.body()).get("error").asText();
                assertTrue(error.startsWith("starting profile cpu on node it-node: loading profile_cpu: ENOMEM — the kernel"
                        + " could not allocate the BPF maps, which count against this process's memory cgroup, limited to"
                        + " 600 MiB (") && error.endsWith("): raise that limit (a pod's memory limit) or ask for smaller maps"),
                        error);
                try (RunStream run = api.traceExec()) {
                    assertTrue(run.messages().getFirst() instanceof RunMessage.Started, "smaller maps still fit");
                }
                daemon.assertNoStackTrace();
            }
        }
    }

    @Test
    void aPortBelow1024WithoutTheCapabilityIsOneLine() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess("exec setpriv --bounding-set=-net_bind_service"
                + " --inh-caps=-net_bind_service \"$@\"", List.of(), "--listen", "127.0.0.1:81")) {
            assertEquals(2, daemon.exit());
            assertEquals(List.of("gadget-daemon: starting: --listen 127.0.0.1:81: ports below 1024 need"
                    + " CAP_NET_BIND_SERVICE (EACCES): give a port above 1023"), daemon.stderr());
        }
    }

    private static String nextLineOrNull(RawStream stream) {
        try {
            return stream.nextLine();
        } catch (IOException closed) {
            return null;
        }
    }

    private static InetSocketAddress address(DaemonProcess daemon) throws InterruptedException {
        Matcher m = daemon.awaitLine(Pattern.compile("API on 127\\.0\\.0\\.1:(\\d+)"));
        return new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(1)));
    }

    /**
     * Until the daemon is gone, its run is (out of heap), or the run read the burst from the ring: the
     * trace reads on a timer, so the burst may still wait in the ring when the storm is over.
     */
    private static void awaitBurstTaken(DaemonProcess daemon, ApiClient api, int execs) throws Exception {
        long giveUp = System.nanoTime() + 60_000_000_000L;
        Map<String, String> exec = Map.of("gadget", "trace exec");
        while (daemon.process.isAlive() && System.nanoTime() < giveUp) {
            try {
                if (JSON.readTree(api.get("/v1/runs").body()).get("runs").isEmpty()) {
                    return;
                }
                PrometheusText metrics = PrometheusText.parse(api.get("/metrics").body());
                if (metrics.value("gadget_events_emitted_total", exec) + metrics.value("gadget_events_lost_total",
                        Map.of("gadget", "trace exec", "where", "kernel_ring"))
                        >= execs) {
                    return;
                }
            } catch (IOException daemonGone) {
                return;
            }
            Thread.sleep(20);
        }
    }

    private static void awaitRuns(ApiClient api, int count) throws Exception {
        long giveUp = System.nanoTime() + 60_000_000_000L;
        while (JSON.readTree(api.get("/v1/runs").body()).get("runs").size() != count) {
            if (System.nanoTime() > giveUp) {
                throw new AssertionError(count + " runs expected: " + api.get("/v1/runs").body());
            }
            Thread.sleep(20);
        }
    }
}
