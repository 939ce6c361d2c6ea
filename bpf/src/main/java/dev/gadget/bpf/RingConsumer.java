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
 *
 * <p>The ring is read by address through one segment spanning all memory, held in a static final
 * field: the JIT then folds its session and bounds checks away, which per record cost as much as the
 * rest of the loop. Handlers get a read-only slice of exactly their record, bounded as ever.
 */
final class RingConsumer {
    static final int BUSY = 1 << 31;
    static final int DISCARD = 1 << 30;
    static final int HEADER_SIZE = 8;
    /** Most bytes read but not yet given back while draining: a bound on the space a drain holds. */
    static final long MAX_UNPUBLISHED = 64 * 1024;

    private static final int LENGTH_MASK = ~(BUSY | DISCARD);
    private static final MemorySegment MEMORY = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final MemorySegment RECORDS = MEMORY.asReadOnly();
    private static final VarHandle POSITION = ValueLayout.JAVA_LONG.varHandle();
    /** Read plainly, then ordered before the payload by an acquire fence: an acquire load would add an alignment check. */
    private static final ValueLayout.OfInt HEADER = ValueLayout.JAVA_INT_UNALIGNED;

    /**
     * While draining, one byte this far ahead is read once a page: its page-table walk, dear in a VM, then
     * overlaps the records before it instead of stalling the loop when the reader gets there (hardware
     * prefetchers stop at page boundaries). On an AMD EPYC VM this took the full-ring drain of 256 and 1024 B
     * records from 0.80-0.85x libbpf's C consumer to 0.93-1.06x (docs/performance.md).
     */
    private static final long TOUCH_AHEAD = 16 * 1024;
    private static final long PAGE = 4096;

    private final String name;
    private final long consumerPosition;
    private final long producerPosition;
    private final long data;
    private final long size;
    private final long mask;
    private final long publishEvery;
    /** What the reads ahead read: kept, so that the JIT cannot drop them as unused. */
    private long touched;

    /**
     * @param consumerPage holds consumer_pos at 0, the only location we write
     * @param producerPage holds producer_pos at 0
     * @param data the ring's {@code size} bytes followed by the same bytes again
     */
    RingConsumer(String name, MemorySegment consumerPage, MemorySegment producerPage, MemorySegment data, long size) {
        if (Long.bitCount(size) != 1 || data.byteSize() != 2 * size) {
            throw new IllegalArgumentException(name + ": ring size " + size + " must be a power of two mapped twice");
        }
        if (consumerPage.byteSize() < Long.BYTES || producerPage.byteSize() < Long.BYTES) {
            throw new IllegalArgumentException(name + ": the position pages must hold a u64 each");
        }
        this.name = name;
        this.consumerPosition = consumerPage.address();
        this.producerPosition = producerPage.address();
        this.data = data.address();
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
        long consumer = (long) POSITION.get(MEMORY, consumerPosition);
        long published = consumer;
        long publishAt = consumer + publishEvery;
        long producer = producer(consumer);
        int handled = 0;
        long touchAt = consumer;
        long touch = 0;
        try {
            while (handled < maxRecords) {
                if (consumer == producer) {
                    // The kernel wakes the reader only for a record committed at the consumer position. Look
                    // once more after our position is visible: a record committed meanwhile either shows up
                    // here or saw our position and will wake the epoll.
                    POSITION.setRelease(MEMORY, consumerPosition, consumer);
                    published = consumer;
                    publishAt = consumer + publishEvery;
                    VarHandle.fullFence();
                    producer = producer(consumer);
                    if (producer == consumer) {
                        return handled;
                    }
                    continue;
                }
                long record = data + (consumer & mask);
                if (consumer >= touchAt) {
                    touchAt = consumer + PAGE;
                    if (producer - consumer > TOUCH_AHEAD) {
                        touch += MEMORY.get(ValueLayout.JAVA_BYTE, record + TOUCH_AHEAD);
                    }
                }
                int header = MEMORY.get(HEADER, record);
                VarHandle.acquireFence();
                if ((header & BUSY) != 0) {
                    POSITION.setRelease(MEMORY, consumerPosition, consumer);
                    published = consumer;
                    publishAt = consumer + publishEvery;
                    VarHandle.fullFence();
                    if ((MEMORY.get(HEADER, record) & BUSY) != 0) {
                        return handled;
                    }
                    continue;
                }
                int length = header & LENGTH_MASK;
                long recordSize = (HEADER_SIZE + length + 7L) & ~7L;
                // Committed bytes never exceed the ring (checked in producer()), so neither does a record.
                if (recordSize > producer - consumer) {
                    throw corrupt(consumer, "claims " + length + " bytes, but " + (producer - consumer)
                            + " are committed");
                }
                // Counted as read before the handler runs, so that a handler that throws still releases it; the
                // space goes back to the kernel only after the handler returned.
                consumer += recordSize;
                if ((header & DISCARD) == 0) {
                    handler.onRecord(RECORDS.asSlice(record + HEADER_SIZE, length), 0, length);
                    handled++;
                }
                if (consumer >= publishAt) {
                    POSITION.setRelease(MEMORY, consumerPosition, consumer);
                    published = consumer;
                    publishAt = consumer + publishEvery;
                }
            }
            return handled;
        } finally {
            touched += touch;
            if (consumer != published) {
                POSITION.setRelease(MEMORY, consumerPosition, consumer);
            }
        }
    }

    /** The producer position; what lies between it and ours is written or being written. */
    private long producer(long consumer) {
        long producer = (long) POSITION.getAcquire(MEMORY, producerPosition);
        if (producer < consumer || producer - consumer > size) {
            throw corrupt(consumer, "is " + (producer - consumer) + " bytes behind the producer");
        }
        return producer;
    }

    private IllegalStateException corrupt(long consumer, String what) {
        return new IllegalStateException("ring buffer " + name + " is corrupt: the record at position " + consumer
                + " " + what + ", in a ring of " + size);
    }
}
