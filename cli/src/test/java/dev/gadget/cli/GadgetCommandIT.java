package dev.gadget.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gadget.bpf.RequiresBpf;
import dev.gadget.gadgets.testing.Programs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The packaged command run through the ./gadget launcher, as a user runs it on a host. */
@ExtendWith(RequiresBpf.class)
class GadgetCommandIT {
    private static final String LAUNCHER = System.getProperty("gadget.launcher", "../gadget");
    private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void jsonOutputCarriesTheExecAndCtrlCEndsTheTraceWithStatusZero() throws Exception {
        Path program = Programs.uniqueTrue(dir);
        Gadget gadget = Gadget.start(List.of("trace", "exec", "-o", "json"));
        String line = gadget.awaitLine(l -> l.contains(program.toString()), () -> exec(program, "with arg", "ü"));
        gadget.signal("INT");

        assertEquals(0, gadget.waitForExit());
        assertEquals("", gadget.stderr());
        JsonNode event = JSON.readTree(line);
        assertEquals(List.of(program.toString(), "with arg", "ü"), JSON.convertValue(event.get("args"), List.class));
        assertEquals(program.getFileName().toString(), event.get("comm").asText());
        assertEquals(0, event.get("ret").asInt());
        assertTrue(event.get("pid").asInt() > 0);
        assertTrue(event.get("timestamp").asLong() > 0);
        for (String each : gadget.stdoutLines()) {
            assertTrue(JSON.readTree(each).isObject(), each);
        }
    }

    @Test
    void columnsShowTheExecUnderTheirHeaders() throws Exception {
        Path program = Programs.uniqueTrue(dir);
        Gadget gadget = Gadget.start(List.of("trace", "exec"));
        String row = gadget.awaitLine(l -> l.contains(program.toString()), () -> exec(program, "a b"));
        gadget.signal("TERM");

        assertEquals(0, gadget.waitForExit());
        assertTrue(gadget.stdoutLines().getFirst().matches(" *PID +PPID COMM +PCOMM +RET +ARGS"),
                gadget.stdoutLines().getFirst());
        assertTrue(row.endsWith(" 0       " + program + " 'a b'"), row);
    }

    @Test
    void timeoutEndsTheTraceWithStatusZero() throws Exception {
        Gadget gadget = Gadget.start(List.of("trace", "exec", "--timeout", "1", "-o", "columns=pid,comm"));

        assertEquals(0, gadget.waitForExit());
        assertEquals("    PID COMM", gadget.stdoutLines().getFirst());
    }

    @Test
    void withoutRootItFailsWithOneLineSayingSo() throws Exception {
        Gadget gadget = Gadget.start(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--",
                LAUNCHER, "trace", "exec"), true);

        assertEquals(1, gadget.waitForExit());
        assertEquals(1, gadget.stderr().lines().count(), gadget.stderr());
        assertTrue(gadget.stderr().startsWith("Error: loading trace_exec: EPERM — run as root"), gadget.stderr());
    }

    private void exec(Path program, String... args) {
        List<String> command = new ArrayList<>(List.of(program.toString()));
        command.addAll(List.of(args));
        try {
            Programs.run(dir, command);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** A running gadget command with its output collected on background threads. */
    private static final class Gadget {
        private final Process process;
        private final List<String> stdout = new ArrayList<>();
        private final StringBuilder stderr = new StringBuilder();
        private final Thread[] readers;

        private Gadget(Process process) {
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

        static Gadget start(List<String> args) throws IOException {
            List<String> command = new ArrayList<>(List.of(LAUNCHER));
            command.addAll(args);
            return start(command, false);
        }

        static Gadget start(List<String> command, boolean asNobody) throws IOException {
            ProcessBuilder builder = new ProcessBuilder(command);
            if (asNobody) {
                builder.environment().put("HOME", "/tmp"); // a user's home is writable; root's is not theirs
            }
            return new Gadget(builder.start());
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
}
