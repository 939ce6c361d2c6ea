package dev.gadget.daemon;

import dev.gadget.gadgets.model.RunMessage;
import dev.gadget.gadgets.runner.RunSink;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What a run emitted and its client has not been sent yet, as stream lines, bounded in bytes. The
 * run's thread puts (never waits: a full queue drops); the client's writer takes. A slow or stalled
 * client thus costs at most the limit in memory (plus one line, so that a line larger than the limit
 * still passes an empty queue), and never slows its run or anybody else's.
 *
 * <p>What does not fit: events, tables and notices are dropped and counted, and a {@code Lost
 * CLIENT_QUEUE} message takes their place in the stream as soon as there is room again; the kernel's
 * lost counts are summed until then. Started and End always pass, once each.
 */
final class ClientQueue implements RunSink {
    /** A line of the stream and what it carried, for the counts of what was sent. */
    record Line(byte[] bytes, Kind kind) {
    }

    enum Kind { EVENT, TABLE, NOTICE, STATUS, END }

    private final long limitBytes;
    private final StreamLines format;
    private final GadgetCounters counters;
    /** Bytes queued by every client's queue together, for /metrics. */
    private final AtomicLong allQueuedBytes;
    /** The most bytes any one client's queue held, for /metrics: how close clients come to the limit. */
    private final AtomicLong peakQueuedBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readable = lock.newCondition();
    private final ArrayDeque<Line> lines = new ArrayDeque<>();
    private final Map<RunMessage.Lost.Where, long[]> pendingLost = new EnumMap<>(RunMessage.Lost.Where.class);
    /** Written under the lock; read without it as a hint whether to serialize at all. */
    private volatile long queuedBytes;
    private long droppedSinceReport;
    private long droppedInTotal;
    private boolean ended;
    /** Written under the lock, read without it too: a gone client's run should not even serialize. */
    private volatile boolean abandoned;

    ClientQueue(long limitBytes, StreamLines format, GadgetCounters counters, AtomicLong allQueuedBytes,
            AtomicLong peakQueuedBytes) {
        this.limitBytes = limitBytes;
        this.format = format;
        this.counters = counters;
        this.allQueuedBytes = allQueuedBytes;
        this.peakQueuedBytes = peakQueuedBytes;
    }

