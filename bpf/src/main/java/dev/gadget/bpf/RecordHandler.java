package dev.gadget.bpf;

import java.lang.foreign.MemorySegment;

/** Receives ring buffer records in place, without copying. */
@FunctionalInterface
public interface RecordHandler {
    /**
     * One record: its payload is {@code data[offset, offset + length)}, read-only and valid only during
     * this call (the kernel reuses the space as soon as the call returns). {@code data} spans this one
     * record: reading past it throws.
     */
    void onRecord(MemorySegment data, long offset, int length);
}
