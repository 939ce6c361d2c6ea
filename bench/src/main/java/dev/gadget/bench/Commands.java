package dev.gadget.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Runs short helper commands to completion. */
public final class Commands {
    private Commands() {
    }

    /** Runs {@code command} and returns its standard output; fails with its output unless it exits 0. */
    public static String run(List<String> command) {
        return run(command, Map.of());
    }

    /** The same, with these variables added to its environment. */
    public static String run(List<String> command, Map<String, String> environment) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(environment);
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = process.waitFor();
            if (status != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + status + ": " + output.strip());
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("running " + command.getFirst() + " (is it installed? scripts/bench installs it)",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.getFirst(), e);
        }
    }
}
