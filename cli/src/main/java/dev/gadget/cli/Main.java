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
}
