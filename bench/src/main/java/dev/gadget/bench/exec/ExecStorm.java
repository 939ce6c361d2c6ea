package dev.gadget.bench.exec;

import dev.gadget.bench.Commands;
import dev.gadget.bench.NativeTools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The exec storm (exec_storm.c) and the programs it runs (exec_nop.c), built with gcc. The storm runs
 * a copy of the program named {@link #stormProgram}; single execs before it (probes) run a copy named
 * {@link #probeProgram}: their names tell the storm's events from everything else on the machine.
 */
final class ExecStorm {
    /** What the storm ran. */
    record Run(long execs, long failed, double seconds) {
        double perSecond() {
            return execs / seconds;
        }
    }

    private final Path storm;
    private final Path stormProgram;
    private final Path probeProgram;

    ExecStorm(NativeTools tools, Path dir) {
        storm = tools.compile(ExecStorm.class, "exec_storm.c", List.of());
        Path nop = tools.compile(ExecStorm.class, "exec_nop.c",
                List.of("-static", "-nostdlib", "-fno-stack-protector"));
        String tag = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        // comm keeps 15 characters: these names stay whole.
        stormProgram = copy(nop, dir.resolve("gbs-" + tag));
        probeProgram = copy(nop, dir.resolve("gbp-" + tag));
    }

    String stormName() {
        return stormProgram.getFileName().toString();
    }

    String probeName() {
        return probeProgram.getFileName().toString();
    }

    Path probeProgram() {
        return probeProgram;
    }

    Run run(Duration duration, int workers) {
        String output = Commands.run(List.of(storm.toString(), String.format(Locale.ROOT, "%.3f",
                duration.toMillis() / 1000.0), String.valueOf(workers), stormProgram.toString()));
        String[] words = output.strip().split(" ");
        if (words.length != 6 || !words[0].equals("execs")) {
            throw new IllegalStateException("exec_storm printed '" + output.strip() + "', not its counts");
        }
        Run run = new Run(Long.parseLong(words[1]), Long.parseLong(words[3]), Double.parseDouble(words[5]));
        if (run.failed() > 0) {
            throw new IllegalStateException("exec_storm: " + run.failed() + " of its execs failed: every exec must "
                    + "succeed for the counts to compare (is " + stormProgram + " executable?)");
        }
        return run;
    }

    /** The fastest storm: tries 1, 1×, 2× and 4× as many workers as CPUs for a second each. */
    int fastestWorkers() {
        int cpus = Runtime.getRuntime().availableProcessors();
        int best = 1;
        double bestRate = 0;
        for (int workers : List.of(1, cpus, 2 * cpus, 4 * cpus)) {
            double rate = run(Duration.ofSeconds(1), workers).perSecond();
            if (rate > bestRate) {
                best = workers;
                bestRate = rate;
            }
        }
        return best;
    }

    private static Path copy(Path from, Path to) {
        try {
            return Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
        } catch (IOException e) {
            throw new UncheckedIOException("copying " + from + " to " + to, e);
        }
    }
}
