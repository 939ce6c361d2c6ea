package dev.gadget.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * This process's resident memory, CPU time and open files, from /proc/self: what a pod's limits are
 * about. A value /proc cannot give is negative (NaN for the seconds), and left out of /metrics.
 */
record ProcessStats(long residentBytes, double cpuSeconds, long openFds, long maxFds, double startTimeSeconds) {

    static ProcessStats now() {
        ProcessHandle.Info info = ProcessHandle.current().info();
        double cpu = info.totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
        double start = info.startInstant().map(i -> i.toEpochMilli() / 1e3).orElse(Double.NaN);
        return new ProcessStats(readResidentBytes(), cpu, countOpenFds(), readMaxFds(), start);
    }

    /** VmRSS of /proc/self/status, in kB there. */
    private static long readResidentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring("VmRSS:".length()).replace("kB", "").strip()) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** The soft limit of open files, "Max open files" in /proc/self/limits. */
    private static long readMaxFds() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).strip().split("\\s+")[0];
                    return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private static long countOpenFds() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            return -1;
        }
    }
}
