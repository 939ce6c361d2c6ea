package dev.gadget.gadgets.runner;

import dev.gadget.bpf.BootClock;
import dev.gadget.bpf.BpfObject;
import dev.gadget.bpf.PerCpuCounter;
import dev.gadget.gadgets.bpfcommon.SharedHeader;
import dev.gadget.gadgets.containers.CgroupFilter;
import dev.gadget.gadgets.containers.ContainerRegistry;
import dev.gadget.gadgets.model.ContainerSelection;
import dev.gadget.gadgets.model.ParamValues;
import dev.gadget.gadgets.model.RunMessage;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What every kind of run starts with: the gadget's object opened, its container filter set, loaded
 * and the filter map filled (before anything attaches, so no unwanted event is ever built). Notices
 * for the user, which the filter raises on the registry's thread, wait here for the run's thread.
 */
final class LoadedGadget implements AutoCloseable {
    final BpfObject object;
    final ParamValues values;
    final DecodeContext context;
    private final CgroupFilter filter;
    private final PerCpuCounter filtered;
    private final Queue<RunMessage.Notice> notices;

    private LoadedGadget(BpfObject object, ParamValues values, CgroupFilter filter, DecodeContext context,
            Queue<RunMessage.Notice> notices) {
        this.object = object;
        this.values = values;
        this.filter = filter;
        this.filtered = new PerCpuCounter(object, SharedHeader.FILTERED);
        this.context = context;
        this.notices = notices;
    }

    static LoadedGadget load(Gadget gadget, ParamValues values, ContainerSelection selection,
            ContainerRegistry containers) {
        BpfObject object = gadget.open(values);
        CgroupFilter filter = null;
        Queue<RunMessage.Notice> notices = new ConcurrentLinkedQueue<>();
        try {
            CgroupFilter.configure(object, selection);
            if (gadget instanceof TraceGadget) {
                // A trace reads its ring on a timer (TraceRun): records below this fill do not wake it.
                object.setConstant(SharedHeader.WAKEUP_BYTES,
                        object.map(SharedHeader.EVENTS).maxEntries() / TraceRun.WAKEUP_SHARE);
            }
            object.load();
            // The registry starts on its own thread while the object loads; its failure is the run's.
            containers.awaitStarted();
            filter = CgroupFilter.start(object, selection, containers, notices::add);
            return new LoadedGadget(object, values, filter, new DecodeContext(BootClock.toEpochOffsetNanos(), containers),
                    notices);
        } catch (RuntimeException e) {
            if (filter != null) {
                filter.close();
            }
            object.close();
            throw e;
        }
    }

    /** Events of processes outside the container selection, dropped in the kernel before they were built. */
    long filteredInKernel() {
        return filtered.total();
    }

    /** Changes the containers traced, within the filter mode the object loaded with (see CgroupFilter.select). */
    void select(ContainerSelection selection) {
        filter.select(selection);
    }

    /** Hands the notices raised so far to {@code sink}, on the caller's thread. */
    void deliverNotices(RunSink sink) {
        for (RunMessage.Notice notice; (notice = notices.poll()) != null; ) {
            sink.emit(notice);
        }
    }

    @Override
    public void close() {
        filter.close();
        object.close();
    }
}
