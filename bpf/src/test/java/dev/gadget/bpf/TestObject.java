package dev.gadget.bpf;

import com.sun.jna.Library;
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
}
