package dev.gadget.bench.exec;

import dev.gadget.bench.Commands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One tracer, started and stopped with SIGINT as a user would, its standard output read as it comes
 * ({@link OutputReader}). Either it only starts (how long until it prints the first exec), or it goes
 * through a storm: probe until it shows an exec, run the storm, wait until it has caught up (no more of
 * the storm's execs shown for a second: the machine's other execs may keep it busy), stop it, count
 * what it showed.
 */
final class TracerRun {
    private static final Duration PROBE_EVERY = Duration.ofMillis(5);
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final Duration SETTLE_CHECK = Duration.ofMillis(250);
    private static final int SETTLED_CHECKS = 4;

    /** One storm with one tracer. */
    record Storm(ExecStorm.Kind kind, Duration duration, int workers, int rate) {
    }

    /**
     * @param execs execs the storm ran
     * @param shown lines naming the storm's program
     * @param captured storm execs whose exact argument the tracer showed
     * @param lost events the tracer reported lost
     * @param cpuSeconds the tracer's CPU (user + system) from the storm's start until it had caught up
     *     (the second it takes to tell included)
     * @param compilerCpuSeconds of that, what its JIT compiler threads used (a JVM's; 0 for the others)
     * @param peakRssBytes the tracer's peak resident memory
     * @param stormPerSecond the storm's exec rate while the tracer ran
     * @param latencyMedianMillis from an exec to its line arriving, median of the captured execs
     * @param latencyP99Millis the same, 99th percentile
     */
    record Result(long execs, long shown, long captured, long lost, double cpuSeconds, double compilerCpuSeconds,
            long peakRssBytes,
            double stormPerSecond, double latencyMedianMillis, double latencyP99Millis) {
    }

    private final Tracer tracer;
    private final ExecStorm storm;
    private final Path dir;

    TracerRun(Tracer tracer, ExecStorm storm, Path dir) {
        this.tracer = tracer;
        this.storm = storm;
        this.dir = dir;
    }

    /** Seconds from starting the tracer (line-buffered) until the line of its first exec arrived. */
    double startup() {
        long start = System.nanoTime();
        Started started = start(tracer.lineBufferedCommand(), ExecStorm.Kind.NOP);
        try {
            probeUntilShown(started);
            stop(started.process());
            return (started.output().await().firstProbeNanos() - start) / 1e9;
        } finally {
            started.process().destroyForcibly();
            delete(started.errors());
        }
    }

    Result run(Storm s) {
        Started started = start(tracer.command(), s.kind());
        Process process = started.process();
        try {
            probeUntilShown(started);
            double cpuBefore = ProcessUsage.cpuSeconds(process.pid());
            double compilerBefore = ProcessUsage.compilerCpuSeconds(process.pid());
            ExecStorm.Run run = storm.run(s.kind(), s.duration(), s.workers(), s.rate());
            awaitCaughtUp(started);
            double cpu = ProcessUsage.cpuSeconds(process.pid()) - cpuBefore;
            double compiler = ProcessUsage.compilerCpuSeconds(process.pid()) - compilerBefore;
            long peakRss = ProcessUsage.peakRssBytes(process.pid());
            stop(process);
            OutputReader.Summary output = started.output().await();
            long lost = output.lost() + Files.readAllLines(started.errors(), StandardCharsets.UTF_8).stream()
                    .mapToLong(tracer::lost).sum();
            return new Result(run.execs(), output.shown(), output.captured(), lost, cpu, compiler, peakRss, run.perSecond(),
                    output.latencyMedianMillis(), output.latencyP99Millis());
        } catch (IOException e) {
            throw new UncheckedIOException("reading the errors of " + tracer.label(), e);
        } finally {
            process.destroyForcibly();
            delete(started.errors());
        }
    }

    private record Started(Process process, OutputReader output, Path errors) {
    }

    private Started start(List<String> tracerCommand, ExecStorm.Kind kind) {
        Path errors = dir.resolve("tracer.err");
        // SIGINT stops every tracer cleanly; a shell without job control would have left it ignored.
        List<String> command = Stream.concat(Stream.of("env", "--default-signal=INT"), tracerCommand.stream()).toList();
        try {
            Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
            process.getOutputStream().close();
            OutputReader output = new OutputReader(process.getInputStream(), storm.programName(kind),
                    storm.stormTag(), storm.probeTag(), tracer::lost);
            output.start();
            return new Started(process, output, errors);
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + tracer.label() + " (scripts/bench installs it)", e);
        }
    }

    private void probeUntilShown(Started started) {
        long giveUp = System.nanoTime() + PATIENCE.toNanos();
        for (int n = 0; !started.output().probeSeen(); n++) {
            if (!started.process().isAlive()) {
                throw new IllegalStateException(tracer.label() + " exited with status " + started.process().exitValue()
                        + " before showing an exec; its error output: " + text(started.errors()));
            }
            if (System.nanoTime() > giveUp) {
                throw new IllegalStateException(tracer.label() + " showed no exec within " + PATIENCE.toSeconds()
                        + " s; its error output: " + text(started.errors()));
            }
            try {
                storm.probe(n).waitFor();
                Thread.sleep(PROBE_EVERY);
            } catch (IOException e) {
                throw new UncheckedIOException("running a probe", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while probing " + tracer.label(), e);
            }
        }
    }

    /** Caught up: for a second, no more of the storm's execs showed up. */
    private void awaitCaughtUp(Started started) {
        long giveUp = System.nanoTime() + PATIENCE.toNanos();
        long shown = -1;
        int settled = 0;
        while (settled < SETTLED_CHECKS) {
            if (System.nanoTime() > giveUp || !started.process().isAlive()) {
                throw new IllegalStateException(tracer.label() + " was still printing the storm's execs "
                        + PATIENCE.toSeconds() + " s after it ended");
            }
            long shownNow = started.output().shown();
            settled = shownNow == shown ? settled + 1 : 0;
            shown = shownNow;
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
                // bpftrace, far behind on its output after a full-speed storm, can hang here; what it showed
                // until it caught up is measured already, so the run goes on without it.
                System.err.printf("warning: %s did not exit within %d s of SIGINT: killed%n", tracer.label(),
                        PATIENCE.toSeconds());
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping " + tracer.label(), e);
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
