package dev.gadget.bench.exec;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What a running process has used so far, from /proc: CPU time of all its threads, of its JIT compiler
 * threads if it is a JVM, peak resident memory.
 */
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
        return cpuSeconds(Path.of("/proc", String.valueOf(pid), "stat"));
    }

    /**
     * User plus system CPU seconds of the process's live HotSpot compiler threads ("C1 CompilerThre...",
     * "C2 CompilerThre..."): what compiling its code costs; 0 for a process that is not a JVM.
     */
    static double compilerCpuSeconds(long pid) {
        Path tasks = Path.of("/proc", String.valueOf(pid), "task");
        double seconds = 0;
        try (Stream<Path> threads = Files.list(tasks)) {
            for (Path thread : threads.toList()) {
                try {
                    String name = Files.readString(thread.resolve("comm"));
                    if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                        seconds += cpuSeconds(thread.resolve("stat"));
                    }
                } catch (NoSuchFileException e) {
                    // A thread that ended since the listing: it compiles nothing more.
                } catch (UncheckedIOException e) {
                    if (!(e.getCause() instanceof NoSuchFileException)) {
                        throw e;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + tasks + " (did the tracer exit early?)", e);
        }
        return seconds;
    }

    private static double cpuSeconds(Path statFile) {
        String stat = read(statFile);
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
