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
        HTTP.setLevel(verbose ? Level.ALL : Level.WARNING);
    }
}
