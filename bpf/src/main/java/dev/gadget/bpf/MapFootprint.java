package dev.gadget.bpf;

import com.sun.jna.Pointer;

/**
 * A lower bound of the memory the kernel allocates for a map when it is made, from its type and sizes:
 * arrays, ring buffers, stack maps and preallocated hashes. Maps filled on demand (BPF_F_NO_PREALLOC,
 * LRU lists aside) count nothing: they fail one update at a time, not all at once.
 */
final class MapFootprint {
    private static final int TYPE_HASH = 1;
    private static final int TYPE_ARRAY = 2;
    private static final int TYPE_PERCPU_HASH = 5;
    private static final int TYPE_PERCPU_ARRAY = 6;
    private static final int TYPE_STACK_TRACE = 7;
    private static final int TYPE_LRU_HASH = 9;
    private static final int TYPE_LRU_PERCPU_HASH = 10;
    private static final int TYPE_RINGBUF = 27;
    private static final int F_NO_PREALLOC = 1;

    private MapFootprint() {
    }

    static long bytes(Pointer map) {
        long entries = Integer.toUnsignedLong(Libbpf.bpf_map__max_entries(map));
        long key = Libbpf.bpf_map__key_size(map);
        long value = (Libbpf.bpf_map__value_size(map) + 7L) & ~7L;
        boolean preallocated = (Libbpf.bpf_map__map_flags(map) & F_NO_PREALLOC) == 0;
        return switch (Libbpf.bpf_map__type(map)) {
            case TYPE_ARRAY -> entries * value;
            case TYPE_PERCPU_ARRAY -> entries * value * PossibleCpus.count();
            case TYPE_RINGBUF -> entries;
            case TYPE_STACK_TRACE -> entries * value;
            case TYPE_HASH, TYPE_LRU_HASH -> preallocated ? entries * (key + value) : 0;
            case TYPE_PERCPU_HASH, TYPE_LRU_PERCPU_HASH -> preallocated ? entries * (key + value * PossibleCpus.count()) : 0;
            default -> 0;
        };
    }
}
