package dev.gadget.gadgets.containers;

import dev.gadget.bpf.BpfObject;
import dev.gadget.bpf.PerCpuCounter;
import dev.gadget.bpf.RingBuffer;
import dev.gadget.gadgets.bpfcommon.CStrings;
import dev.gadget.gadgets.bpfcommon.SharedHeader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Learns of cgroup v2 directories the moment the kernel creates or removes them (cgroup_watch.bpf.c). */
final class CgroupWatcher implements AutoCloseable {
    private static final int RING_SIZE = 1 << 20;
    private static final int PATH = 16;

    interface Listener {
        void created(long id, String path);

        void removed(long id, String path);

        /** Changes were lost (the ring was full): what is known may be stale. */
        void missed();
    }

    private final BpfObject object;
    private final RingBuffer ring;
    private final PerCpuCounter lost;

    private CgroupWatcher(BpfObject object) {
        this.object = object;
        this.ring = object.ringBuffer(SharedHeader.EVENTS);
        this.lost = new PerCpuCounter(object, SharedHeader.LOST);
    }

    static CgroupWatcher start() {
        BpfObject object = BpfObject.open(CgroupWatcher.class, "cgroup_watch.bpf.o");
        try {
            object.setMaxEntries(SharedHeader.EVENTS, RING_SIZE);
            object.load();
            object.attachTracepoints();
            return new CgroupWatcher(object);
        } catch (RuntimeException e) {
            object.close();
            throw e;
        }
    }

    /** Delivers the changes that happened, waiting up to {@code timeoutMillis} for the first. */
    void poll(int timeoutMillis, Listener listener) {
        ring.poll(timeoutMillis, (MemorySegment data, long offset, int length) -> {
            long id = data.get(ValueLayout.JAVA_LONG_UNALIGNED, offset);
            boolean created = data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + 8) != 0;
            String path = CStrings.of(data, offset + PATH, data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + 12));
            if (created) {
                listener.created(id, path);
            } else {
                listener.removed(id, path);
            }
        });
        if (lost.sinceLastCall() > 0) {
            listener.missed();
        }
    }

    void wakeup() {
        ring.wakeup();
    }

    @Override
    public void close() {
        object.close();
    }
}
