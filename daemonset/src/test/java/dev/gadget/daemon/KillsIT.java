package dev.gadget.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gadget.bpf.HeldBpf;
import dev.gadget.bpf.RequiresBpf;
import dev.gadget.gadgets.testing.BpfLeakCheck;
import dev.gadget.gadgets.testing.Programs;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon killed at random moments during an exec storm, its clients streaming, and clients that
 * vanish at random moments from a daemon that lives on: no BPF program, link or map is left in the
 * kernel, no session and no thread in the daemon. The moments come from a seeded random, printed:
 * -Dgadget.seed=N repeats a run.
 */
@ExtendWith(RequiresBpf.class)
class KillsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int KILLS = 10;
    private static final int DISCONNECTS = 20;
    private static final List<String> SIGNALS = List.of("INT", "TERM", "KILL");
    private static final Map<String, Integer> NUMBERS = Map.of("INT", 2, "TERM", 15, "KILL", 9);
    private static final List<String> REQUESTS = List.of(
            "{\"category\":\"trace\",\"name\":\"exec\"}",
            "{\"category\":\"trace\",\"name\":\"open\"}",
            "{\"category\":\"top\",\"name\":\"file\",\"params\":{\"interval\":\"200ms\"}}",
            "{\"category\":\"profile\",\"name\":\"cpu\"}",
            "{\"category\":\"snapshot\",\"name\":\"process\"}");
    /** The JVM's own threads, whose number it changes by itself: compilers and collectors come and go. */
    private static final Pattern JVM_WORKERS = Pattern.compile("C[12] CompilerThre|GC Thread#\\d+|G1 .*|process reaper");
    private static final Pattern LISTENING = Pattern.compile("API on 127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dir;

    private final long seed = Long.getLong("gadget.seed", System.nanoTime());
    private final Random random = new Random(seed);

    @Test
    void theDaemonKilledAtRandomMomentsWithClientsStreamingLeavesNoBpfBehind() throws Exception {
        System.out.println("KillsIT (daemon): seed " + seed + " (repeat with -Dgadget.seed=" + seed + ")");
        Process storm = new ProcessBuilder(Programs.endlessStorm(dir).toString()).start();
        try {
            for (int kill = 1; kill <= KILLS; kill++) {
                String signal = SIGNALS.get(random.nextInt(SIGNALS.size()));
                int delayMillis = random.nextInt(4000);
                int clients = 1 + random.nextInt(3);
                List<String> requests = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    requests.add(REQUESTS.get(random.nextInt(REQUESTS.size())));
                }

                try (DaemonProcess daemon = new DaemonProcess("--listen", "127.0.0.1:0")) {
                    BpfLeakCheck leaks = BpfLeakCheck.watch(daemon.pid());
                    List<Thread> streams = new ArrayList<>();
                    Thread starter = Thread.ofPlatform().start(() -> startClients(daemon, requests, streams));
                    Thread.sleep(delayMillis);
                    daemon.signal(signal);
                    int status = daemon.exit();
                    starter.join();
                    for (Thread stream : streams) {
                        stream.join(60_000);
                    }
                    HeldBpf held = leaks.assertAllReleased();

                    String what = "kill " + kill + ": SIG" + signal + " after " + delayMillis + " ms, clients " + requests;
                    System.out.println(what + ": exit " + status + "; it held " + held.programs().size() + " programs, "
                            + held.links().size() + " links, " + held.maps().size() + " maps: none left");
                    int killed = 128 + NUMBERS.get(signal);
                    if (signal.equals("KILL")) {
                        assertEquals(killed, status, what);
                    } else {
                        assertTrue(status == 0 || status == killed, what + ": exit " + status + ": " + daemon.stderr());
                        if (status == 0 && !daemon.stderr().isEmpty()) {
                            assertEquals("gadget-daemon: stopped: every session ended, all BPF released",
                                    daemon.stderr().getLast(), what);
                        }
                    }
                    daemon.assertNoStackTrace();
                }
            }
        } finally {
            storm.destroyForcibly().waitFor();
        }
    }

    @Test
    void clientsThatVanishAtRandomMomentsLeaveNoSessionThreadOrBpfInTheDaemon() throws Exception {
        System.out.println("KillsIT (client disconnects): seed " + seed + " (repeat with -Dgadget.seed=" + seed + ")");
        Process storm = new ProcessBuilder(Programs.endlessStorm(dir).toString()).start();
        try (DaemonProcess daemon = new DaemonProcess("--listen", "127.0.0.1:0")) {
            ApiClient api = daemon.api();
            InetSocketAddress address = address(daemon);
            // A first session, to the end, so that what the daemon keeps for good (its HTTP workers) exists already.
            try (RunStream warmUp = api.traceExec()) {
                warmUp.awaitMessage(m -> true);
            }
            awaitNoSessions(api);
            HeldBpf baseline = HeldBpf.of(Path.of("/proc", String.valueOf(daemon.pid())));
            Set<String> baselineThreads = threads(daemon.pid());

            for (int disconnect = 1; disconnect <= DISCONNECTS; disconnect++) {
                String request = REQUESTS.get(random.nextInt(REQUESTS.size()));
                int style = random.nextInt(3);
                int delayMillis = random.nextInt(1500);
                RawStream client = RawStream.post(address, request, 0);
                switch (style) {
                    case 0 -> Thread.sleep(delayMillis); // gone before reading a byte: maybe before the run even loaded
                    case 1 -> {
                        client.readHead();
                        Thread.sleep(delayMillis);
                    }
                    default -> {
                        client.readHead();
                        long giveUp = System.nanoTime() + delayMillis * 1_000_000L;
                        while (System.nanoTime() < giveUp && client.nextLine() != null) {
                            // reading mid-stream
                        }
                    }
                }
                client.close();
                System.out.println("disconnect " + disconnect + ": " + request + ", "
                        + List.of("before the head", "after the head", "mid-stream").get(style) + " after " + delayMillis
                        + " ms");
            }

            awaitNoSessions(api);
            PrometheusText metrics = PrometheusText.parse(api.get("/metrics").body());
            for (PrometheusText.Series series : metrics.series()) {
                if (series.name().equals("gadget_sessions_running")) {
                    assertEquals(0, metrics.value(series.name(), series.labels()), series.toString());
                }
            }
            assertEquals(0, metrics.value("gadget_client_queue_bytes"));
            HeldBpf after = awaitHeld(daemon.pid(), baseline);
            assertEquals(baseline.programs().size(), metrics.value("gadget_bpf_programs"));
            assertEquals(baseline.maps().size(), metrics.value("gadget_bpf_maps"));
            Set<String> threads = threads(daemon.pid());
            long workers = threads.stream().filter(t -> t.matches("http-\\d+")).count();
            long jvm = threads.stream().filter(t -> JVM_WORKERS.matcher(t).matches()).count();
            System.out.println("after " + DISCONNECTS + " vanished clients: held " + after.programs().size() + " programs, "
                    + after.links().size() + " links, " + after.maps().size() + " maps (as before); threads " + threads.size()
                    + " (" + baselineThreads.size() + " before): " + workers + " idle HTTP workers (the pool lets them go"
                    + " after 30 s), " + jvm + " JVM compiler and GC threads, no session's");
            assertTrue(threads.stream().noneMatch(t -> t.startsWith("run-")), "a session's thread is left: " + threads);
            Set<String> extra = new TreeSet<>(threads);
            extra.removeAll(baselineThreads);
            extra.removeIf(t -> JVM_WORKERS.matcher(t).matches() || t.matches("http-\\d+"));
            assertEquals(Set.of(), extra, "threads the daemon did not have before");
            assertTrue(threads.stream().filter(t -> t.matches("http-\\d+")).count() <= 16 + 16,
                    "HTTP workers within the pool: " + threads);
            daemon.assertNoStackTrace();
        } finally {
            storm.destroyForcibly().waitFor();
        }
    }

    /** Starts each request as a client that reads its stream to the end, once the daemon listens. */
    private static void startClients(DaemonProcess daemon, List<String> requests, List<Thread> streams) {
        InetSocketAddress address;
        try {
            address = address(daemon);
        } catch (AssertionError | InterruptedException killedBeforeListening) {
            return;
        }
        for (String request : requests) {
            streams.add(Thread.ofPlatform().start(() -> {
                try (RawStream client = RawStream.post(address, request, 0)) {
                    client.readHead();
                    while (client.nextLine() != null) {
                        // to the End, or until the daemon is gone
                    }
                } catch (IOException | AssertionError daemonGone) {
                    // killed meanwhile: what matters is what the kernel holds afterwards
                }
            }));
        }
    }

    /** The names of the process's threads (/proc/PID/task/TID/comm), each numbered if it comes more than once. */
    private static Set<String> threads(long pid) throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : tasks.toList()) {
                String name;
                try {
                    name = Files.readString(task.resolve("comm")).strip();
                } catch (IOException ended) {
                    continue;
                }
                String unique = name;
                for (int n = 2; !names.add(unique); n++) {
                    unique = name + " (" + n + ")";
                }
            }
        }
        return names;
    }

    /** Waits until the daemon holds exactly what it held at the baseline (a run ends within moments of its client). */
    private static HeldBpf awaitHeld(long pid, HeldBpf baseline) throws InterruptedException {
        long giveUp = System.nanoTime() + 60_000_000_000L;
        HeldBpf now;
        while (!(now = HeldBpf.of(Path.of("/proc", String.valueOf(pid)))).equals(baseline)) {
            if (System.nanoTime() > giveUp) {
                assertEquals(baseline, now, "the daemon holds what it held before the clients came");
            }
            Thread.sleep(20);
        }
        return now;
    }

    private static void awaitNoSessions(ApiClient api) throws Exception {
        long giveUp = System.nanoTime() + 60_000_000_000L;
        JsonNode runs;
        while ((runs = JSON.readTree(api.get("/v1/runs").body()).get("runs")).size() > 0) {
            if (System.nanoTime() > giveUp) {
                throw new AssertionError("sessions still run a minute later: " + runs);
            }
            Thread.sleep(20);
        }
    }

    private static InetSocketAddress address(DaemonProcess daemon) throws InterruptedException {
        Matcher m = daemon.awaitLine(LISTENING);
        return new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(1)));
    }
}
