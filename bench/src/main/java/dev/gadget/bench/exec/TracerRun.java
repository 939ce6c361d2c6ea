package dev.gadget.bench.exec;

import dev.gadget.bench.Commands;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One tracer through one storm: start it (its output to a file), exec a probe every few milliseconds
 * until it shows one, run the storm, wait until it has caught up (no CPU used, output unchanged), stop
 * it with SIGINT as a user would, then read its output.
 */
final class TracerRun {
    private static final Duration PROBE_EVERY = Duration.ofMillis(5);
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final Duration SETTLE_CHECK = Duration.ofMillis(250);
    private static final int SETTLED_CHECKS = 4;

    /**
     * @param execs execs the storm ran
     * @param captured the storm's execs found in the tracer's output
     * @param lost events the tracer reported lost
     * @param cpuSeconds the tracer's CPU (user + system) from the storm's start until it had caught up
     * @param peakRssBytes the tracer's peak resident memory
     * @param firstEventSeconds from the tracer's start to the first probe it showed
     * @param stormPerSecond the storm's exec rate while the tracer ran
     */
    record Result(long execs, long captured, long lost, double cpuSeconds, long peakRssBytes,
            double firstEventSeconds, double stormPerSecond) {
    }

    private final Tracer tracer;
    private final ExecStorm storm;
    private final Path dir;

    TracerRun(Tracer tracer, ExecStorm storm, Path dir) {
        this.tracer = tracer;
        this.storm = storm;
        this.dir = dir;
    }

    Result run(Duration duration, int workers) {
        Path out = dir.resolve("tracer.out");
        Path err = dir.resolve("tracer.err");
        Map<Long, Long> probeStarts = new HashMap<>();
        // SIGINT stops every tracer cleanly; a shell without job control would have left it ignored.
        List<String> command = Stream.concat(Stream.of("env", "--default-signal=INT"), tracer.command().stream())
                .toList();
        long start = System.nanoTime();
        Process process;
        try {
            process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + tracer.label() + " (scripts/bench installs it)", e);
        }
        try {
            probeUntilShown(process, out, probeStarts);
            double cpuBefore = ProcessUsage.cpuSeconds(process.pid());
            ExecStorm.Run run = storm.run(duration, workers);
            awaitCaughtUp(process, out);
            double cpu = ProcessUsage.cpuSeconds(process.pid()) - cpuBefore;
            long peakRss = ProcessUsage.peakRssBytes(process.pid());
            stop(process);
            Output output = read(out, err, probeStarts);
            return new Result(run.execs(), output.storm(), output.lost(), cpu, peakRss,
                    (output.firstProbeStart() - start) / 1e9, run.perSecond());
        } finally {
            process.destroyForcibly();
            delete(out);
            delete(err);
        }
    }

    private void probeUntilShown(Process process, Path out, Map<Long, Long> probeStarts) {
        long giveUp = System.nanoTime() + PATIENCE.toNanos();
        while (!shows(out, storm.probeName())) {
            if (!process.isAlive()) {
                throw new IllegalStateException(tracer.label() + " exited with status " + process.exitValue()
                        + " before showing an exec; its error output: " + text(dir.resolve("tracer.err")));
            }
            if (System.nanoTime() > giveUp) {
                throw new IllegalStateException(tracer.label() + " showed no exec within " + PATIENCE.toSeconds()
                        + " s; its error output: " + text(dir.resolve("tracer.err")));
            }
            long started = System.nanoTime();
            try {
                Process probe = new ProcessBuilder(storm.probeProgram().toString(), "probe").start();
                probeStarts.put(probe.pid(), started);
                probe.waitFor();
                Thread.sleep(PROBE_EVERY);
            } catch (IOException e) {
                throw new UncheckedIOException("running the probe " + storm.probeProgram(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while probing " + tracer.label(), e);
            }
        }
    }

    /** Caught up: for a second, the tracer used no CPU and its output did not grow. */
    private void awaitCaughtUp(Process process, Path out) {
        long giveUp = System.nanoTime() + PATIENCE.toNanos();
        double cpu = -1;
        long size = -1;
        int settled = 0;
        while (settled < SETTLED_CHECKS) {
            if (System.nanoTime() > giveUp || !process.isAlive()) {
                throw new IllegalStateException(tracer.label() + " did not settle within " + PATIENCE.toSeconds()
                        + " s after the storm");
            }
            double cpuNow = ProcessUsage.cpuSeconds(process.pid());
            long sizeNow = size(out);
            settled = cpuNow == cpu && sizeNow == size ? settled + 1 : 0;
            cpu = cpuNow;
            size = sizeNow;
            try {
                Thread.sleep(SETTLE_CHECK);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + tracer.label(), e);
            }
        }
    }

    private void stop(Process process) {
        Commands.run(List.of("kill", "-INT", String.valueOf(process.pid())));
        try {
            if (!process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException(tracer.label() + " did not exit within " + PATIENCE.toSeconds()
                        + " s of SIGINT");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping " + tracer.label(), e);
        }
    }

    /** What the output shows: the storm's execs, the start of the first probe shown, losses reported. */
    private record Output(long storm, long firstProbeStart, long lost) {
    }

    private Output read(Path out, Path err, Map<Long, Long> probeStarts) {
        long stormExecs = 0;
        long firstProbe = Long.MAX_VALUE;
        long lost = 0;
        try (BufferedReader lines = Files.newBufferedReader(out, StandardCharsets.UTF_8)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                lost += tracer.lost(line);
                Tracer.Exec exec = tracer.parse(line);
                if (exec == null) {
                    continue;
                }
                if (exec.program().equals(storm.stormName())) {
                    stormExecs++;
                } else if (exec.program().equals(storm.probeName()) && probeStarts.containsKey(exec.pid())) {
                    firstProbe = Math.min(firstProbe, probeStarts.get(exec.pid()));
                }
            }
            for (String line : Files.readAllLines(err, StandardCharsets.UTF_8)) {
                lost += tracer.lost(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the output of " + tracer.label(), e);
        }
        return new Output(stormExecs, firstProbe, lost);
    }

    private static boolean shows(Path out, String program) {
        try (Stream<String> lines = Files.lines(out, StandardCharsets.UTF_8)) {
            return lines.anyMatch(line -> line.contains(program));
        } catch (IOException | UncheckedIOException e) {
            return false; // not written yet, or cut in the middle of a character
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the size of " + file, e);
        }
    }

    private static String text(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("deleting " + file, e);
        }
    }
}
