package dev.gadget.bpf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The effective capabilities of this process (CapEff in /proc/self/status), to say which BPF needs and lacks. */
final class Capabilities {
    static final int SYS_ADMIN = 21;
    static final int PERFMON = 38;
    static final int BPF = 39;

    private Capabilities() {
    }

    /**
     * What loading and attaching BPF needs that this process lacks: CAP_BPF and CAP_PERFMON, unless it has
     * CAP_SYS_ADMIN, which covers both. Empty when it has them or when they cannot be read.
     */
    static List<String> missingForBpf() {
        long effective = effective();
        List<String> missing = new ArrayList<>();
        if (effective < 0 || has(effective, SYS_ADMIN)) {
            return missing;
        }
        if (!has(effective, BPF)) {
            missing.add("CAP_BPF");
        }
        if (!has(effective, PERFMON)) {
            missing.add("CAP_PERFMON");
        }
        return missing;
    }

    private static boolean has(long set, int capability) {
        return (set & (1L << capability)) != 0;
    }

    /** The CapEff mask, or -1 if /proc/self/status cannot tell. */
    private static long effective() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    return Long.parseUnsignedLong(line.substring("CapEff:".length()).strip(), 16);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
