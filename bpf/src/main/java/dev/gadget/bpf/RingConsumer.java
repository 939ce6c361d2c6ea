package dev.gadget.bpf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The consumer side of the BPF ring buffer protocol, over memory the kernel shares with us: no system
 * call per record. Records are {u32 length with BUSY and DISCARD bits; u32 page offset} followed by the
 * payload, 8-byte aligned; positions only grow and wrap by mask. The data area is mapped twice in a row,
 * so a record that wraps is still contiguous. Space goes back to the kernel in small batches. One
 * thread consumes a ring at a time.
 */
final class RingConsumer {
    static final int BUSY = 1 << 31;
    static final int DISCARD = 1 << 30;
    static final int HEADER_SIZE = 8;

    private static final VarHandle POSITION = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle LENGTH = ValueLayout.JAVA_INT.varHandle();
    /** Most bytes read but not yet given back while draining: a bound on the space a drain holds. */
    static final long MAX_UNPUBLISHED = 64 * 1024;

    private final String name;
    private final MemorySegment consumerPage;
    private final MemorySegment producerPage;
    private final MemorySegment data;
    private final long size;
    private final long mask;
    private final long publishEvery;

    /**
     * @param consumerPage holds consumer_pos at 0, the only location we write
     * @param producerPage holds producer_pos at 0
     * @param data the ring's {@code size} bytes followed by the same bytes again
     */
    RingConsumer(String name, MemorySegment consumerPage, MemorySegment producerPage, MemorySegment data, long size) {
        if (Long.bitCount(size) != 1 || data.byteSize() != 2 * size) {
            throw new IllegalArgumentException(name + ": ring size " + size + " must be a power of two mapped twice");
        }
        this.name = name;
        this.consumerPage = consumerPage;
        this.producerPage = producerPage;
        this.data = data.asReadOnly();
        this.size = size;
        this.mask = size - 1;
        this.publishEvery = publishEvery(size);
    }

    /**
     * The consumer position is given back to the kernel in batches of this many bytes (and whenever the
     * ring is empty or a drain ends), not after every record: the producer reads the position on every
     * reservation and commit, so each store costs it a cache miss. A batch is a small share of the ring.
     */
    static long publishEvery(long size) {
        return Math.min(size / 16, MAX_UNPUBLISHED);
    }

    /**
     * Hands committed records to {@code handler} until the ring is empty, a record is still being
     * written (BUSY) or {@code maxRecords} were handled. Returns the number of records handled;
     * discarded records are skipped, not counted.
     */
    int drain(RecordHandler handler, int maxRecords) {
        long consumer = (long) POSITION.get(consumerPage, 0L);
        long published = consumer;
        long producer = (long) POSITION.getAcquire(producerPage, 0L);
        int handled = 0;
        try {
            while (handled < maxRecords) {
                if (consumer == producer) {
                    // The kernel wakes the reader only for a record committed at the consumer position. Look
                    // once more after our position is visible: a record committed meanwhile either shows up
                    // here or saw our position and will wake the epoll.
                    POSITION.setRelease(consumerPage, 0L, consumer);
                    published = consumer;
                    VarHandle.fullFence();
                    producer = (long) POSITION.getAcquire(producerPage, 0L);
                    if (producer == consumer) {
                        return handled;
                    }
                    continue;
                }
                long offset = consumer & mask;
                int header = (int) LENGTH.getAcquire(data, offset);
                if ((header & BUSY) != 0) {
                    POSITION.setRelease(consumerPage, 0L, consumer);
                    published = consumer;
                    VarHandle.fullFence();
                    if (((int) LENGTH.getAcquire(data, offset) & BUSY) != 0) {
                        return handled;
                    }
                    continue;
                }
                int length = header & ~(BUSY | DISCARD);
                long recordSize = (HEADER_SIZE + length + 7L) & ~7L;
                if (recordSize > size || recordSize > producer - consumer) {
                    throw new IllegalStateException("ring buffer " + name + " is corrupt: the record at position "
                            + consumer + " claims " + length + " bytes, but " + (producer - consumer)
                            + " are committed in a ring of " + size);
                }
                // Counted as read before the handler runs, so that a handler that throws still releases it; the
                // space goes back to the kernel only after the handler returned.
                consumer += recordSize;
                if ((header & DISCARD) == 0) {
                    handler.onRecord(data, offset + HEADER_SIZE, length);
                    handled++;
                }
                if (consumer - published >= publishEvery) {
                    POSITION.setRelease(consumerPage, 0L, consumer);
                    published = consumer;
                }
            }
            return handled;
        } finally {
            if (consumer != published) {
                POSITION.setRelease(consumerPage, 0L, consumer);
            }
        }
    }
}