    /** From the run's thread (and once, Started, from the thread that starts it): queues or drops, never waits. */
    @Override
    public void emit(RunMessage message) {
        Kind kind = switch (message) {
            case RunMessage.Event e -> {
                counters.eventsEmitted.increment();
                yield Kind.EVENT;
            }
            case RunMessage.Table t -> {
                counters.tablesEmitted.increment();
                yield Kind.TABLE;
            }
            case RunMessage.Notice n -> Kind.NOTICE;
            case RunMessage.Lost lost -> {
                counters.lost(lost.where(), lost.count());
                yield Kind.STATUS;
            }
            case RunMessage.Started s -> Kind.STATUS;
            case RunMessage.End end -> Kind.END;
        };
        boolean droppable = kind == Kind.EVENT || kind == Kind.TABLE || kind == Kind.NOTICE;
        // Serialized here, outside the lock: the writer only copies bytes. Lost counts are merged instead, and
        // what could not fit whatever its size is not serialized at all: a stalled client costs its run little.
        boolean full = droppable && queuedBytes >= limitBytes; // a hint, read without the lock; checked again below
        byte[] line = message instanceof RunMessage.Lost || abandoned || full ? null : format.line(message);
        lock.lock();
        try {
            if (abandoned || ended) {
                if (droppable) {
                    drop(message);
                }
                return;
            }
            if (message instanceof RunMessage.Lost lost) {
                mergeLost(lost);
                if (hasRoom(0)) {
                    reportPending();
                }
                return;
            }
            if (line == null) {
                if (droppable && !lines.isEmpty() && queuedBytes >= limitBytes) {
                    drop(message);
                    return;
                }
                line = format.line(message); // the writer made room meanwhile
            }
            if (droppable && !hasRoom(line.length)) {
                drop(message);
                return;
            }
            reportPending();
            add(new Line(line, kind));
            ended = kind == Kind.END;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next line for the client, waiting up to {@code timeoutMillis}; null if none came (time for a
     * heartbeat). Once the queue is empty, drops and lost counts not yet reported come first.
     */
    Line take(long timeoutMillis) throws InterruptedException {
        lock.lock();
        try {
            long left = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (lines.isEmpty()) {
                reportPending();
                if (!lines.isEmpty()) {
                    break;
                }
                if (left <= 0) {
                    return null;
                }
                left = readable.awaitNanos(left);
            }
            Line line = lines.removeFirst();
            queuedBytes -= line.bytes().length;
            allQueuedBytes.addAndGet(-line.bytes().length);
            return line;
        } finally {
            lock.unlock();
        }
    }

    /** Whether a take now would not wait: the writer flushes its output when this turns false. */
    boolean isEmpty() {
        lock.lock();
        try {
            return lines.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** The client is gone: what is queued is dropped (and counted), and so is what the run still emits. */
    void abandon() {
        lock.lock();
        try {
            abandoned = true;
            for (Line line : lines) {
                switch (line.kind()) {
                    case EVENT -> counters.eventsDropped.increment();
                    case TABLE -> counters.tablesDropped.increment();
                    case NOTICE -> counters.noticesDropped.increment();
                    case STATUS, END -> {
                    }
                }
            }
            allQueuedBytes.addAndGet(-queuedBytes);
            queuedBytes = 0;
            lines.clear();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Drops the events, tables and notices queued, counted as drops for a full queue (the client hears
     * of them; lost counts and the End still come): memory to give back when the daemon ran out of heap.
     */
    void discardQueued() {
        lock.lock();
        try {
            for (var it = lines.iterator(); it.hasNext(); ) {
                Line line = it.next();
                switch (line.kind()) {
                    case EVENT -> counters.eventsDropped.increment();
                    case TABLE -> counters.tablesDropped.increment();
                    case NOTICE -> counters.noticesDropped.increment();
                    case STATUS, END -> {
                        continue;
                    }
                }
                it.remove();
                queuedBytes -= line.bytes().length;
                allQueuedBytes.addAndGet(-line.bytes().length);
                droppedSinceReport++;
                droppedInTotal++;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Messages dropped for this client so far (events, tables, notices). */
    long dropped() {
        lock.lock();
        try {
            return droppedInTotal;
        } finally {
            lock.unlock();
        }
    }

    long queuedBytes() {
        lock.lock();
        try {
            return queuedBytes;
        } finally {
            lock.unlock();
        }
    }

    /** Nobody takes from the run any more: its thread sees this and stops. */
    @Override
    public boolean gone() {
        return abandoned;
    }

    private boolean hasRoom(long bytes) {
        return lines.isEmpty() || queuedBytes + bytes <= limitBytes;
    }

    private void drop(RunMessage message) {
        switch (message) {
            case RunMessage.Event e -> counters.eventsDropped.increment();
            case RunMessage.Table t -> counters.tablesDropped.increment();
            default -> counters.noticesDropped.increment();
        }
        if (!abandoned) {
            droppedSinceReport++;
            droppedInTotal++;
        }
    }

    private void mergeLost(RunMessage.Lost lost) {
        long[] pending = pendingLost.computeIfAbsent(lost.where(), where -> new long[2]);
        pending[0] += lost.count();
        pending[1] = lost.total();
    }

    /** Queues the lost counts gathered while there was no room, and the drops, where the gap is. */
    private void reportPending() {
        pendingLost.forEach((where, counts) -> add(new Line(Json.line(new RunMessage.Lost(where, counts[0], counts[1])),
                Kind.STATUS)));
        pendingLost.clear();
        if (droppedSinceReport > 0) {
            add(new Line(Json.line(new RunMessage.Lost(RunMessage.Lost.Where.CLIENT_QUEUE, droppedSinceReport,
                    droppedInTotal)), Kind.STATUS));
            droppedSinceReport = 0;
        }
    }

    private void add(Line line) {
        lines.addLast(line);
        queuedBytes += line.bytes().length;
        allQueuedBytes.addAndGet(line.bytes().length);
        peakQueuedBytes.accumulateAndGet(queuedBytes, Math::max);
        readable.signal();
    }
}
