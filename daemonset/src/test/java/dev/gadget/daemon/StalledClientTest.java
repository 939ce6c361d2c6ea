package dev.gadget.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gadget.bpf.RequiresBpf;
import dev.gadget.gadgets.model.RowView;
import dev.gadget.gadgets.model.RunMessage;
import dev.gadget.gadgets.testing.Programs;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that stops reading while execs flood: it gets counted drops, in its own stream and in the
 * metrics, its queue stays within its limit, and the other client, on the same daemon, gets everything.
 */
@ExtendWith(RequiresBpf.class)
class StalledClientTest {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS);
    private static final String EXEC = "trace exec";
    private static final long LIMIT = 4L << 20;
    /** 2000 execs of 8 KiB arguments: 16 MiB of events, four times what the stalled client's queue holds. */
    private static final int EXECS = 2000;
    private static final int PAD = 8192;

    private static TestDaemon daemon;

    @TempDir
    Path dir;

    @BeforeAll
    static void startDaemon() {
        daemon = TestDaemon.start("--client-queue-bytes", "4MiB");
    }

    @AfterAll
    static void stopDaemon() {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void aStalledClientGetsCountedDropsWhileTheOtherGetsEverythingAndItsQueueStaysBounded() throws Exception {
        Path program = Programs.uniqueTrue(dir);
        Path burst = Programs.burst(dir);
        String marker = "flood-" + UUID.randomUUID();
        PrometheusText before = daemon.metrics();

        // A receive buffer of 4 KiB, set before connecting: the kernel holds little for a client that never reads.
        RawStream stalled = RawStream.post(daemon.daemon.address(), "{\"category\":\"trace\",\"name\":\"exec\"}", 4096);
        RunStream good = daemon.client.traceExec();
        String stalledSession = awaitOtherSession(good.session);

        Programs.runBurst(dir, burst, program, marker, EXECS, PAD);

        List<RowView> events = good.awaitEvents(e -> ExecPrograms.isMarked(e, program, marker), EXECS);
        assertEquals(IntStream.range(0, EXECS).boxed().collect(Collectors.toSet()),
                ExecPrograms.numbers(events, program, marker), "the client that reads gets every event");
        assertEquals(0, good.lost(RunMessage.Lost.Where.CLIENT_QUEUE));
        assertEquals(0, good.lost(RunMessage.Lost.Where.KERNEL_RING));

        JsonNode stalledRun = run(stalledSession);
        long dropped = stalledRun.get("droppedMessages").asLong();
        assertTrue(dropped > 0, "the stalled client's session dropped: " + stalledRun);
        long oneLine = good.longestLine();
        assertTrue(stalledRun.get("queuedBytes").asLong() <= LIMIT + oneLine, stalledRun.toString());
        PrometheusText during = daemon.metrics();
        double peak = during.value("gadget_client_queue_peak_bytes");
        assertTrue(peak <= LIMIT + oneLine, "a queue held " + peak + " bytes; the limit is " + LIMIT
                + " plus one line of at most " + oneLine);
        assertTrue(peak >= LIMIT - oneLine, "the stalled client's queue filled up to its limit: " + peak);
        assertTrue(during.gadget("gadget_events_dropped_total", EXEC) - before.gadget("gadget_events_dropped_total", EXEC)
                >= dropped, "the metrics count the drops (and those since)");

        // It reads again: the drops reach it as Lost CLIENT_QUEUE, where the gap is, then the rest up to the End.
        assertEquals(stalledSession, stalled.readHead());
        long received = 0;
        long reportedDrops = 0;
        long lastTotal = 0;
        boolean stopped = false;
        RunMessage message = null;
        while (!(message instanceof RunMessage.End)) {
            String line = stalled.nextLine();
            if (line == null) {
                throw new AssertionError("the stream ended without its End");
            }
            if (line.isEmpty()) {
                continue;
            }
            message = JSON.readValue(line, RunMessage.class);
            switch (message) {
                case RunMessage.Event event -> received++;
                case RunMessage.Lost lost when lost.where() == RunMessage.Lost.Where.CLIENT_QUEUE -> {
                    reportedDrops += lost.count();
                    lastTotal = lost.total();
                    assertEquals(reportedDrops, lastTotal, "each report's total sums the counts so far");
                    if (!stopped) {
                        stopped = true;
                        delete(stalledSession);
                    }
                }
                default -> {
                }
            }
        }
        assertEquals(RunMessage.End.NORMAL, message);
        stalled.close();
        delete(good.session);
        good.awaitEnd();
        daemon.awaitNoSessions();

        PrometheusText after = daemon.metrics();
        double droppedInAll = after.gadget("gadget_events_dropped_total", EXEC) - before.gadget("gadget_events_dropped_total", EXEC);
        assertTrue(reportedDrops >= dropped, "what was dropped before it read again was reported to it");
        assertEquals(reportedDrops, droppedInAll, "every drop reached the stalled client as a Lost count");
        assertEquals(good.events().size() + received, after.gadget("gadget_events_sent_total", EXEC)
                - before.gadget("gadget_events_sent_total", EXEC), "sent: what the two clients received");
        assertEquals(good.events().size() + received + reportedDrops, after.gadget("gadget_events_emitted_total", EXEC)
                - before.gadget("gadget_events_emitted_total", EXEC), "emitted: received or dropped, nothing unaccounted");
        assertEquals(0, after.value("gadget_client_queue_bytes"));
    }

    /** The id of the session that is not {@code known}, once it runs. */
    private static String awaitOtherSession(String known) throws Exception {
        long giveUp = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < giveUp) {
            for (JsonNode run : JSON.readTree(daemon.client.get("/v1/runs").body()).get("runs")) {
                if (!run.get("id").asText().equals(known)) {
                    return run.get("id").asText();
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the stalled client's session never started");
    }

    /** GET /v1/runs' summary of a session; null when it is not running. */
    private static JsonNode run(String session) throws Exception {
        for (JsonNode run : JSON.readTree(daemon.client.get("/v1/runs").body()).get("runs")) {
            if (run.get("id").asText().equals(session)) {
                return run;
            }
        }
        return null;
    }

    private static void delete(String session) throws Exception {
        ApiClient.Response response = daemon.client.send("DELETE", "/v1/runs/" + session, new byte[0]);
        assertEquals(200, response.status(), response.body());
    }
}
