package dev.gadget.cli;

import java.io.PrintWriter;

/** Where a command's results go, and whether that still works. */
public interface Output {
    PrintWriter writer();

    /** Whether output can no longer be written: its reader is gone, or a write failed. */
    boolean gone();

    /** A write failure other than the reader going away, as one line for the user; null if none. */
    String failure();

    /** Output into a writer that cannot fail on its own (tests, a string). */
    static Output of(PrintWriter writer) {
        return new Output() {
            @Override
            public PrintWriter writer() {
                return writer;
            }

            @Override
            public boolean gone() {
                return writer.checkError();
            }

            @Override
            public String failure() {
                return writer.checkError() ? "writing the output failed" : null;
            }
        };
    }
}
