package dev.gadget.bench.drain;

/**
 * The per-record work every consumer does, in Java as in C (ring_consumer.c): read the record's
 * sequence number, check it follows the previous one, count. While streaming, the time is sampled
 * every {@value #SAMPLE_EVERY} records, so the rate covers the span records actually flowed.
 */
final class SequenceCheck {
    static final int SAMPLE_EVERY = 1024;

    private long records;
    private long errors;
    private long next;
    private long firstSampleNanos;
    private long firstSampleRecords;
    private long lastSampleNanos;
    private long lastSampleRecords;

    void accept(long sequence) {
        if (records > 0 && sequence != next) {
            errors++;
        }
        next = sequence + 1;
        if ((++records & (SAMPLE_EVERY - 1)) == 0) {
            lastSampleNanos = System.nanoTime();
            lastSampleRecords = records;
            if (firstSampleNanos == 0) {
                firstSampleNanos = lastSampleNanos;
                firstSampleRecords = records;
            }
        }
    }

    long records() {
        return records;
    }

    /** Streaming: the rate between the first and the last time sample. */
    Tally sampled() {
        return new Tally(records, errors, lastSampleRecords - firstSampleRecords, lastSampleNanos - firstSampleNanos);
    }

    /** Draining a full ring: every record, over the drain's own duration. */
    Tally timed(long nanos) {
        return new Tally(records, errors, records, nanos);
    }
}
