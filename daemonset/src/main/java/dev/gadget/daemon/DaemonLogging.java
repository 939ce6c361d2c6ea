package dev.gadget.daemon;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The daemon logs one line per message to stderr (kubectl logs shows them): sessions starting and
 * ending, clients going away, failures. --verbose adds libbpf's messages and stack traces.
 */
final class DaemonLogging {
    /** Held here: LogManager keeps loggers only weakly, and a collected logger forgets its level. */
    private static final Logger LIBBPF = Logger.getLogger("dev.gadget.bpf.libbpf");
    private static final Logger JNA = Logger.getLogger("com.sun.jna");
    private static final Logger HTTP = Logger.getLogger("com.sun.net.httpserver");

    private DaemonLogging() {
    }

    static void configure(boolean verbose) {
        LogManager.getLogManager().reset();
        ConsoleHandler handler = new ConsoleHandler();
        handler.setLevel(Level.ALL);
        handler.setFormatter(new Formatter() {
            @Override
            public String format(LogRecord record) {
                String level = record.getLevel().intValue() >= Level.SEVERE.intValue() ? "error: "
                        : record.getLevel().intValue() >= Level.WARNING.intValue() ? "warning: " : "";
                StringBuilder line = new StringBuilder(level).append(formatMessage(record).replace('\n', ' '))
                        .append(System.lineSeparator());
                if (verbose && record.getThrown() != null) {
                    StringWriter trace = new StringWriter();
                    record.getThrown().printStackTrace(new PrintWriter(trace));
                    line.append(trace);
                }
                return line.toString();
            }
        });
        Logger root = Logger.getLogger("");
        root.addHandler(handler);
        root.setLevel(verbose ? Level.ALL : Level.INFO);
        LIBBPF.setLevel(verbose ? Level.ALL : Level.OFF);
        JNA.setLevel(verbose ? Level.ALL : Level.OFF);
        // The HTTP server tells of failing to accept connections only at its finest level, then tries again
        // at once: out of file descriptors, the daemon would be deaf without a word. Those records are read
        // here and said once a minute; the rest of that level shows with --verbose only.
        HTTP.setLevel(Level.ALL);
        OutOfFiles outOfFiles = new OutOfFiles(ProcessStats.now().maxFds());
        HTTP.setFilter(record -> {
            if (record.getThrown() != null && String.valueOf(record.getThrown().getMessage()).contains("Too many open files")) {
                outOfFiles.tell();
                return false;
            }
            return verbose || record.getLevel().intValue() >= Level.WARNING.intValue();
        });
    }

    /**
     * A warning that the daemon may open no more files, at most once a minute however often it happens.
     * The limit is read beforehand: by then, reading it would take a file descriptor.
     */
    private static final class OutOfFiles {
        private static final long EVERY_NANOS = 60_000_000_000L;
        private final Logger log = Logger.getLogger(Daemon.class.getName());
        private final long limit;
        private long lastTold;
        private boolean told;

        OutOfFiles(long limit) {
            this.limit = limit;
        }

        synchronized void tell() {
            long now = System.nanoTime();
            if (told && now - lastTold < EVERY_NANOS) {
                return;
            }
            told = true;
            lastTold = now;
            log.warning("accepting a connection: EMFILE — the daemon may open no more files (its limit is " + limit
                    + "): raise its open-files limit (ulimit -n; for a pod, the container runtime's LimitNOFILE), or end"
                    + " sessions; clients wait until then");
        }
    }
}
