package dev.gadget.gadgets.runner;

import dev.gadget.bpf.PerCpuCounter;
import dev.gadget.gadgets.bpfcommon.SharedHeader;
import dev.gadget.bpf.RecordHandler;
import dev.gadget.bpf.RingBuffer;
import dev.gadget.gadgets.model.ContainerSelection;
import dev.gadget.gadgets.model.RunMessage;
import java.time.Duration;

/**
 * A running trace: its ring read on the thread that calls {@link #run}, each record decoded into a row
 * and emitted as an event; lost events reported about once a second.
 */
public final class TraceRun implements Run {
    private static final int LOST_CHECK_MILLIS = 1000;
    /**
     * How long a batch gathers: the first record after the reader caught up wakes it (gadget.h), the
     * ones after it do not, and this much later all of them are read, emitted and flushed as one batch.
     * Events reach the user at most this late (plus the batch's own time); a trickle of them costs two
     * wake-ups per interval instead of one per event, and no events cost no wake-ups (but the lost
     * count's, once a second).
     */
    private static final int READ_EVERY_MILLIS = 50;
    /** Share of the ring that wakes the reader before its interval is up: a burst must not fill it unseen. */
    static final int WAKEUP_SHARE = 4;

    private final TraceGadget gadget;
    private final LoadedGadget loaded;
    private final RowShape shape;
    private final RunSink sink;
    private final RingBuffer ring;
    private final PerCpuCounter lost;
    private long lostInTotal;
    private volatile boolean stopped;
    /** Once stopped, whether the sink is gone, asked at most once per drain: then records are released unread. */
    private boolean sinkAsked;
    private boolean sinkGone;

    TraceRun(TraceGadget gadget, LoadedGadget loaded, RowShape shape, RunSink sink) {
        this.gadget = gadget;
        this.loaded = loaded;
        this.shape = shape;
        this.sink = sink;
        this.ring = loaded.object.ringBuffer(SharedHeader.EVENTS);
        this.lost = new PerCpuCounter(loaded.object, SharedHeader.LOST);
        loaded.object.attachTracepoints();
    }

    @Override
    public void run(Duration timeout) {
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        long nextLostCheck = System.nanoTime() + LOST_CHECK_MILLIS * 1_000_000L;
        RecordHandler handler = (data, offset, length) -> {
            if (stopped && abandoned()) {
                return; // nobody receives events any more (a daemon's client left): no decoding under a storm
            }
            Object[] row = shape.newRow();
            gadget.decode(data, offset, length, loaded.context, row);
            sink.emit(new RunMessage.Event(shape.emitted(row)));
        };
        loaded.deliverNotices(sink);
        while (!stopped && !sink.gone()) {
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                break;
            }
            sinkAsked = false;
            if (ring.consume(handler) > 0) {
                sink.flush();
            } else if (ring.await(millisUntil(Math.min(deadline, nextLostCheck), now)) && !stopped) {
                long woken = System.nanoTime();
                ring.await(millisUntil(Math.min(deadline, woken + READ_EVERY_MILLIS * 1_000_000L), woken));
            }
            loaded.deliverNotices(sink);
            if (System.nanoTime() - nextLostCheck >= 0) {
                reportLost();
                nextLostCheck = System.nanoTime() + LOST_CHECK_MILLIS * 1_000_000L;
            }
        }
        sinkAsked = false;
        ring.consume(handler);
        reportLost();
        long filteredOut = filteredInKernel();
        if (filteredOut > 0) {
            sink.emit(new RunMessage.Notice(RunMessage.Notice.Level.INFO, gadget.description().id()
                    + ": the container filter kept " + filteredOut + " events of other processes out, in the kernel"));
        }
        loaded.deliverNotices(sink);
        sink.flush();
    }

    @Override
    public void select(ContainerSelection selection) {
        loaded.select(selection);
    }

    @Override
    public long filteredInKernel() {
        return loaded.filteredInKernel();
    }

    @Override
    public void stop() {
        stopped = true;
        ring.wakeup();
    }

    @Override
    public void close() {
        stop();
        loaded.close();
    }

    private static int millisUntil(long when, long now) {
        return (int) Math.max(1, (when - now) / 1_000_000L);
    }

    private boolean abandoned() {
        if (!sinkAsked) {
            sinkAsked = true;
            sinkGone = sinkGone || sink.gone();
        }
        return sinkGone;
    }

    private void reportLost() {
        long count = lost.sinceLastCall();
        if (count > 0) {
            lostInTotal += count;
            sink.emit(new RunMessage.Lost(RunMessage.Lost.Where.KERNEL_RING, count, lostInTotal));
        }
    }
}
