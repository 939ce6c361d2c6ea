package dev.gadget.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** The gadget command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Thread.setDefaultUncaughtExceptionHandler(Main::failed);
        StopOnShutdown.install();
        StandardOutput out = new StandardOutput();
        PrintWriter err = new PrintWriter(new OutputStreamWriter(
                new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
        int status = Cli.execute(args, out, err);
        out.writer().flush();
        if (status == 0 && out.failure() != null) {
            err.println("Error: " + out.failure());
            status = Cli.FAILURE;
        }
        err.flush();
        StopOnShutdown.exit(status);
    }

    /**
     * A failure nothing caught, in any thread (out of heap before the command even parsed its arguments,
     * say): one line, and exit status 1 at once. What the process held in the kernel goes with it.
     */
    private static void failed(Thread thread, Throwable e) {
        try {
            System.err.println(Cli.failure(e));
            if (Boolean.getBoolean("gadget.trace")) {
                e.printStackTrace();
            }
            System.err.flush();
        } finally {
            Runtime.getRuntime().halt(Cli.FAILURE);
        }
    }
}
