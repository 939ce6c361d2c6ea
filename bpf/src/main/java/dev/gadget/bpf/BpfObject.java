package dev.gadget.bpf;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * One BPF ELF object: open from bytes, set its {@code const volatile} globals, load, attach, use its
 * maps, close. Closing destroys every link and ring buffer opened through it, then the object with its
 * programs and maps; it is idempotent and safe from another thread (e.g. a Ctrl-C handler).
 */
public final class BpfObject implements AutoCloseable {
    /** struct bpf_object_open_opts up to object_name: sz at 0, object_name at 8. */
    private static final int OPEN_OPTS_SIZE = 16;
    /** struct bpf_test_run_opts of libbpf 1.1: sz at 0, retval at 56, 80 bytes in all. */
    private static final int TEST_RUN_OPTS_SIZE = 80;
    private static final int TEST_RUN_RETVAL = 56;

    private final String name;
    /** libbpf parses the ELF in place, without copying it, until load. */
    private final Memory elf;
    private final List<AutoCloseable> owned = new ArrayList<>();
    private Pointer object;
    private boolean loaded;

    private BpfObject(String name, Memory elf, Pointer object) {
        this.name = name;
        this.elf = elf;
        this.object = object;
    }

    /** Opens an object from its ELF bytes; the name shows in error messages and prefixes internal maps. */
    public static BpfObject open(String name, byte[] elfBytes) {
        Libbpf.register();
        Memory elf = new Memory(elfBytes.length);
        elf.write(0, elfBytes, 0, elfBytes.length);
        Memory objectName = new Memory(name.length() + 1L);
        objectName.setString(0, name, "US-ASCII");
        Memory opts = new Memory(OPEN_OPTS_SIZE);
        opts.clear();
        opts.setLong(0, OPEN_OPTS_SIZE);
        opts.setPointer(8, objectName);
        Pointer object = Libbpf.bpf_object__open_mem(elf, elfBytes.length, opts);
        if (object == null) {
            throw new BpfException("opening BPF object " + name, LibC.errno(),
                    "the object file is not valid BPF ELF: rebuild it (run with --verbose to see libbpf's log)");
        }
        return new BpfObject(name, elf, object);
    }

