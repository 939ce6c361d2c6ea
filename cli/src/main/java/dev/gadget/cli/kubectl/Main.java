package dev.gadget.cli.kubectl;

import dev.gadget.cli.StandardOutput;
import dev.gadget.cli.StopOnShutdown;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** kubectl-gadget: the kubectl plugin (kubectl finds it on PATH and runs it for "kubectl gadget ..."). */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        StopOnShutdown.install();
        // The Kubernetes client logs through SLF4J; without a provider SLF4J would warn on stderr. Nothing of
        // its logging is for the user: failures reach them as one-line errors.
        System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
        System.setProperty("slf4j.internal.verbosity", "WARN");
        StandardOutput out = new StandardOutput();
        PrintWriter err = new PrintWriter(new OutputStreamWriter(
                new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
        int status = KubectlCli.execute(args, out, err);
        out.writer().flush();
        if (status == 0 && out.failure() != null) {
            err.println("Error: " + out.failure());
            status = KubectlCli.FAILURE;
        }
        err.flush();
        StopOnShutdown.exit(status);
    }
}
