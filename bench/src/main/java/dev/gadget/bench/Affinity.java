package dev.gadget.bench;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import dev.gadget.bpf.Errno;

/** Pins threads to CPUs, so that producer and consumer each have their own CPU in every measurement. */
public final class Affinity {
    static {
        Native.register(Affinity.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private Affinity() {
    }

    private static native int sched_setaffinity(int pid, long maskSize, long[] mask);

    /** Pins the calling thread to {@code cpu}. */
    public static void pinCurrentThread(int cpu) {
        long[] mask = new long[cpu / Long.SIZE + 1];
        mask[cpu / Long.SIZE] = 1L << (cpu % Long.SIZE);
        if (sched_setaffinity(0, mask.length * (long) Long.BYTES, mask) != 0) {
            throw new IllegalStateException("pinning a thread to CPU " + cpu + ": " + Errno.name(Native.getLastError())
                    + " — the machine needs at least two online CPUs (CPU 0 and 1)");
        }
    }
}
