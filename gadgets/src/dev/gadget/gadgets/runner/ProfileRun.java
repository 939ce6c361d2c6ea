package dev.gadget.gadgets.runner;

import dev.gadget.bpf.PerCpuCounter;
import dev.gadget.gadgets.bpfcommon.SharedHeader;
import dev.gadget.gadgets.containers.HostRoot;
import dev.gadget.gadgets.model.ContainerSelection;
import dev.gadget.gadgets.model.GadgetDescription;
import dev.gadget.gadgets.model.ProfileFields;
import dev.gadget.gadgets.model.RunMessage;
import dev.gadget.gadgets.model.SortKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A profile: samples gathered until stopped or timed out, then one report, the most sampled stacks first. */
public final class ProfileRun implements Run {
    private static final long CHECK_NANOS = 200_000_000L;

    private final ProfileGadget gadget;
    private final LoadedGadget loaded;
    private final RowShape shape;
    private final RunSink sink;
    private final PerCpuCounter lost;
    private final ProfileGadget.Sampling sampling;
    private final Interruptible waiting = new Interruptible();

    ProfileRun(ProfileGadget gadget, LoadedGadget loaded, RowShape shape, RunSink sink, HostRoot host) {
        this.gadget = gadget;
        this.loaded = loaded;
        this.shape = shape;
        this.sink = sink;
        this.lost = new PerCpuCounter(loaded.object, SharedHeader.LOST);
        this.sampling = gadget.startSampling(loaded.object, loaded.values, host);
    }

    @Override
    public void run(Duration timeout) {
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        loaded.deliverNotices(sink);
        while (!waiting.isStopped() && !sink.gone()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            waiting.sleep(Math.min(left, CHECK_NANOS));
            sampling.whileSampling();
            loaded.deliverNotices(sink);
        }
        GadgetDescription description = gadget.description();
        ProfileGadget.Report report = sampling.report(loaded.context);
        List<Object[]> rows = new ArrayList<>(report.rows());
        rows.sort(RowOrder.of(description, List.of(new SortKey(ProfileFields.SAMPLES, true))));
        sink.emit(new RunMessage.Table(rows.stream().map(shape::emitted).toList()));
        long count = lost.sinceLastCall();
        if (count > 0) {
            sink.emit(new RunMessage.Lost(RunMessage.Lost.Where.KERNEL_MAP, count, count));
        }
        report.notices().forEach(sink::emit);
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
}
