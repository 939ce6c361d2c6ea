package dev.gadget.bpf;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;

/** The binding test object (binding_test.bpf.c) and the system calls the tests make to trigger it. */
final class TestObject {
    static final int HIT_TRACEPOINT = 0;
    static final int HIT_RAW_TRACEPOINT = 1;
    static final int HIT_BTF_TRACEPOINT = 2;
    static final int HIT_PERF_EVENT = 3;

    interface Sys extends Library {
        Sys C = Native.load("c", Sys.class);

        int getppid();

        long syscall(long number, Object... args);
    }

    private TestObject() {
    }

    /** Opened, aimed at this JVM, not yet loaded. */
    static BpfObject open() {
        BpfObject object = BpfObject.open(TestObject.class, "binding_test.bpf.o");
        object.setConstant("target_pid", ProcessHandle.current().pid());
        return object;
    }

    static long hits(BpfObject object, int slot) {
        BpfMap hits = object.map("hits");
        var key = hits.newKeyBuffer().putInt(0, slot);
        var value = hits.newValueBuffer();
        if (!hits.lookup(key, value)) {
            throw new AssertionError("no slot " + slot);
        }
        return value.getLong(0);
    }

    static void getppid(int times) {
        for (int i = 0; i < times; i++) {
            Sys.C.getppid();
        }
    }

    /** perf_event_open(2) of the software cpu-clock for this process, sampling at 1 kHz. */
    static int openCpuClock() {
        try (Memory attr = new Memory(128)) {
            attr.clear();
            attr.setInt(0, 1);            // type PERF_TYPE_SOFTWARE
            attr.setInt(4, 128);          // size
            attr.setLong(8, 0);           // config PERF_COUNT_SW_CPU_CLOCK
            attr.setLong(16, 1000);       // sample_freq
            attr.setLong(40, 1L << 10);   // flags: freq
            long fd = Sys.C.syscall(298, attr, 0, -1, -1, 0L);
            if (fd < 0) {
                throw new AssertionError("perf_event_open: " + Errno.name(Native.getLastError()));
            }
            return (int) fd;
        }
    }
}
