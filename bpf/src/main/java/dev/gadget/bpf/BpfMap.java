package dev.gadget.bpf;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A map of a loaded object, read and written through direct ByteBuffers (native byte order, used from
 * index 0). Per-CPU maps take values of {@link #valueBufferSize()} bytes: one 8-byte aligned slot per CPU.
 */
public final class BpfMap {
    private static final int TYPE_PERCPU_HASH = 5;
    private static final int TYPE_PERCPU_ARRAY = 6;
    private static final int TYPE_LRU_PERCPU_HASH = 10;
    private static final int TYPE_PERCPU_CGROUP_STORAGE = 21;
    /** struct bpf_map_info up to its id: type at 0, id at 4. */
    private static final int MAP_INFO_SIZE = 8;
    private static final int MAP_INFO_ID = 4;

    /** How an update treats an existing key. */
    public enum Update {
        ANY(0), NOEXIST(1), EXIST(2);

        private final long flag;

        Update(long flag) {
            this.flag = flag;
        }
    }

    private final BpfObject owner;
    private final String name;
    private final Pointer map;

    BpfMap(BpfObject owner, String name, Pointer map) {
        this.owner = owner;
        this.name = name;
        this.map = map;
    }

    public String name() {
        return name;
    }

    public int keySize() {
        return Libbpf.bpf_map__key_size(map);
    }

    public int valueSize() {
        return Libbpf.bpf_map__value_size(map);
    }

    public int maxEntries() {
        return Libbpf.bpf_map__max_entries(map);
    }

    public boolean isPerCpu() {
        return switch (Libbpf.bpf_map__type(map)) {
            case TYPE_PERCPU_HASH, TYPE_PERCPU_ARRAY, TYPE_LRU_PERCPU_HASH, TYPE_PERCPU_CGROUP_STORAGE -> true;
            default -> false;
        };
    }

    /** Bytes a lookup writes: the value size, or for per-CPU maps one 8-byte aligned slot per possible CPU. */
    public int valueBufferSize() {
        return isPerCpu() ? ((valueSize() + 7) & ~7) * PossibleCpus.count() : valueSize();
    }

    public ByteBuffer newKeyBuffer() {
        return ByteBuffer.allocateDirect(keySize()).order(ByteOrder.nativeOrder());
    }

    public ByteBuffer newValueBuffer() {
        return ByteBuffer.allocateDirect(valueBufferSize()).order(ByteOrder.nativeOrder());
    }

    /** Copies the value of {@code key} into {@code value}; false if the key is absent. */
    public boolean lookup(ByteBuffer key, ByteBuffer value) {
        int rc = Libbpf.bpf_map_lookup_elem(fd(), pointer(key, keySize(), "key"),
                pointer(value, valueBufferSize(), "value"));
        return absentOrFail(rc, "looking up");
    }

    public void update(ByteBuffer key, ByteBuffer value, Update mode) {
        int rc = Libbpf.bpf_map_update_elem(fd(), pointer(key, keySize(), "key"),
                pointer(value, valueBufferSize(), "value"), mode.flag);
        if (rc < 0) {
            throw new BpfException("updating map " + name, rc, switch (-rc) {
                case Errno.E2BIG -> "the map is full (" + maxEntries() + " entries)";
                case Errno.EEXIST -> "the key exists and the update asked for NOEXIST";
                case Errno.ENOENT -> "the key is absent and the update asked for EXIST";
                default -> "check key and value sizes";
            });
        }
    }

    /** Deletes {@code key}; false if it was absent. */
    public boolean delete(ByteBuffer key) {
        return absentOrFail(Libbpf.bpf_map_delete_elem(fd(), pointer(key, keySize(), "key")), "deleting from");
    }

    /** A snapshot of the keys; entries added or removed meanwhile may or may not show. */
    public List<ByteBuffer> keys() {
        List<ByteBuffer> keys = new ArrayList<>();
        ByteBuffer next = newKeyBuffer();
        int rc = Libbpf.bpf_map_get_next_key(fd(), null, pointer(next, keySize(), "key"));
        while (rc == 0) {
            keys.add(next);
            ByteBuffer previous = next;
            next = newKeyBuffer();
            rc = Libbpf.bpf_map_get_next_key(fd(), pointer(previous, keySize(), "key"),
                    pointer(next, keySize(), "key"));
        }
        absentOrFail(rc, "listing keys of");
        return keys;
    }

    /** The kernel's id of the map: another process can open it with bpf_map_get_fd_by_id (as root). */
    public int id() {
        try (Memory info = new Memory(MAP_INFO_SIZE)) {
            info.clear();
            int rc = Libbpf.bpf_obj_get_info_by_fd(fd(), info, new int[] {MAP_INFO_SIZE});
            if (rc < 0) {
                throw BpfException.of("reading the id of map " + name, rc);
            }
            return info.getInt(MAP_INFO_ID);
        }
    }

    /** The map's file descriptor, owned by its object: valid until the object is closed, never to be closed. */
    public int fd() {
        if (owner.isClosed()) {
            throw new IllegalStateException("map " + name + ": its object " + owner.name() + " is closed");
        }
        int fd = Libbpf.bpf_map__fd(map);
        if (fd < 0) {
            throw new IllegalStateException("map " + name + " of " + owner.name() + " is not loaded yet");
        }
        return fd;
    }

    private boolean absentOrFail(int rc, String operation) {
        if (rc == 0) {
            return true;
        }
        if (rc == -Errno.ENOENT) {
            return false;
        }
        throw BpfException.of(operation + " map " + name, rc);
    }

    private static Pointer pointer(ByteBuffer buffer, int size, String what) {
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException(what + " buffer must be direct (ByteBuffer.allocateDirect)");
        }
        if (buffer.capacity() < size) {
            throw new IllegalArgumentException(what + " buffer holds " + buffer.capacity() + " bytes, needs " + size);
        }
        return Native.getDirectBufferPointer(buffer);
    }
}