    /** Opens an object shipped as a class-path resource next to {@code owner}. */
    public static BpfObject open(Class<?> owner, String resource) {
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) {
                throw new BpfException("opening BPF object " + resource + ": not found next to "
                        + owner.getName() + " — the build compiles *.bpf.c into the jar: rebuild with mvn package");
            }
            return open(resource.replace(".bpf.o", ""), in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource, e);
        }
    }

    public String name() {
        return name;
    }

    /** Sets a {@code const volatile} global (1, 2, 4 or 8 bytes) before load. */
    public synchronized void setConstant(String variable, long value) {
        requireOpen("setting " + variable);
        if (loaded) {
            throw new IllegalStateException(name + ": constants are frozen after load; set " + variable + " before");
        }
        Btf.Variable slot = Btf.variables(btf(), ".rodata").get(variable);
        if (slot == null) {
            throw new IllegalArgumentException(name + " has no const volatile global '" + variable + "'");
        }
        Pointer rodata = initialValue(".rodata");
        switch (slot.size()) {
            case 1 -> rodata.setByte(slot.offset(), (byte) value);
            case 2 -> rodata.setShort(slot.offset(), (short) value);
            case 4 -> rodata.setInt(slot.offset(), (int) value);
            case 8 -> rodata.setLong(slot.offset(), value);
            default -> throw new IllegalArgumentException(variable + " is " + slot.size() + " bytes, not a number");
        }
    }

    public void setConstant(String variable, boolean value) {
        setConstant(variable, value ? 1 : 0);
    }

    /** Resizes a map before load, e.g. a ring buffer (a power of two, page aligned) or a per-CPU slot array. */
    public synchronized void setMaxEntries(String map, int maxEntries) {
        requireOpen("resizing " + map);
        int rc = Libbpf.bpf_map__set_max_entries(mapPointer(map), maxEntries);
        if (rc < 0) {
            throw new BpfException("resizing map " + map + " of " + name + " to " + maxEntries, rc,
                    "maps can only be resized before load");
        }
    }

    public synchronized void load() {
        requireOpen("loading");
        // A map the memory cgroup cannot hold fails with ENOMEM, but while the kernel fills it the cgroup is
        // at its limit, and any other allocation of the process then wakes the OOM killer: refuse first.
        OptionalLong headroom = MemoryCgroup.headroom();
        if (headroom.isPresent() && mapBytes() > headroom.getAsLong()) {
            throw BpfException.of("loading " + name, -Errno.ENOMEM);
        }
        int rc = Libbpf.bpf_object__load(object);
        if (rc < 0) {
            throw BpfException.of("loading " + name, rc);
        }
        loaded = true;
    }

    /** What the kernel allocates for the maps when they are made (maps allocated as used are left out). */
    private long mapBytes() {
        long bytes = 0;
        for (Pointer map = Libbpf.bpf_object__next_map(object, null); map != null;
                map = Libbpf.bpf_object__next_map(object, map)) {
            bytes += MapFootprint.bytes(map);
        }
        return bytes;
    }

    /** Names of the object's programs, in ELF order. */
    public synchronized List<String> programs() {
        requireOpen("listing programs");
        List<String> names = new ArrayList<>();
        for (Pointer p = Libbpf.bpf_object__next_program(object, null); p != null;
                p = Libbpf.bpf_object__next_program(object, p)) {
            names.add(Libbpf.bpf_program__name(p));
        }
        return names;
    }

    /** Attaches every tracepoint, raw tracepoint and BTF tracepoint program: their sections name the hook. */
    public synchronized void attachTracepoints() {
        for (String program : programs()) {
            String section = Libbpf.bpf_program__section_name(program(program));
            if (isTracepoint(section)) {
                attach(program);
            }
        }
    }

    /** Attaches a program where its section name says (tp/, raw_tp/, tp_btf/, iter/, uprobe/...). */
    public synchronized BpfLink attach(String program) {
        Pointer prog = program(program);
        String section = Libbpf.bpf_program__section_name(prog);
        if (section.startsWith("tp/") || section.startsWith("tracepoint/")) {
            Tracefs.ensureMounted();
        }
        Pointer link = Libbpf.bpf_program__attach(prog);
        if (link == null) {
            throw BpfException.of("attaching " + name + "/" + program + " to " + section, LibC.errno());
        }
        return own(new BpfLink(link, program));
    }

    /**
     * Attaches a perf_event program to {@code event} and enables the event. The link owns the event from
     * then on (libbpf's perf link closes its file descriptor when destroyed, with this object); if
     * attaching fails, the event is closed here. Either way the caller has nothing left to close.
     */
    public synchronized BpfLink attachPerfEvent(String program, PerfEvent event) {
        Pointer link;
        try {
            link = Libbpf.bpf_program__attach_perf_event(program(program), event.fd());
        } catch (RuntimeException e) {
            event.close();
            throw e;
        }
        if (link == null) {
            int errno = LibC.errno();
            event.close();
            throw BpfException.of("attaching " + name + "/" + program + " to " + event.name(), errno);
        }
        event.handOver();
        return own(new BpfLink(link, program));
    }

    /** Attaches an iter/ program; each {@link BpfIterator#read()} then runs it once. */
    public synchronized BpfIterator iterator(String program) {
        Pointer link = Libbpf.bpf_program__attach_iter(program(program), null);
        if (link == null) {
            throw BpfException.of("attaching iterator " + name + "/" + program, LibC.errno());
        }
        own(new BpfLink(link, program));
        return new BpfIterator(name + "/" + program, Libbpf.bpf_link__fd(link));
    }

    /**
     * Runs a program once, in the calling thread, through BPF_PROG_TEST_RUN without input: for program
     * types that need none (raw_tp, syscall), e.g. a benchmark's producer. Returns its return value.
     */
    public synchronized int testRun(String program) {
        int fd = Libbpf.bpf_program__fd(program(program));
        try (Memory opts = new Memory(TEST_RUN_OPTS_SIZE)) {
            opts.clear();
            opts.setLong(0, TEST_RUN_OPTS_SIZE);
            int rc = Libbpf.bpf_prog_test_run_opts(fd, opts);
            if (rc < 0) {
                throw new BpfException("test-running " + name + "/" + program, rc,
                        "BPF_PROG_TEST_RUN without input takes raw_tp and syscall programs only");
            }
            return opts.getInt(TEST_RUN_RETVAL);
        }
    }

    public synchronized BpfMap map(String map) {
        requireOpen("finding map " + map);
        return new BpfMap(this, map, mapPointer(map));
    }

    /** Maps a BPF_MAP_TYPE_RINGBUF map for reading; closed with this object if not before. */
    public synchronized RingBuffer ringBuffer(String map) {
        BpfMap ring = map(map);
        requireLoaded("opening ring buffer " + map);
        return own(RingBuffer.open(name + "/" + map, ring.fd(), ring.maxEntries()));
    }

    /** A struct's layout from the object's BTF: lets a Java decoder be checked against the C source. */
    public synchronized StructLayout structLayout(String struct) {
        requireOpen("reading struct " + struct);
        return Btf.struct(btf(), struct);
    }

    @Override
    public void close() {
        List<AutoCloseable> toClose;
        Pointer toFree;
        synchronized (this) {
            if (object == null) {
                return;
            }
            toClose = new ArrayList<>(owned);
            owned.clear();
            toFree = object;
            object = null;
        }
        // Ring readers first (they may be mid-poll on another thread), then links, then the object.
        RuntimeException failure = null;
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new BpfException("closing " + name + ": " + e.getMessage());
                }
            }
        }
        Libbpf.bpf_object__close(toFree);
        elf.close();
        if (failure != null) {
            throw failure;
        }
    }

    synchronized boolean isClosed() {
        return object == null;
    }

    private <T extends AutoCloseable> T own(T resource) {
        owned.add(resource);
        return resource;
    }

    private static boolean isTracepoint(String section) {
        return section.startsWith("tp/") || section.startsWith("tracepoint/") || section.startsWith("raw_tp/")
                || section.startsWith("raw_tracepoint/") || section.startsWith("tp_btf/");
    }

    private Pointer program(String program) {
        requireLoaded("attaching " + program);
        Pointer prog = Libbpf.bpf_object__find_program_by_name(object, program);
        if (prog == null) {
            throw new IllegalArgumentException(name + " has no program '" + program + "'; it has " + programs());
        }
        return prog;
    }

    private Pointer mapPointer(String map) {
        Pointer pointer = Libbpf.bpf_object__find_map_by_name(object, map);
        if (pointer == null) {
            throw new IllegalArgumentException(name + " has no map '" + map + "'");
        }
        return pointer;
    }

    private Pointer btf() {
        Pointer btf = Libbpf.bpf_object__btf(object);
        if (btf == null) {
            throw new BpfException(name + " carries no BTF: compile it with clang -g");
        }
        return btf;
    }

    private Pointer initialValue(String section) {
        long[] size = new long[1];
        Pointer value = Libbpf.bpf_map__initial_value(mapPointer(section), size);
        if (value == null) {
            throw new BpfException(name + ": no initial value for " + section);
        }
        return value;
    }

    private void requireOpen(String operation) {
        if (object == null) {
            throw new IllegalStateException(operation + " in " + name + ": the object is closed");
        }
    }

    private void requireLoaded(String operation) {
        requireOpen(operation);
        if (!loaded) {
            throw new IllegalStateException(operation + " in " + name + ": load the object first");
        }
    }
}
