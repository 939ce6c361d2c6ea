package dev.gadget.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gadget.bpf.BpfInventory;
import dev.gadget.bpf.HeldBpf;
import dev.gadget.bpf.RequiresBpf;
import dev.gadget.gadgets.model.RunMessage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The packaged daemon run as a process, as its image runs it: command line, exit statuses, SIGTERM. */
class DaemonProcessIT {
    private static final Pattern STARTED = Pattern.compile("API on 127\\.0\\.0\\.1:(\\d+), metrics on 127\\.0\\.0\\.1:(\\d+);");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--listen 0.0.0.0:8080 | gadget-daemon: --listen 0.0.0.0:8080: the gadget API listens on loopback only (127.0.0.1 or [::1]), so that the API server's pods/portforward, under RBAC, is its only door; serve metrics elsewhere with --metrics-listen (see --help)",
        "--max-sessions -1 | gadget-daemon: --max-sessions -1 is not a number from 1 to 1024 (see --help)",
        "--frobnicate | gadget-daemon: unknown option --frobnicate: the options are --listen, --metrics-listen, --host-root, --node-name, --max-sessions, --client-queue-bytes, --verbose, --help, --version (see --help)",
    })
    void aBadCommandLineIsOneLineAndExitStatusTwo(String args, String line) throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(args.strip().split(" "))) {
            assertEquals(2, daemon.exit());
            assertEquals(List.of(line), daemon.stderr());
            assertEquals(0, daemon.process.getInputStream().readAllBytes().length);
        }
    }

    @Test
    void portsInUseAreOneLineEachAndNothingElseStarts() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            try (DaemonProcess daemon = new DaemonProcess("--listen", "127.0.0.1:" + port)) {
                assertEquals(2, daemon.exit());
                assertEquals(List.of("gadget-daemon: starting: --listen 127.0.0.1:" + port + ": the port is in use"
                        + " (EADDRINUSE): stop what listens there or give another port"), daemon.stderr());
            }
            try (DaemonProcess daemon = new DaemonProcess("--listen", "127.0.0.1:0", "--metrics-listen", "127.0.0.1:" + port)) {
                assertEquals(2, daemon.exit());
                assertEquals(List.of("gadget-daemon: starting: --metrics-listen 127.0.0.1:" + port + ": the port is in use"
                        + " (EADDRINUSE): stop what listens there or give another port"), daemon.stderr());
            }
        }
    }

    @Test
    void helpAndVersionGoToStdoutWithStatusZero() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess("--help")) {
            String out = new String(daemon.process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, daemon.exit());
            assertTrue(out.startsWith("Usage: gadget-daemon [--listen ADDRESS:PORT]"), out);
        }
        try (DaemonProcess daemon = new DaemonProcess("--version")) {
            String out = new String(daemon.process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, daemon.exit());
            assertEquals("gadget-daemon " + Daemon.version() + ", protocol 1\n", out);
        }
    }

    @Test
    @ExtendWith(RequiresBpf.class)
    void sigtermEndsEverySessionReleasesAllBpfAndExitsZero() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess("--listen", "127.0.0.1:0", "--metrics-listen", "127.0.0.1:0")) {
            Matcher started = daemon.awaitLine(STARTED);
            ApiClient api = new ApiClient(new InetSocketAddress("127.0.0.1", Integer.parseInt(started.group(1))));
            ApiClient metricsPort = new ApiClient(new InetSocketAddress("127.0.0.1", Integer.parseInt(started.group(2))));
            RunStream everything = api.traceExec();
            RunStream none = api.run("trace", "exec", Map.of(),
                    "{\"category\":\"trace\",\"name\":\"exec\",\"containers\":{\"type\":\"ids\",\"containerIds\":[]}}");

            HeldBpf held = HeldBpf.of(Path.of("/proc", String.valueOf(daemon.process.pid())));
            PrometheusText metrics = PrometheusText.parse(metricsPort.get("/metrics").body());
            assertEquals(held.programs().size(), metrics.value("gadget_bpf_programs"), "the daemon counts what it holds");
            assertEquals(2, metrics.gadget("gadget_sessions_running", "trace exec"));
            assertEquals(404, metricsPort.get("/v1/info").status(), "the metrics address serves no gadget API");
            assertEquals(200, metricsPort.get("/healthz").status());

            // SIGTERM, as the kubelet sends it; not Process.destroy, which also closes our end of its stderr.
            assertEquals(0, new ProcessBuilder("kill", "-TERM", String.valueOf(daemon.process.pid())).start().waitFor());

            assertEquals(RunMessage.End.NORMAL, everything.awaitEnd());
            assertEquals(RunMessage.End.NORMAL, none.awaitEnd());
            assertEquals(0, daemon.exit());
            assertEquals("gadget-daemon: stopped: every session ended, all BPF released", daemon.stderr().getLast(),
                    daemon.stderr().toString());
            Set<Integer> left = BpfInventory.programs().stream().map(BpfInventory.Program::id)
                    .filter(held.programs()::contains).collect(Collectors.toCollection(HashSet::new));
            assertEquals(Set.of(), left);
        }
    }
}
