package dev.gadget.bpf;

import java.nio.ByteBuffer;

/**
 * Events a BPF program could not deliver (a full ring), counted per CPU in the map {@code gadget_lost}
 * of the shared header gadget.h.
 */
public final class LostEvents {
    public static final String MAP = "gadget_lost";

    private final BpfMap map;
    private final ByteBuffer key;
    private final ByteBuffer values;
    private long reported;

    public LostEvents(BpfObject object) {
        this.map = object.map(MAP);
        this.key = map.newKeyBuffer();
        this.values = map.newValueBuffer();
    }

    /** Events lost since the object was loaded. */
    public synchronized long total() {
        key.putInt(0, 0);
        if (!map.lookup(key, values)) {
            return 0;
        }
        long sum = 0;
        int slot = (map.valueSize() + 7) & ~7;
        for (int offset = 0; offset + slot <= values.capacity(); offset += slot) {
            sum += values.getLong(offset);
        }
        return sum;
    }

    /** Events lost since the previous call (or since load, the first time). */
    public synchronized long sinceLastCall() {
        long total = total();
        long lost = total - reported;
        reported = total;
        return lost;
    }
}
