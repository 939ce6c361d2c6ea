package dev.gadget.cli.kubectl;

import dev.gadget.cli.kubectl.cluster.MockCluster;
import dev.gadget.cli.kubectl.cluster.NetnsDaemon;
import dev.gadget.gadgets.testing.ContainerdTestbed;
import dev.gadget.gadgets.testing.ContainerdTestbed.TestContainer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kubectl plugin's benchmark (scripts/bench-kubectl): one node's daemon in its network namespace
 * behind the mock API server's port-forward, a pod whose container runs libbpf-bench's exec storm, and
 * "kubectl gadget trace exec -o json" (the real kubectl, the packaged plugin) printing into a pipe this
 * program reads. Measures the events per second carried to the terminal and whether any went missing
 * without being reported, the time from the command's start to its first event, and the plugin's peak
 * resident memory.
 *
 * Arguments: STORM_SECONDS WORKERS RUNS BENCH_C_DIR
 */
public final class KubectlBench {
    private static final Pattern STORM = Pattern.compile("execs (\\d+) failed (\\d+) seconds ([0-9.]+)");

    private KubectlBench() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(args[0]);
        int workers = Integer.parseInt(args[1]);
        int runs = Integer.parseInt(args[2]);
        Path programs = compile(Path.of(args[3]));
        try (ContainerdTestbed testbed = ContainerdTestbed.start();
                NetnsDaemon daemon = NetnsDaemon.start("node-1");
                MockCluster cluster = MockCluster.start()) {
            cluster.node("node-1");
            cluster.daemonPod("node-1", daemon.netns(), true);
            TestContainer storm = testbed.run("storm", "storm", "bench");
            cluster.pod("bench", "storm", storm.podUid(), "node-1", Map.of("app", "storm"), null,
                    Map.of("storm", storm.id()));
            Path kubeconfig = cluster.writeKubeconfig(Files.createTempFile("kubeconfig-", ".yaml"), "bench");
            System.out.printf(Locale.ROOT, "kubectl gadget trace exec -n bench -o json: 1 node, %d s storms of %d workers,"
                    + " %d runs%n", seconds, workers, runs);
            System.out.println("run  execs  exec/s  printed  lost(reported)  silent-loss  carried/s  first-event-ms  plugin-peak-RSS-MiB");
            for (int run = 1; run <= runs; run++) {
                measure(run, kubeconfig, testbed, storm, programs, seconds, workers);
            }
            Files.deleteIfExists(kubeconfig);
        }
    }

    private static void measure(int run, Path kubeconfig, ContainerdTestbed testbed, TestContainer storm, Path programs,
            int seconds, int workers) throws Exception {
        List<String> command = List.of("kubectl", "gadget", "trace", "exec", "-n", "bench", "-o", "json");
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("PATH", KubectlProcess.LAUNCHER.getParent() + ":" + System.getenv("PATH"));
        builder.environment().put("KUBECONFIG", kubeconfig.toString());
        long start = System.nanoTime();
        Process plugin = builder.start();
        AtomicLong firstEvent = new AtomicLong();
        AtomicLong lastStorm = new AtomicLong();
        AtomicLong stormEvents = new AtomicLong();
        Thread reader = Thread.ofPlatform().start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(plugin.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    firstEvent.compareAndSet(0, System.nanoTime());
                    if (line.contains("\"comm\":\"exec_nop\"")) {
                        stormEvents.incrementAndGet();
                        lastStorm.set(System.nanoTime());
                    }
                }
            } catch (IOException ignored) {
                // the plugin is gone
            }
        });
        List<String> errors = new ArrayList<>();
        Thread errorReader = Thread.ofPlatform().start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(plugin.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    synchronized (errors) {
                        errors.add(line);
                    }
                }
            } catch (IOException ignored) {
                // the plugin is gone
            }
        });
        while (firstEvent.get() == 0) { // the pod's container execs until the plugin shows one: its first event
            testbed.exec(storm, "true");
        }
        long firstMillis = TimeUnit.NANOSECONDS.toMillis(firstEvent.get() - start);
        Process stormProcess = new ProcessBuilder("sh", "-c", "echo $$ > /sys/fs/cgroup/unified" + storm.cgroup()
                + "/cgroup.procs && exec " + programs.resolve("exec_storm") + " " + seconds + " " + workers + " "
                + programs.resolve("exec_nop")).redirectErrorStream(true).start();
        String stormReport = new String(stormProcess.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        stormProcess.waitFor();
        Matcher m = STORM.matcher(stormReport);
        if (!m.find()) {
            throw new IllegalStateException("the storm said: " + stormReport);
        }
        long execs = Long.parseLong(m.group(1)) + Long.parseLong(m.group(2));
        double stormSeconds = Double.parseDouble(m.group(3));
        long stormStart = System.nanoTime() - (long) (stormSeconds * 1e9);
        // Everything the storm made is printed, or reported lost, before the plugin is stopped.
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        long lost;
        do {
            Thread.sleep(200);
            lost = lost(errors);
        } while (stormEvents.get() + lost < execs && System.nanoTime() < giveUp);
        long peakKib = peakRss(plugin.pid());
        new ProcessBuilder("kill", "-INT", String.valueOf(plugin.pid())).start().waitFor();
        plugin.waitFor(60, TimeUnit.SECONDS);
        reader.join();
        errorReader.join();
        long printed = stormEvents.get();
        double carried = printed / ((lastStorm.get() - stormStart) / 1e9);
        System.out.printf(Locale.ROOT, "%3d %6d %7.0f %8d %15d %12d %10.0f %15d %20.1f%n", run, execs, execs / stormSeconds,
                printed, lost, execs - printed - lost, carried, firstMillis, peakKib / 1024.0);
        synchronized (errors) {
            errors.stream().filter(line -> !line.startsWith("warning: node node-1: trace exec lost"))
                    .forEach(line -> System.out.println("     stderr: " + line));
        }
    }

    private static long lost(List<String> errors) {
        long lost = 0;
        synchronized (errors) {
            for (String line : errors) {
                Matcher m = Pattern.compile("lost (\\d+) events").matcher(line);
                if (m.find()) {
                    lost += Long.parseLong(m.group(1));
                }
            }
        }
        return lost;
    }

    private static long peakRss(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    private static Path compile(Path sources) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("kubectl-bench-");
        // exec_nop has no libc: the exec itself is what each run costs (as in scripts/bench).
        for (List<String> program : List.of(List.of("exec_storm"), List.of("exec_nop", "-static", "-nostdlib"))) {
            List<String> command = new ArrayList<>(List.of("gcc", "-O2", "-o", dir.resolve(program.getFirst()).toString(),
                    sources.resolve(program.getFirst() + ".c").toString()));
            command.addAll(program.subList(1, program.size()));
            Process gcc = new ProcessBuilder(command).inheritIO().start();
            if (gcc.waitFor() != 0) {
                throw new IllegalStateException("gcc " + program + " failed");
            }
        }
        return dir;
    }
}
