package dev.gadget.bpf;

/** Converts bpf_ktime_get_boot_ns() timestamps (CLOCK_BOOTTIME) to wall-clock time. */
public final class BootClock {
    private BootClock() {
    }

    /** Add this to a CLOCK_BOOTTIME timestamp to get nanoseconds since the Unix epoch, as of now. */
    public static long toEpochOffsetNanos() {
        Libbpf.register();
        long[] boot = new long[2];
        long[] real = new long[2];
        LibC.clock_gettime(LibC.CLOCK_BOOTTIME, boot);
        LibC.clock_gettime(LibC.CLOCK_REALTIME, real);
        return nanos(real) - nanos(boot);
    }

    private static long nanos(long[] timespec) {
        return timespec[0] * 1_000_000_000L + timespec[1];
    }
}
