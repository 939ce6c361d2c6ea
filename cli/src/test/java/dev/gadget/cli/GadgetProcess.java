package dev.gadget.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A gadget command started through the ./gadget launcher, its output collected on background threads. */
final class GadgetProcess {
    static final String LAUNCHER = System.getProperty("gadget.launcher", "../gadget");
    private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final Process process;
    private final List<String> stdout = new ArrayList<>();
    private final StringBuilder stderr = new StringBuilder();
    private final Thread[] readers;

    private GadgetProcess(Process process) {
        this.process = process;
        this.readers = new Thread[] {
            Thread.ofPlatform().start(() -> collect(process.inputReader(StandardCharsets.UTF_8), stdout)),
            Thread.ofPlatform().start(() -> {
                List<String> lines = new ArrayList<>();
                collect(process.errorReader(StandardCharsets.UTF_8), lines);
                synchronized (stderr) {
                    lines.forEach(l -> stderr.append(l).append('\n'));
                }
            }),
        };
    }

    static GadgetProcess start(List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(LAUNCHER));
        command.addAll(args);
        return start(command, false);
    }

    /** Runs a bash script in which $GADGET is the launcher: for redirections, pipes, limits and namespaces. */
    static GadgetProcess script(String script) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", script);
        builder.environment().put("GADGET", LAUNCHER);
        return new GadgetProcess(builder.start());
    }

    long pid() {
        return process.pid();
    }

    static GadgetProcess start(List<String> command, boolean asNobody) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        if (asNobody) {
            builder.environment().put("HOME", "/tmp"); // a user's home is writable; root's is not theirs
        }
        return new GadgetProcess(builder.start());
    }

    /** Runs {@code action} until a line matching {@code match} shows; returns it. */
    String awaitLine(Predicate<String> match, Runnable action) throws InterruptedException {
        long giveUp = System.nanoTime() + PATIENCE_NANOS;
        while (System.nanoTime() < giveUp && process.isAlive()) {
            action.run();
            synchronized (stdout) {
                for (String line : stdout) {
                    if (match.test(line)) {
                        return line;
                    }
                }
                stdout.wait(200);
            }
        }
        process.destroyForcibly();
        throw new AssertionError("no matching line; stdout " + stdoutLines() + "; stderr " + stderr());
    }

    void signal(String name) throws IOException, InterruptedException {
        assertEquals(0, new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start().waitFor());
    }

    int waitForExit() throws InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("gadget did not exit; stderr " + stderr());
        }
        for (Thread reader : readers) {
            reader.join();
        }
        return process.exitValue();
    }

    List<String> stdoutLines() {
        synchronized (stdout) {
            return List.copyOf(stdout);
        }
    }

    String stderr() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    private static void collect(BufferedReader reader, List<String> lines) {
        try (reader) {
            for (String line; (line = reader.readLine()) != null; ) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
