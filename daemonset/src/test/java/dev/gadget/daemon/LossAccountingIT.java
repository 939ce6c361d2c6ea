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
import java.net.InetSocketAddress;
import java.nio.file.Path;
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
 * Loss accounting end to end, through the packaged daemon: an exec storm larger than the kernel's
 * ring while the daemon cannot read (stopped, as a CPU-starved pod is), then read by a client too slow
 * for what the daemon then sends. Every exec is either received, intact, or counted lost, in the
 * kernel's ring or in the client's queue, in the stream and in /metrics alike: exactly.
 *
 * <p>The storm runs in a container and the session selects that container only, so that what the
 * kernel counts lost is the storm's and nobody else's (other tests exec on this machine meanwhile).
 */
@ExtendWith(RequiresBpf.class)
class LossAccountingIT {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS);
    private static final String GADGET = "trace exec";
    /** trace exec's ring is 8 MiB: 1200 execs of 16 KiB arguments are 19 MiB, more than twice that. */
    private static final int EXECS = 1200;
    private static final int PAD = 16 * 1024;

    @TempDir
    Path dir;

    @Test
    void everyExecOfAStormIsReceivedOrCountedLostInTheRingOrTheClientsQueueExactly() throws Exception {
        Path storm = Programs.staticStorm(dir);
        String marker = "loss-" + UUID.randomUUID();
        try (ContainerdTestbed testbed = ContainerdTestbed.start();
                DaemonProcess daemon = new DaemonProcess("", List.of(), "--listen", "127.0.0.1:0", "--client-queue-bytes",
                        "1MiB")) {
            TestContainer container = testbed.run("stormy", "stormy-pod", "loss");
            String program = testbed.copyInto(container, storm, "gt-storm");
            ApiClient api = daemon.api();
            PrometheusText before = PrometheusText.parse(api.get("/metrics").body());

            try (RawStream client = RawStream.post(address(daemon), "{\"category\":\"trace\",\"name\":\"exec\","
                    + "\"containers\":{\"type\":\"ids\",\"containerIds\":[\"containerd://" + container.id() + "\"]}}", 8192)) {
                String session = client.readHead();
                RunMessage.Started started = JSON.readValue(client.nextLine(), RunMessage.Started.class);
                int args = started.fields().indexOf("args");

                daemon.signal("STOP"); // the daemon's reader stops: the ring fills, then the kernel counts
                try {
                    testbed.exec(container, program, "run", marker, String.valueOf(EXECS), String.valueOf(PAD));
                } finally {
                    daemon.signal("CONT");
                }

                // Now the daemon reads the ring at once, faster than this client takes it: its queue overflows.
                Set<Integer> marked = new HashSet<>();
                long unmarked = 0;
                long events = 0;
                Map<Where, Long> lost = new EnumMap<>(Where.class);
                boolean stopped = false;
                RunMessage message = null;
                while (!(message instanceof RunMessage.End)) {
                    String line = client.nextLine();
                    if (line == null) {
                        throw new AssertionError("the stream ended without its End");
                    }
                    if (line.isEmpty()) {
                        // Nothing queued for a heartbeat's while: the ring is read. Stop the run (its last counts come).
                        if (!stopped && events > 0) {
                            stopped = true;
                            assertEquals(200, api.send("DELETE", "/v1/runs/" + session, new byte[0]).status());
                        }
                        continue;
                    }
                    message = JSON.readValue(line, RunMessage.class);
                    switch (message) {
                        case RunMessage.Event event -> {
                            events++;
                            @SuppressWarnings("unchecked")
                            List<String> argv = (List<String>) event.values().get(args);
                            if (argv.size() == 4 && argv.get(0).equals(program) && argv.get(1).equals(marker)) {
                                assertEquals("p".repeat(PAD), argv.get(3), "the arguments arrive intact");
                                assertTrue(marked.add(Integer.parseInt(argv.get(2))), "exec " + argv.get(2) + " came twice");
                            } else {
                                assertEquals(List.of(program, "run", marker, String.valueOf(EXECS), String.valueOf(PAD)), argv,
                                        "the only other exec in the container is the storm's own");
                                unmarked++;
                            }
                        }
                        case RunMessage.Lost l -> lost.merge(l.where(), l.count(), Long::sum);
                        default -> {
                        }
                    }
                    Thread.sleep(2); // a slow client
                }
                assertEquals(RunMessage.End.NORMAL, message);

                PrometheusText after = PrometheusText.parse(api.get("/metrics").body());
                long ring = lost.getOrDefault(Where.KERNEL_RING, 0L);
                long queue = lost.getOrDefault(Where.CLIENT_QUEUE, 0L);
                long noticesDropped = (long) (after.gadget("gadget_notices_dropped_total", GADGET)
                        - before.gadget("gadget_notices_dropped_total", GADGET));
                System.out.printf("loss accounting: %d execs (+1, the storm's own); received %d intact (+%d), lost in the"
                        + " kernel's ring %d, dropped from the client's queue %d (%d of them notices)%n", EXECS, marked.size(),
                        unmarked, ring, queue, noticesDropped);

                assertTrue(ring > 0, "the storm overflowed the ring");
                assertTrue(queue - noticesDropped > 0, "the slow client's queue overflowed");
                assertEquals(EXECS + 1, events + ring + queue - noticesDropped, "received + lost in the ring + dropped"
                        + " for the client = the execs in the container, exactly");
                assertEquals(1, unmarked);

                assertEquals(ring, delta(before, after, "gadget_events_lost_total", Map.of("gadget", GADGET, "where",
                        "kernel_ring")), "/metrics counts the ring's losses");
                assertEquals(queue - noticesDropped, delta(before, after, "gadget_events_dropped_total", Map.of("gadget", GADGET)),
                        "/metrics counts the client's drops");
                assertEquals(events, delta(before, after, "gadget_events_sent_total", Map.of("gadget", GADGET)));
                assertEquals(events + queue - noticesDropped, delta(before, after, "gadget_events_emitted_total",
                        Map.of("gadget", GADGET)), "emitted = sent + dropped");
            }
            daemon.assertNoStackTrace();
        }
    }

    private static long delta(PrometheusText before, PrometheusText after, String name, Map<String, String> labels) {
        return (long) (after.value(name, labels) - before.value(name, labels));
    }

    private static InetSocketAddress address(DaemonProcess daemon) throws InterruptedException {
        Matcher m = daemon.awaitLine(Pattern.compile("API on 127\\.0\\.0\\.1:(\\d+)"));
        return new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(1)));
    }
}
