package dev.gadget.bpf;

import java.nio.ByteBuffer;

/**
 * A u64 count a BPF program keeps in slot 0 of a per-CPU array (each CPU adds to its own copy, no
 * atomics), read here as the sum over the CPUs; gadget.h counts lost and filtered events this way.
 */
public final class PerCpuCounter {
    private final BpfMap map;
    private final ByteBuffer key;
    private final ByteBuffer values;
    private long reported;

    public PerCpuCounter(BpfObject object, String map) {
        this.map = object.map(map);
        if (!this.map.isPerCpu() || this.map.valueSize() != Long.BYTES) {
            throw new IllegalArgumentException(map + " of " + object.name() + " is not a per-CPU array of u64");
        }
        this.key = this.map.newKeyBuffer();
        this.values = this.map.newValueBuffer();
    }

    /** The count since the object was loaded. */
    public synchronized long total() {
        key.putInt(0, 0);
        if (!map.lookup(key, values)) {
            return 0;
        }
        long sum = 0;
        for (int offset = 0; offset < values.capacity(); offset += Long.BYTES) {
            sum += values.getLong(offset);
        }
        return sum;
    }

    /** How much the count grew since the previous call (or since load, the first time). */
    public synchronized long sinceLastCall() {
        long total = total();
        long grown = total - reported;
        reported = total;
        return grown;
    }
}
