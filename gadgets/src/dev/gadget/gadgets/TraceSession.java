package dev.gadget.gadgets;

import dev.gadget.bpf.BootClock;
import dev.gadget.bpf.BpfObject;
import dev.gadget.bpf.PerCpuCounter;
import dev.gadget.bpf.RecordHandler;
import dev.gadget.bpf.RingBuffer;
import dev.gadget.gadgets.containers.CgroupFilter;
import dev.gadget.gadgets.containers.ContainerRegistry;
import dev.gadget.gadgets.containers.ContainerSelection;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * One running trace gadget: its object loaded and attached, its ring read on the thread that calls
 * {@link #run}. {@link #stop} may come from any thread (e.g. Ctrl-C); {@link #close} releases everything.
 */
public final class TraceSession<E extends GadgetEvent> implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TraceSession.class.getName());
    private static final int LOST_CHECK_MILLIS = 1000;
    /**
     * How often the ring is read: records below the wake-up threshold do not wake the reader
     * (gadget.h), so whatever arrived meanwhile is read, printed and flushed as one batch. Events reach
     * the screen at most this late (plus the batch's own time), and a trickle of them costs a wake-up
     * per interval instead of one per event.
     */
    private static final int READ_EVERY_MILLIS = 50;
    /** Share of the ring that wakes the reader before its interval is up: a burst must not fill it unseen. */
    private static final int WAKEUP_SHARE = 4;

    private final TraceGadget<E> gadget;
    private final BpfObject object;
    private final CgroupFilter filter;
    private final RingBuffer ring;
    private final PerCpuCounter lost;
    private final PerCpuCounter filtered;
    private final DecodeContext context;
    private volatile boolean stopped;

    private TraceSession(TraceGadget<E> gadget, BpfObject object, CgroupFilter filter, ContainerRegistry containers) {
        this.gadget = gadget;
        this.object = object;
        this.filter = filter;
        this.ring = object.ringBuffer(SharedHeader.EVENTS);
        this.lost = new PerCpuCounter(object, SharedHeader.LOST);
        this.filtered = new PerCpuCounter(object, SharedHeader.FILTERED);
        this.context = new DecodeContext(BootClock.toEpochOffsetNanos(), containers);
    }

    /**
     * Loads and attaches the gadget; events flow into its ring from now on. Only processes that
     * {@code selection} picks are traced, filtered in the kernel; {@code containers} names them.
     */
    public static <E extends GadgetEvent> TraceSession<E> start(TraceGadget<E> gadget, ParamValues values,
            ContainerRegistry containers, ContainerSelection selection) {
        BpfObject object = gadget.open(values);
        CgroupFilter filter = null;
        try {
            CgroupFilter.configure(object, selection);
            object.setConstant(SharedHeader.WAKEUP_BYTES, object.map(SharedHeader.EVENTS).maxEntries() / WAKEUP_SHARE);
            object.load();
            // The registry started on its own thread while the object loaded; its failure is the trace's.
            containers.awaitStarted();
            // The filter map is full before the programs attach: no unwanted event ever enters the ring.
            filter = CgroupFilter.start(object, selection, containers);
            object.attachTracepoints();
            return new TraceSession<>(gadget, object, filter, containers);
        } catch (RuntimeException e) {
            if (filter != null) {
                filter.close();
            }
            object.close();
            throw e;
        }
    }

    /**
     * Delivers events to {@code sink} until {@link #stop} or until {@code timeout} (null: no limit),
     * then delivers what is still buffered. Events come in batches, each followed by
     * {@link EventSink#onBatchEnd}; lost events are reported about once a second.
     */
    public void run(EventSink<E> sink, Duration timeout) {
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        long nextLostCheck = System.nanoTime() + LOST_CHECK_MILLIS * 1_000_000L;
        RecordHandler handler = (data, offset, length) -> sink.onEvent(gadget.decode(data, offset, length, context));
        while (!stopped) {
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                break;
            }
            long wait = Math.min(READ_EVERY_MILLIS, Math.max(1, (deadline - now) / 1_000_000L));
            if (ring.poll((int) wait, handler) > 0) {
                sink.onBatchEnd();
            }
            if (System.nanoTime() - nextLostCheck >= 0) {
                reportLost(sink);
                nextLostCheck = System.nanoTime() + LOST_CHECK_MILLIS * 1_000_000L;
            }
        }
        ring.consume(handler);
        reportLost(sink);
        sink.onBatchEnd();
        long filteredOut = filteredInKernel();
        if (filteredOut > 0) {
            LOG.info(gadget.category() + " " + gadget.name() + ": the container filter kept " + filteredOut
                    + " events of other processes out, in the kernel");
        }
    }

    /** Events of processes outside the container selection, dropped in the kernel before they were built. */
    public long filteredInKernel() {
        return filtered.total();
    }

    /** Makes {@link #run} finish: it delivers what is buffered and returns. */
    public void stop() {
        stopped = true;
        ring.wakeup();
    }

    @Override
    public void close() {
        stop();
        filter.close();
        object.close();
    }

    private void reportLost(EventSink<E> sink) {
        long count = lost.sinceLastCall();
        if (count > 0) {
            sink.onLost(count);
        }
    }
}
