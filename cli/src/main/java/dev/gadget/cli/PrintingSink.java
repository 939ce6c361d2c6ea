package dev.gadget.cli;

import dev.gadget.cli.output.RunPrinter;
import dev.gadget.gadgets.model.RunMessage;
import dev.gadget.gadgets.runner.RunSink;
import java.io.PrintWriter;

/**
 * A run's messages for a person at a terminal (or a pipe): data through the printer to stdout, lost
 * counts and notices to stderr, one line each. Informational notices show with --verbose only.
 */
final class PrintingSink implements RunSink {
    private final String gadget;
    private final RunPrinter printer;
    private final Output output;
    private final PrintWriter err;
    private final boolean verbose;

    PrintingSink(String gadget, RunPrinter printer, Output output, PrintWriter err, boolean verbose) {
        this.gadget = gadget;
        this.printer = printer;
        this.output = output;
        this.err = err;
        this.verbose = verbose;
    }

    @Override
    public void emit(RunMessage message) {
        switch (message) {
            case RunMessage.Started s -> {
                printer.start();
                flush();
            }
            case RunMessage.Event event -> printer.event(event.values());
            case RunMessage.Table table -> printer.table(table.rows());
            case RunMessage.Lost lost -> err.println(StatusText.lost(gadget, lost));
            case RunMessage.Notice notice -> {
                if (notice.level() == RunMessage.Notice.Level.WARNING) {
                    err.println("warning: " + notice.message());
                } else if (verbose) {
                    err.println(notice.message());
                }
            }
            case RunMessage.End end -> {
                if (end.failed()) {
                    err.println("Error: " + end.error());
                }
            }
        }
    }

    @Override
    public void flush() {
        output.writer().flush();
    }

    /** Output is gone (| head, a closed pipe, a full disk): nothing more to print to, so the run stops. */
    @Override
    public boolean gone() {
        return output.gone();
    }
}
