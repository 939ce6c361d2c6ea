package dev.gadget.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;

/**
 * The run the build records into gadget.aot, the launcher's AOT cache (JDK 25, -XX:AOTMode=record):
 * a user's first second, so that its classes come loaded and linked from the cache instead of being
 * read, verified and linked at every start. It traces exec in each output format while processes
 * start; without BPF (a build that is not root) the traces fail at once and the cache holds start-up
 * and command-line parsing only.
 */
public final class AotTraining {
    private static final List<List<String>> COMMANDS = List.of(
            List.of("trace", "exec", "--timeout", "1"),
            List.of("trace", "exec", "-o", "json", "--timeout", "1"),
            List.of("trace", "exec", "-o", "json", "--paths", "--timeout", "1"),
            List.of("--help"));
    private static final long EXEC_EVERY_MILLIS = 20;

    private AotTraining() {
    }

    public static void main(String[] args) {
        Thread.ofPlatform().daemon().name("aot-training-execs").start(AotTraining::execs);
        PrintWriter discard = new PrintWriter(Writer.nullWriter());
        for (List<String> command : COMMANDS) {
            Cli.execute(command.toArray(String[]::new), discard, discard);
        }
    }

    /** Events to decode and print while the traces run. */
    private static void execs() {
        try {
            while (true) {
                new ProcessBuilder("/bin/true").start().waitFor();
                Thread.sleep(EXEC_EVERY_MILLIS);
            }
        } catch (IOException e) {
            throw new IllegalStateException("running /bin/true for the AOT training: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
