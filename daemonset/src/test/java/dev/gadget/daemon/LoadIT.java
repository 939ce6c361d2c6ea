package dev.gadget.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gadget.bpf.RequiresBpf;
import dev.gadget.gadgets.model.RunMessage;
import dev.gadget.gadgets.model.RunMessage.Lost.Where;
import dev.gadget.gadgets.testing.ContainerdTestbed;
import dev.gadget.gadgets.testing.ContainerdTestbed.TestContainer;
import dev.gadget.gadgets.testing.Programs;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sixteen sessions on one daemon (its --max-sessions) during an exec storm: each receives every exec
 * or counts what it lost, exactly, on its own; and one stalled client does not hold the others back.
 * The storm runs in a container every session selects, so that each session's counts are the
 * storm's alone. Throughput is reported, as a ratio within the run; only counts are asserted.
 */
@ExtendWith(RequiresBpf.class)
class LoadIT {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS);
    private static final int READERS = 15;
    /** Rounds of the comparison, each the sessions alone then beside a stalled one: the machine is noisy. */
    private static final int ROUNDS = 3;
    private static final int EXECS = 2000;
    /**
     * 2000 execs of 4 KiB arguments: about 9 MiB of stream, more than the stalled client's queue (1 MiB)
     * and what the kernel's socket buffers hold for it (up to 4 MiB) together.
     */
    private static final int PAD = 4096;
    private static final Pattern LISTENING = Pattern.compile("API on 127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dir;

    /** One session's client on a thread of its own, counting what its stream says about the storm. */
    private static final class Client {
        final RawStream stream;
        final String session;
        final boolean stalled;
        final Set<Integer> marked = new HashSet<>();
        final Map<Where, Long> lost = new EnumMap<>(Where.class);
        long events;
        long unmarked;
        long stormStartNanos;
        long lastNanos;
        String failure;
        RunMessage.End end;

        Client(InetSocketAddress address, String request, boolean stalled) throws IOException {
            this.stream = RawStream.post(address, request, stalled ? 4096 : 0);
            this.session = stream.readHead();
            this.stalled = stalled;
        }

        /** Reads to the End; once the storm is over and the stream has been quiet a heartbeat, stops the session. */
        void read(String program, String marker, ApiClient api, Storm storm) {
            // Events are recognised by their text rather than parsed: sixteen clients parsing 4 KiB lines on two
            // cores would measure the clients, not the daemon.
            String markedArgs = "[" + quoted(program) + "," + quoted(marker) + ",\"";
            String padding = "\"," + quoted("p".repeat(PAD)) + "]";
            try {
                boolean stopped = false;
                for (String line; (line = stream.nextLine()) != null; ) {
                    if (line.isEmpty()) {
                        if (!stopped && storm.over()) {
                            stopped = true;
                            api.send("DELETE", "/v1/runs/" + session, new byte[0]);
                        }
                        continue;
                    }
                    if (line.startsWith("{\"type\":\"event\"")) {
                        count(line, markedArgs, padding);
                        continue;
                    }
                    switch (JSON.readValue(line, RunMessage.class)) {
                        case RunMessage.Lost l -> lost.merge(l.where(), l.count(), Long::sum);
                        case RunMessage.End e -> end = e;
                        default -> {
                        }
                    }
                }
            } catch (Exception | AssertionError e) {
                failure = e.toString();
            }
        }

        private void count(String line, String markedArgs, String padding) {
            events++;
            int at = line.indexOf(markedArgs);
            if (at < 0) {
                unmarked++;
                return;
            }
            int from = at + markedArgs.length();
            int to = line.indexOf(padding, from);
            if (to < 0 || !marked.add(Integer.parseInt(line.substring(from, to)))) {
                throw new AssertionError("session " + session + ": an exec twice or cut: " + line.substring(at, from + 20));
            }
            lastNanos = System.nanoTime();
        }

        private static String quoted(String text) {
            return "\"" + text + "\"";
        }

        /** Marked execs received per second, from the storm's start to the last this client received. */
        double rate() {
            return marked.isEmpty() ? 0 : marked.size() * 1e9 / (lastNanos - stormStartNanos);
        }
    }

    /** Whether the storm is over: then a quiet stream has nothing more to come. */
    private static final class Storm {
        private volatile boolean over;

        boolean over() {
            return over;
        }
    }

    @Test
    void sixteenSessionsEachGetEveryExecOrCountItsLossesAndAStalledOneSlowsNoOther() throws Exception {
        Path storm = Programs.staticStorm(dir);
        try (ContainerdTestbed testbed = ContainerdTestbed.start();
                DaemonProcess daemon = new DaemonProcess("", List.of(), "--listen", "127.0.0.1:0", "--client-queue-bytes",
                        "1MiB")) {
            TestContainer container = testbed.run("loaded", "loaded-pod", "load");
            String program = testbed.copyInto(container, storm, "gt-storm");
            ApiClient api = daemon.api();
            InetSocketAddress address = address(daemon);
            String request = "{\"category\":\"trace\",\"name\":\"exec\",\"containers\":{\"type\":\"ids\",\"containerIds\":"
                    + "[\"containerd://" + container.id() + "\"]}}";

            phase(testbed, container, program, api, address, request, false); // warms the daemon up: not compared
            List<Double> ratios = new ArrayList<>();
            for (int round = 1; round <= ROUNDS; round++) {
                List<Client> alone = phase(testbed, container, program, api, address, request, false);
                List<Client> withStalled = phase(testbed, container, program, api, address, request, true);

                double rateAlone = meanRate(alone);
                double rateWithStalled = meanRate(withStalled.stream().filter(c -> !c.stalled).toList());
                ratios.add(rateWithStalled / rateAlone);
                Client stalled = withStalled.stream().filter(c -> c.stalled).findFirst().orElseThrow();
                System.out.printf("load, round %d: %d reading sessions receive %.0f execs/s each alone, %.0f with a stalled"
                        + " 16th session beside them: ratio %.2f; the stalled one dropped %d and received %d%n", round, READERS,
                        rateAlone, rateWithStalled, rateWithStalled / rateAlone, stalled.lost.getOrDefault(Where.CLIENT_QUEUE,
                        0L), stalled.marked.size());
                assertTrue(stalled.lost.getOrDefault(Where.CLIENT_QUEUE, 0L) > 0, "the stalled client's queue overflowed");
            }
            System.out.printf("load: throughput of the reading sessions with a stalled one beside them / alone, median of %d"
                    + " rounds: %.2f%n", ROUNDS, ratios.stream().sorted().toList().get(ROUNDS / 2));
            daemon.assertNoStackTrace();
        }
    }

    /** Starts the sessions, runs the storm, reads every stream to its End and checks each session's counts. */
    private List<Client> phase(ContainerdTestbed testbed, TestContainer container, String program, ApiClient api,
            InetSocketAddress address, String request, boolean withStalled) throws Exception {
        String marker = "load-" + UUID.randomUUID();
        Storm storm = new Storm();
        List<Client> clients = new ArrayList<>();
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < READERS; i++) {
            Client client = new Client(address, request, false);
            clients.add(client);
            readers.add(Thread.ofPlatform().start(() -> client.read(program, marker, api, storm)));
        }
        Client stalled = withStalled ? new Client(address, request, true) : null;

        long stormStart = System.nanoTime();
        clients.forEach(c -> c.stormStartNanos = stormStart);
        if (stalled != null) {
            stalled.stormStartNanos = stormStart;
        }
        testbed.exec(container, program, "run", marker, String.valueOf(EXECS), String.valueOf(PAD));
        long stormNanos = System.nanoTime() - stormStart;
        storm.over = true;
        for (Thread reader : readers) {
            reader.join(120_000);
        }
        if (stalled != null) {
            clients.add(stalled);
            stalled.read(program, marker, api, storm); // only now does it read: its queue overflowed long ago
        }

        for (Client client : clients) {
            String who = (client.stalled ? "the stalled session " : "session ") + client.session;
            assertEquals(null, client.failure, who);
            assertEquals(RunMessage.End.NORMAL, client.end, who);
            long ring = client.lost.getOrDefault(Where.KERNEL_RING, 0L);
            long queue = client.lost.getOrDefault(Where.CLIENT_QUEUE, 0L);
            assertEquals(EXECS + 1, client.events + ring + queue, who + ": received " + client.events + " (" + client.marked.size()
                    + " marked), lost in the ring " + ring + ", dropped from its queue " + queue
                    + "; the storm made " + EXECS + " execs and its own");
            assertTrue(client.unmarked <= 1, who + ": only the storm's own exec is not marked");
        }
        System.out.printf("load%s: the storm took %.2f s%n", withStalled ? " with a stalled session" : "", stormNanos / 1e9);
        System.out.println("load" + (withStalled ? " with a stalled session" : "") + ": per session, received/lost in the"
                + " ring/dropped: " + clients.stream().map(c -> c.events + "/" + c.lost.getOrDefault(Where.KERNEL_RING, 0L) + "/"
                        + c.lost.getOrDefault(Where.CLIENT_QUEUE, 0L)).toList());
        awaitNoSessions(api);
        return clients;
    }

    private static double meanRate(List<Client> clients) {
        return clients.stream().mapToDouble(Client::rate).average().orElse(0);
    }

    private static void awaitNoSessions(ApiClient api) throws Exception {
        long giveUp = System.nanoTime() + 60_000_000_000L;
        while (JSON.readTree(api.get("/v1/runs").body()).get("runs").size() > 0) {
            if (System.nanoTime() > giveUp) {
                throw new AssertionError("sessions still run a minute later: " + api.get("/v1/runs").body());
            }
            Thread.sleep(20);
        }
    }

    private static InetSocketAddress address(DaemonProcess daemon) throws InterruptedException {
        Matcher m = daemon.awaitLine(LISTENING);
        return new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(1)));
    }
}
