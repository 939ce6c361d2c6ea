package dev.gadget.cli;

import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Log lines go to stderr, one per message; --verbose shows everything, libbpf and the verifier included. */
final class Logging {
    /** Held here: LogManager keeps loggers only weakly, and a collected logger forgets the level set on it. */
    private static final Logger LIBBPF = Logger.getLogger("dev.gadget.bpf.libbpf");
    /** JNA warns of its own when it cannot unpack its native part; the one-line error that follows says it all. */
    private static final Logger JNA = Logger.getLogger("com.sun.jna");

    private Logging() {
    }

    static void configure(boolean verbose) {
        LogManager.getLogManager().reset();
        ConsoleHandler handler = new ConsoleHandler();
        handler.setLevel(Level.ALL);
        handler.setFormatter(new Formatter() {
            @Override
            public String format(LogRecord record) {
                String message = formatMessage(record);
                return (record.getLevel().intValue() >= Level.WARNING.intValue() ? "warning: " : "")
                        + message + System.lineSeparator();
            }
        });
        Logger root = Logger.getLogger("");
        root.addHandler(handler);
        root.setLevel(verbose ? Level.ALL : Level.WARNING);
        // Without --verbose libbpf's own warnings are noise: failures reach the user as one-line errors.
        LIBBPF.setLevel(verbose ? Level.ALL : Level.OFF);
        JNA.setLevel(verbose ? Level.ALL : Level.OFF);
    }
}
