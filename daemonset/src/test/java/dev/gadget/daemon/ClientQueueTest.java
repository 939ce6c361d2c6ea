package dev.gadget.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gadget.gadgets.model.FieldSpec;
import dev.gadget.gadgets.model.FieldType;
import dev.gadget.gadgets.model.RunMessage;
import dev.gadget.gadgets.model.RunMessage.Lost.Where;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The queue between a run and its client: bounded in bytes, drops counted and reported where they happened. */
class ClientQueueTest {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS);
    private static final long LIMIT = 1000;

    private final GadgetCounters counters = new GadgetCounters();
    private final AtomicLong queued = new AtomicLong();
    private final AtomicLong peak = new AtomicLong();
    private static final StreamLines LINES = new StreamLines(List.of(FieldSpec.of("n", FieldType.INT, "N"),
            FieldSpec.of("s", FieldType.STRING, "S")));

    private final ClientQueue queue = new ClientQueue(LIMIT, LINES, counters, queued, peak);

    @Test
    void whatDoesNotFitIsDroppedCountedAndReportedWhereTheGapIs() throws Exception {
        queue.emit(new RunMessage.Started(List.of("n")));
        for (long i = 0; i < 100; i++) {
            queue.emit(event(i));
            assertTrue(queue.queuedBytes() <= LIMIT, "never above the limit: " + queue.queuedBytes());
        }
        assertTrue(peak.get() <= LIMIT && peak.get() > LIMIT - LINES.line(event(99)).length);
        List<RunMessage> first = drain();
        int kept = first.size() - 2; // Started, the events that fit, then the report of the rest
        assertTrue(kept > 5 && kept < 100, "some fit, some not: " + kept);
        assertEquals(new RunMessage.Started(List.of("n")), first.getFirst());
        for (int i = 0; i < kept; i++) {
            assertEquals(event(i), first.get(1 + i));
        }
        long dropped = 100 - kept;
        assertEquals(new RunMessage.Lost(Where.CLIENT_QUEUE, dropped, dropped), first.getLast());

        queue.emit(event(100));
        queue.emit(RunMessage.End.NORMAL);
        assertEquals(List.of(event(100), RunMessage.End.NORMAL), drain());
        assertEquals(101, counters.eventsEmitted.sum());
        assertEquals(dropped, counters.eventsDropped.sum());
        assertEquals(dropped, queue.dropped());
        assertEquals(0, queued.get(), "everything taken");
    }

    @Test
    void theReportComesAsSoonAsThereIsRoomBeforeWhatFollowsTheGap() throws Exception {
        fill();
        queue.emit(event(-1)); // dropped
        queue.take(0); // room for one line again
        queue.emit(event(-2));
        List<RunMessage> rest = drain();
        int report = rest.indexOf(new RunMessage.Lost(Where.CLIENT_QUEUE, 1, 1));
        assertTrue(report >= 0, rest.toString());
        assertEquals(event(-2), rest.get(report + 1), "the report sits where the gap is");
    }

    @Test
    void lostCountsOfTheKernelAreSummedWhileTheQueueIsFullAndNeverDropped() throws Exception {
        fill();
        queue.emit(new RunMessage.Lost(Where.KERNEL_RING, 5, 5)); // a status line: it may pass the limit by itself
        queue.emit(new RunMessage.Lost(Where.KERNEL_RING, 3, 8)); // no room now: kept as a count
        queue.emit(new RunMessage.Lost(Where.KERNEL_RING, 2, 10));
        queue.emit(event(-1));
        List<RunMessage> rest = drain();
        assertEquals(List.of(new RunMessage.Lost(Where.KERNEL_RING, 5, 5), new RunMessage.Lost(Where.KERNEL_RING, 5, 10),
                new RunMessage.Lost(Where.CLIENT_QUEUE, 1, 1)),
                rest.stream().filter(m -> m instanceof RunMessage.Lost).toList());
        assertEquals(10, counters.lostInKernelRing.sum());
    }

    @Test
    void theEndAlwaysPassesAndALineLargerThanTheLimitPassesAnEmptyQueue() throws Exception {
        RunMessage.Event large = new RunMessage.Event(List.of(0L, "x".repeat(5000)));
        queue.emit(large);
        queue.emit(large);
        queue.emit(new RunMessage.End("failed: reasons"));
        assertEquals(List.of(large, new RunMessage.Lost(Where.CLIENT_QUEUE, 1, 1), new RunMessage.End("failed: reasons")),
                drain());
    }

    @Test
    void aGoneClientsQueueIsEmptiedAndWhatFollowsIsCountedAsDropped() throws Exception {
        queue.emit(event(1));
        queue.emit(new RunMessage.Notice(RunMessage.Notice.Level.INFO, "hello"));
        queue.abandon();
        queue.emit(event(2));
        assertTrue(queue.gone());
        assertEquals(2, counters.eventsDropped.sum());
        assertEquals(1, counters.noticesDropped.sum());
        assertEquals(0, queued.get());
        assertNull(queue.take(0));
    }

    @Test
    void discardingGivesBackTheEventsAsCountedDropsKeepsTheKernelsCountsAndLetsTheEndThrough() throws Exception {
        queue.emit(new RunMessage.Started(List.of("n")));
        queue.emit(event(1));
        queue.emit(new RunMessage.Lost(Where.KERNEL_RING, 4, 4));
        queue.emit(event(2));
        queue.emit(new RunMessage.Notice(RunMessage.Notice.Level.INFO, "hello"));

        queue.discardQueued();
        queue.emit(new RunMessage.End("stopped: out of heap"));

        assertEquals(List.of(new RunMessage.Started(List.of("n")), new RunMessage.Lost(Where.KERNEL_RING, 4, 4),
                new RunMessage.Lost(Where.CLIENT_QUEUE, 3, 3), new RunMessage.End("stopped: out of heap")), drain());
        assertEquals(2, counters.eventsDropped.sum());
        assertEquals(1, counters.noticesDropped.sum());
        assertEquals(3, queue.dropped());
        assertEquals(0, queued.get());
    }

    private void fill() {
        for (long i = 0; queue.queuedBytes() + LINES.line(event(i)).length <= LIMIT; i++) {
            queue.emit(event(i));
        }
    }

    private static RunMessage.Event event(long n) {
        return new RunMessage.Event(List.of(n, ""));
    }

    private List<RunMessage> drain() throws Exception {
        List<RunMessage> messages = new ArrayList<>();
        for (ClientQueue.Line line; (line = queue.take(0)) != null; ) {
            messages.add(JSON.readValue(line.bytes(), RunMessage.class));
            if (line.kind() == ClientQueue.Kind.END) {
                break;
            }
        }
        return messages;
    }
}
