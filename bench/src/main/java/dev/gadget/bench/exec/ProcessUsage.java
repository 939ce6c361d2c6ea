package dev.gadget.bench.exec;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a running process has used so far, from /proc: CPU time of all its threads, peak resident memory. */
final class ProcessUsage {
    private static final int SC_CLK_TCK = 2;
    private static final long TICKS_PER_SECOND;

    static {
        Native.register(ProcessUsage.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
        TICKS_PER_SECOND = sysconf(SC_CLK_TCK);
    }

    private ProcessUsage() {
    }

    private static native long sysconf(int name);

    /** User plus system CPU seconds of the whole process (every thread, ended ones included). */
    static double cpuSeconds(long pid) {
        String stat = read(Path.of("/proc", String.valueOf(pid), "stat"));
        // Fields after "(comm)": state is field 3, utime 14 and stime 15.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) TICKS_PER_SECOND;
    }

    /** Peak resident set size (VmHWM), in bytes. */
    static long peakRssBytes(long pid) {
        for (String line : read(Path.of("/proc", String.valueOf(pid), "status")).split("\n")) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("/proc/" + pid + "/status has no VmHWM line");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file + " (did the tracer exit early?)", e);
        }
    }
}
