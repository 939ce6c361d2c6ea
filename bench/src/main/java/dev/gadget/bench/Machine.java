package dev.gadget.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The machine a report was measured on: CPU, cores, memory, kernel, JDK, libbpf. */
public final class Machine {
    private Machine() {
    }

    public static String describe() {
        return String.format(Locale.ROOT, "Machine: %s, %d CPUs, %.0f GiB; Linux %s; %s %s; libbpf %s%n",
                cpuModel(), Runtime.getRuntime().availableProcessors(), memoryBytes() / (double) (1L << 30),
                System.getProperty("os.version"), System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"), libbpfVersion());
    }

    private static String cpuModel() {
        return read(Path.of("/proc/cpuinfo")).lines().filter(line -> line.startsWith("model name"))
                .map(line -> line.substring(line.indexOf(':') + 1).strip()).findFirst().orElse("unknown CPU");
    }

    private static long memoryBytes() {
        return read(Path.of("/proc/meminfo")).lines().filter(line -> line.startsWith("MemTotal:"))
                .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024).findFirst().orElse(0L);
    }

    /** The version of the Debian package libbpf1, which the JNA binding and the C consumer load. */
    private static String libbpfVersion() {
        try {
            return Commands.run(List.of("dpkg-query", "-W", "-f=${Version}", "libbpf1")).strip();
        } catch (RuntimeException e) {
            return "(version unknown: " + e.getMessage() + ")";
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }
}
