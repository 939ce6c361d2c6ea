package dev.gadget.gadgets.runner;

import dev.gadget.bpf.PerCpuCounter;
import dev.gadget.gadgets.bpfcommon.SharedHeader;
import dev.gadget.gadgets.model.ContainerSelection;
import dev.gadget.gadgets.model.GadgetDescription;
import dev.gadget.gadgets.model.RunMessage;
import dev.gadget.gadgets.model.TopParams;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/** A top gadget: every interval, what it counted, sorted by --sort and cut to --max-rows. */
public final class TopRun implements Run {
    private static final long CHECK_NANOS = 200_000_000L;

    private final TopGadget gadget;
    private final LoadedGadget loaded;
    private final RowShape shape;
    private final RunSink sink;
    private final PerCpuCounter lost;
    private final Comparator<Object[]> order;
    private final long intervalNanos;
    private final int maxRows;
    private final Interruptible waiting = new Interruptible();
    private long lostInTotal;

    TopRun(TopGadget gadget, LoadedGadget loaded, RowShape shape, RunSink sink) {
        GadgetDescription description = gadget.description();
        this.gadget = gadget;
        this.loaded = loaded;
        this.shape = shape;
        this.sink = sink;
        this.lost = new PerCpuCounter(loaded.object, SharedHeader.LOST);
        this.order = RowOrder.of(description, loaded.values.sortKeys(TopParams.SORT));
        this.intervalNanos = loaded.values.duration(TopParams.INTERVAL).toNanos();
        this.maxRows = (int) loaded.values.number(TopParams.MAX_ROWS);
        loaded.object.attachTracepoints();
    }

    @Override
    public void run(Duration timeout) {
        long start = System.nanoTime();
        long deadline = timeout == null ? Long.MAX_VALUE : start + timeout.toNanos();
        long next = start + intervalNanos;
        loaded.deliverNotices(sink);
        while (!waiting.isStopped() && !sink.gone()) {
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                break;
            }
            if (now - next < 0) {
                waiting.sleep(Math.min(Math.min(next, deadline) - now, CHECK_NANOS));
                loaded.deliverNotices(sink);
                continue;
            }
            next += intervalNanos;
            List<Object[]> rows = gadget.collect(loaded.object, loaded.values, loaded.context);
            sink.emit(new RunMessage.Table(rows.stream().sorted(order).limit(maxRows).map(shape::emitted).toList()));
            reportLost();
            sink.flush();
        }
        loaded.deliverNotices(sink);
        sink.flush();
    }

    @Override
    public void stop() {
        waiting.stop();
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
    public void close() {
        stop();
        loaded.close();
    }

    private void reportLost() {
        long count = lost.sinceLastCall();
        if (count > 0) {
            lostInTotal += count;
            sink.emit(new RunMessage.Lost(RunMessage.Lost.Where.KERNEL_MAP, count, lostInTotal));
        }
    }
}
