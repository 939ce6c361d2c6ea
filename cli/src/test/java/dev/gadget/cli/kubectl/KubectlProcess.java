package dev.gadget.cli.kubectl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The real kubectl running "kubectl gadget ...": kubectl finds kubectl-gadget on PATH (the launcher at
 * the repository's root) and runs it, as for a user. Its stdout and stderr are gathered line by line.
 */
final class KubectlProcess implements AutoCloseable {
    static final Path LAUNCHER = Path.of(System.getProperty("kubectl.gadget.launcher", "../kubectl-gadget"))
            .toAbsolutePath().normalize();
    private static final long PATIENCE_SECONDS = 60;

    private final Process process;
    private final List<String> stdout = new ArrayList<>();
    private final List<String> stderr = new ArrayList<>();
    private final Thread[] readers;

    private KubectlProcess(Process process) {
        this.process = process;
        this.readers = new Thread[] {gather(process.getInputStream(), stdout), gather(process.getErrorStream(), stderr)};
    }

    static KubectlProcess start(Path kubeconfig, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("kubectl", "gadget"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("PATH", LAUNCHER.getParent() + ":" + System.getenv("PATH"));
        builder.environment().put("KUBECONFIG", kubeconfig.toString());
        builder.redirectInput(ProcessBuilder.Redirect.PIPE);
        return new KubectlProcess(builder.start());
    }

    /** Runs to the end; the exit status. */
    static KubectlProcess run(Path kubeconfig, String... args) throws IOException, InterruptedException {
        KubectlProcess process = start(kubeconfig, args);
        process.exit();
        return process;
    }

    /** The first stdout line matching, waiting for it while the process lives. */
    String awaitLine(Predicate<String> wanted) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
        synchronized (stdout) {
            while (true) {
                for (String line : stdout) {
                    if (wanted.test(line)) {
                        return line;
                    }
                }
                if (System.nanoTime() > giveUp || (!process.isAlive() && !readers[0].isAlive())) {
                    throw new AssertionError("no such line; stdout: " + stdout + "; stderr: " + stderr());
                }
                stdout.wait(50);
            }
        }
    }

    /** A signal by name (INT, TERM, KILL) to the plugin. */
    void signal(String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start().waitFor();
    }

    /** Ctrl-C, as a terminal sends it (kubectl has exec'd the plugin: this is its process). */
    void interrupt() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start().waitFor();
    }

    int exit() throws InterruptedException {
        if (!process.waitFor(PATIENCE_SECONDS * 2, TimeUnit.SECONDS)) {
            throw new AssertionError("kubectl gadget did not end; stderr: " + stderr());
        }
        for (Thread reader : readers) {
            reader.join();
        }
        return process.exitValue();
    }

    boolean alive() {
        return process.isAlive();
    }

    List<String> stdout() {
        synchronized (stdout) {
            return List.copyOf(stdout);
        }
    }

    List<String> stderr() {
        synchronized (stderr) {
            return List.copyOf(stderr);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    private static Thread gather(InputStream in, List<String> lines) {
        return Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // the process is gone
            }
        });
    }
}
