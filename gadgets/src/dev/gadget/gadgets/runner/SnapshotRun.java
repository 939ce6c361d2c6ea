package dev.gadget.gadgets.runner;

import dev.gadget.bpf.PerCpuCounter;
import dev.gadget.gadgets.bpfcommon.SharedHeader;
import dev.gadget.gadgets.model.ContainerSelection;
import dev.gadget.gadgets.model.RunMessage;
import java.time.Duration;
import java.util.List;

/** A snapshot: one table, then the run is over. */
public final class SnapshotRun implements Run {
    private final SnapshotGadget gadget;
    private final LoadedGadget loaded;
    private final RowShape shape;
    private final RunSink sink;

    SnapshotRun(SnapshotGadget gadget, LoadedGadget loaded, RowShape shape, RunSink sink) {
        this.gadget = gadget;
        this.loaded = loaded;
        this.shape = shape;
        this.sink = sink;
    }

    @Override
    public void run(Duration timeout) {
        List<Object[]> rows = gadget.snapshot(loaded.object, loaded.values, loaded.context);
        loaded.deliverNotices(sink);
        sink.emit(new RunMessage.Table(rows.stream().map(shape::emitted).toList()));
        long lost = new PerCpuCounter(loaded.object, SharedHeader.LOST).total();
        if (lost > 0) {
            sink.emit(new RunMessage.Lost(RunMessage.Lost.Where.KERNEL_RING, lost, lost));
        }
        sink.flush();
    }

    @Override
    public void stop() {
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
        loaded.close();
    }
}
