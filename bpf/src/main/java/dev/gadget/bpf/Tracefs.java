package dev.gadget.bpf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;

/** tp/ programs attach through tracefs (libbpf reads the tracepoint ids there); mount it if nobody has. */
final class Tracefs {
    private static final Logger LOG = Logger.getLogger(Tracefs.class.getName());
    private static final Path TRACING = Path.of("/sys/kernel/tracing");
    private static final Path DEBUG_TRACING = Path.of("/sys/kernel/debug/tracing");

    private Tracefs() {
    }

    static synchronized void ensureMounted() {
        if (Files.isDirectory(TRACING.resolve("events")) || Files.isDirectory(DEBUG_TRACING.resolve("events"))) {
            return;
        }
        if (LibC.mount("nodev", TRACING.toString(), "tracefs", 0, null) != 0) {
            throw new BpfException("mounting tracefs at " + TRACING, LibC.errno(),
                    "tracepoints need it: mount -t tracefs nodev " + TRACING);
        }
        LOG.info("mounted tracefs at " + TRACING + " (tracepoint programs attach through it)");
    }
}
