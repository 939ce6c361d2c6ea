package dev.gadget.gadgets.runner;

import dev.gadget.gadgets.model.ContainerSelection;
import java.time.Duration;

/**
 * One running gadget of any kind, loaded and attached. {@link #run} works on the calling thread and
 * emits into the run's sink; {@link #stop} may come from any thread (Ctrl-C, a client going away);
 * {@link #close} releases every BPF object, link, map and mapping, once.
 */
public sealed interface Run extends AutoCloseable permits TraceRun, SnapshotRun, TopRun, ProfileRun {

    /**
     * Emits what the gadget sees until {@link #stop}, until {@code timeout} (null: no limit), until the
     * sink is gone, or (snapshot) until its one table is out. Does not emit the end: its caller knows
     * why the run ended.
     */
    void run(Duration timeout);

    void stop();

    /**
     * Changes which containers are traced, from any thread, while the run goes on: only within the filter
     * mode it loaded with (between named and ids selections: see CgroupFilter.canSwitch), else an
     * IllegalArgumentException.
     */
    void select(ContainerSelection selection);

    /** Events of processes outside the container selection, dropped in the kernel before they were built. */
    long filteredInKernel();

    @Override
    void close();
}
