package dev.gadget.gadgets.profile.cpu;

import dev.gadget.gadgets.bpfcommon.CStrings;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * A key of the samples map: struct sample_key of profile_cpu.bpf.c, whose offsets SampleKeyLayoutTest
 * checks against the object's BTF. A stack of 0 is none; its error (-errno) then says if one was lost.
 */
record SampleKey(long cgroupId, long mm, long userStack, long kernelStack, int pid, int userError, int kernelError,
        String comm) {
    static final int CGROUP_ID = 0;
    static final int MM = 8;
    static final int USER_STACK = 16;
    static final int KERNEL_STACK = 24;
    static final int PID = 32;
    static final int USER_ERROR = 36;
    static final int KERNEL_ERROR = 40;
    static final int COMM = 44;
    static final int COMM_LENGTH = 16;
    static final int SIZE = 64;

    static SampleKey decode(ByteBuffer key) {
        return new SampleKey(key.getLong(CGROUP_ID), key.getLong(MM), key.getLong(USER_STACK), key.getLong(KERNEL_STACK),
                key.getInt(PID), key.getInt(USER_ERROR), key.getInt(KERNEL_ERROR),
                CStrings.terminated(MemorySegment.ofBuffer(key), COMM, COMM_LENGTH));
    }
}
