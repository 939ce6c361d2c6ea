package dev.gadget.daemon;

import dev.gadget.gadgets.model.RunMessage;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the runs of one gadget did, summed over its sessions, for /metrics. Each session's threads add
 * to these without locks (LongAdder), so counting never makes one session wait for another.
 * Emitted = sent + dropped + still queued, for events and tables alike.
 */
final class GadgetCounters {
    final LongAdder eventsEmitted = new LongAdder();
    final LongAdder eventsSent = new LongAdder();
    final LongAdder eventsDropped = new LongAdder();
    final LongAdder lostInKernelRing = new LongAdder();
    final LongAdder lostInKernelMap = new LongAdder();
    final LongAdder tablesEmitted = new LongAdder();
    final LongAdder tablesSent = new LongAdder();
    final LongAdder tablesDropped = new LongAdder();
    final LongAdder noticesDropped = new LongAdder();
    final LongAdder sessionsStarted = new LongAdder();
    final AtomicInteger sessionsRunning = new AtomicInteger();
    /** Sessions whose runs count what their container filter keeps out in the kernel, asked when read. */
    private final Set<Session> filtering = new HashSet<>();
    private long filteredByEnded;

    /** Events the container filters of this gadget's runs kept out in the kernel, over all sessions so far. */
    synchronized long filteredInKernel() {
        long total = filteredByEnded;
        for (Session session : filtering) {
            total += session.filteredInKernel();
        }
        return total;
    }

    synchronized void filtering(Session session) {
        filtering.add(session);
    }

    /** The session's run is over: its final count stays in the total. */
    synchronized void filteringEnded(Session session, long filtered) {
        filtering.remove(session);
        filteredByEnded += filtered;
    }

    /** A run's report of events it lost in the kernel. (Client drops are counted where they happen.) */
    void lost(RunMessage.Lost.Where where, long count) {
        switch (where) {
            case KERNEL_RING -> lostInKernelRing.add(count);
            case KERNEL_MAP -> lostInKernelMap.add(count);
            case CLIENT_QUEUE -> {
            }
        }
    }
}
