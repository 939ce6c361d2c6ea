package dev.gadget.bpf;

import com.sun.jna.Callback;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * Direct JNA mapping of the libbpf 1.1 functions this binding uses; nothing newer than 1.1 is bound.
 * Pointer-returning functions return null and set errno; int-returning ones return -errno.
 */
final class Libbpf {
    static final String LIBRARY = "libbpf.so.1";
    private static boolean registered;

    private Libbpf() {
    }

    /** Binds the natives once; every public entry point of this package calls it first. */
    static synchronized void register() {
        if (registered) {
            return;
        }
        try {
            Native.getNativeSize(long.class); // JNA's own native part first: its failure has another fix
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new BpfException("loading JNA's native library: " + firstLine(e) + " — JNA unpacks it into"
                    + " java.io.tmpdir (or ~/.cache), which must be writable and not noexec: use the gadget launcher,"
                    + " which ships it unpacked, or give a directory with -Djna.tmpdir=DIR");
        }
        try {
            Native.register(Libbpf.class, NativeLibrary.getInstance(LIBRARY));
        } catch (UnsatisfiedLinkError e) {
            throw new BpfException("loading " + LIBRARY + ": " + firstLine(e)
                    + " — install libbpf 1.1 or newer (Debian: apt-get install libbpf1)");
        }
        LibC.register();
        LibbpfLog.install();
        registered = true;
    }

    private static String firstLine(Throwable e) {
        return String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName());
    }

    interface PrintFn extends Callback {
        int invoke(int level, Pointer format, Pointer args);
    }

    static native Pointer libbpf_set_print(PrintFn fn);

    static native int libbpf_num_possible_cpus();

    static native Pointer bpf_object__open_mem(Pointer buf, long size, Pointer opts);

    static native int bpf_object__load(Pointer obj);

    static native void bpf_object__close(Pointer obj);

    static native Pointer bpf_object__btf(Pointer obj);

    static native Pointer bpf_object__find_program_by_name(Pointer obj, String name);

    static native Pointer bpf_object__next_program(Pointer obj, Pointer prev);

    static native Pointer bpf_object__find_map_by_name(Pointer obj, String name);

    static native String bpf_program__name(Pointer prog);

    static native String bpf_program__section_name(Pointer prog);

    static native int bpf_program__fd(Pointer prog);

    static native Pointer bpf_program__attach(Pointer prog);

    static native Pointer bpf_program__attach_iter(Pointer prog, Pointer opts);

    static native Pointer bpf_program__attach_perf_event(Pointer prog, int perfEventFd);

    static native int bpf_link__destroy(Pointer link);

    static native int bpf_link__fd(Pointer link);

    static native int bpf_iter_create(int linkFd);

    static native int bpf_map__fd(Pointer map);

    static native int bpf_map__type(Pointer map);

    static native int bpf_map__key_size(Pointer map);

    static native int bpf_map__value_size(Pointer map);

    static native int bpf_map__max_entries(Pointer map);

    static native int bpf_map__map_flags(Pointer map);

    static native Pointer bpf_object__next_map(Pointer object, Pointer map);

    static native int bpf_map__set_max_entries(Pointer map, int maxEntries);

    static native Pointer bpf_map__initial_value(Pointer map, long[] size);

    static native int bpf_map_lookup_elem(int fd, Pointer key, Pointer value);

    static native int bpf_map_update_elem(int fd, Pointer key, Pointer value, long flags);

    static native int bpf_map_delete_elem(int fd, Pointer key);

    static native int bpf_map_get_next_key(int fd, Pointer key, Pointer nextKey);

    static native int bpf_prog_get_next_id(int startId, int[] nextId);

    static native int bpf_link_get_next_id(int startId, int[] nextId);

    static native int bpf_map_get_next_id(int startId, int[] nextId);

    static native int bpf_prog_get_fd_by_id(int id);

    static native int bpf_link_get_fd_by_id(int id);

    static native int bpf_map_get_fd_by_id(int id);

    static native int bpf_obj_get_info_by_fd(int fd, Pointer info, int[] infoLength);

    static native int bpf_prog_test_run_opts(int progFd, Pointer opts);

    static native int btf__find_by_name_kind(Pointer btf, String name, int kind);

    static native Pointer btf__type_by_id(Pointer btf, int id);

    static native String btf__name_by_offset(Pointer btf, int offset);
}
