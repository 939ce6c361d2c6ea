package dev.gadget.cli.kubectl.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The packaged daemon (daemonset/target/gadget-daemon.jar) as a process in a network namespace made
 * for it with ip netns, entered with nsenter --net only (ip netns exec would also remount /sys, hiding
 * the cgroup hierarchies the daemon reads): what a pod's network namespace gives it.
 */
public final class NetnsDaemon implements NodeDaemon {
    private static final String JAR = System.getProperty("gadget.daemon.jar", "../daemonset/target/gadget-daemon.jar");
    private static final String NATIVE = System.getProperty("gadget.daemon.native",
            "../daemonset/target/native/com/sun/jna/linux-x86-64");
    private static final long PATIENCE_SECONDS = 60;

    private final String node;
    private final String netns;
    private final Process process;
    private final List<String> stderr = new ArrayList<>();

    private NetnsDaemon(String node, String netns, Process process) {
        this.node = node;
        this.netns = netns;
        this.process = process;
    }

    /** Starts the daemon of {@code node} and waits until its API listens. */
    public static NetnsDaemon start(String node) throws IOException, InterruptedException {
        String netns = "gadget-" + node + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20));
        run("ip", "netns", "add", netns);
        try {
            run("ip", "netns", "exec", netns, "ip", "link", "set", "lo", "up");
            Process process = new ProcessBuilder("nsenter", "--net=/var/run/netns/" + netns,
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC",
                    "-Djna.boot.library.path=" + NATIVE, "-Djna.nounpack=true", "-jar", JAR,
                    "--listen", "127.0.0.1:" + PORT, "--node-name", node).start();
            NetnsDaemon daemon = new NetnsDaemon(node, netns, process);
            daemon.awaitListening();
            return daemon;
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            run("ip", "netns", "del", netns);
            throw e;
        }
    }

    @Override
    public String node() {
        return node;
    }

    @Override
    public String netns() {
        return netns;
    }

    @Override
    public void stop() throws IOException, InterruptedException {
        if (process.isAlive()) {
            new ProcessBuilder("kill", "-TERM", String.valueOf(process.pid())).start().waitFor();
            if (!process.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stop();
        run("ip", "netns", "del", netns);
    }

    /** The daemon's stderr so far (its log). */
    public List<String> log() {
        synchronized (stderr) {
            return List.copyOf(stderr);
        }
    }

    private void awaitListening() throws InterruptedException {
        Thread.ofPlatform().daemon().name("log-" + node).start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    synchronized (stderr) {
                        stderr.add(line);
                        stderr.notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // the daemon is gone
            }
        });
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
        synchronized (stderr) {
            while (stderr.stream().noneMatch(line -> line.contains("API on 127.0.0.1:" + PORT))) {
                if (!process.isAlive() || System.nanoTime() > giveUp) {
                    throw new AssertionError("the daemon of " + node + " did not start: " + stderr);
                }
                stderr.wait(100);
            }
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + output);
        }
    }
}
