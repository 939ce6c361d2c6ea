package dev.gadget.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged daemon run as a process, as its image runs it (java -jar gadget-daemon.jar), its stderr
 * gathered line by line; optionally under a shell's limits first (ulimit, setpriv, a cgroup), which the
 * shell then execs the JVM in, so that the process is the daemon itself.
 */
final class DaemonProcess implements AutoCloseable {
    static final String JAR = System.getProperty("gadget.daemon.jar", "target/gadget-daemon.jar");
    static final String NATIVE = System.getProperty("gadget.daemon.native", "target/native/com/sun/jna/linux-x86-64");
    private static final Pattern LISTENING = Pattern.compile("API on 127\\.0\\.0\\.1:(\\d+)");

    final Process process;
    private final List<String> stderr = new ArrayList<>();
    private final Thread reader;

    DaemonProcess(String... args) throws IOException {
        this("", List.of(), args);
    }

    /**
     * Runs {@code shell} (e.g. "ulimit -n 40"; "" for none), then the daemon with these JVM options and
     * arguments; a shell that names "$@" runs the daemon's command itself (exec setpriv ... "$@").
     */
    DaemonProcess(String shell, List<String> jvmOptions, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-Djna.boot.library.path=" + NATIVE, "-Djna.nounpack=true", "-jar", JAR));
        command.addAll(Arrays.asList(args));
        if (!shell.isEmpty()) {
            command.addAll(0, List.of("bash", "-c", shell.contains("\"$@\"") ? shell : shell + " && exec \"$@\"",
                    "gadget-daemon"));
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("NODE_NAME", "it-node");
        process = builder.start();
        reader = Thread.ofPlatform().start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    synchronized (stderr) {
                        stderr.add(line);
                        stderr.notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // the process is gone
            }
        });
    }

    long pid() {
        return process.pid();
    }

    /** A client of its API, once its start line names the port. */
    ApiClient api() throws InterruptedException {
        return new ApiClient(new InetSocketAddress("127.0.0.1", Integer.parseInt(awaitLine(LISTENING).group(1))));
    }

    /** The first stderr line matching {@code pattern}, waiting for it while the process lives. */
    Matcher awaitLine(Pattern pattern) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        synchronized (stderr) {
            while (System.nanoTime() < giveUp) {
                for (String line : stderr) {
                    Matcher m = pattern.matcher(line);
                    if (m.find()) {
                        return m;
                    }
                }
                if (!process.isAlive() && !reader.isAlive()) {
                    break;
                }
                stderr.wait(100);
            }
        }
        throw new AssertionError("no line matching " + pattern + " on stderr: " + stderr());
    }

    /** Sends a signal by name, as kill(1) does (Process.destroy would also close our end of its stderr). */
    void signal(String name) throws IOException, InterruptedException {
        assertEquals(0, new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start().waitFor());
    }

    int exit() throws InterruptedException {
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the daemon did not exit: " + stderr());
        reader.join();
        return process.exitValue();
    }

    List<String> stderr() {
        synchronized (stderr) {
            return List.copyOf(stderr);
        }
    }

    /** Fails if any stderr line looks like a stack trace rather than one line of its own. */
    void assertNoStackTrace() {
        for (String line : stderr()) {
            assertTrue(!line.startsWith("\tat ") && !line.startsWith("Exception in thread") && !line.startsWith("Caused by:")
                    && !line.contains("Exception:"), "a stack trace on stderr: " + stderr());
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
