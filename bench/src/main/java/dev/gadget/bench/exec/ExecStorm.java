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
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The exec storms (exec_storm.c) and the programs they run, built with gcc or copied under names of
 * their own: every exec carries an argument "TAG-worker-n-ns" that no other exec on the machine has,
 * so a tracer's output shows exactly which of the storm's execs it saw, and when each happened. Single
 * execs before a storm (probes) run a program of their own with a tag of their own.
 */
final class ExecStorm {
    /** What a storm execs, and how. */
    enum Kind {
        /** vfork + execve of a static program without libc: the cheapest exec there is. */
        NOP("nop", "static no-op, vfork + execve"),
        /** fork + execl of a copy of /bin/true, argv written by the child: what shells and C programs do. */
        DYNAMIC("dynamic", "dynamic /bin/true, fork + execl");

        final String option;
        final String description;

        Kind(String option, String description) {
            this.option = option;
            this.description = description;
        }

        static Kind parse(String option) {
            for (Kind kind : values()) {
                if (kind.option.equals(option)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown storm '" + option + "': nop or dynamic");
        }
    }

    /** What a storm ran. */
    record Run(long execs, long failed, double seconds) {
        double perSecond() {
            return execs / seconds;
        }
    }

    private final Path storm;
    private final Path nopProgram;
    private final Path dynamicProgram;
    private final Path probeProgram;
    private final String stormTag;
    private final String probeTag;

    ExecStorm(NativeTools tools, Path dir) {
        storm = tools.compile(ExecStorm.class, "exec_storm.c", List.of());
        Path nop = tools.compile(ExecStorm.class, "exec_nop.c", List.of("-static", "-nostdlib", "-fno-stack-protector"));
        String tag = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        // comm keeps 15 characters: these names stay whole.
        nopProgram = copy(nop, dir.resolve("gbs-" + tag));
        dynamicProgram = copy(Path.of("/bin/true"), dir.resolve("gbd-" + tag));
        probeProgram = copy(nop, dir.resolve("gbp-" + tag));
        stormTag = "gsa" + tag;
        probeTag = "gpa" + tag;
    }

    /** The file name of the program a storm of this kind runs: what a tracer shows as its command. */
    String programName(Kind kind) {
        return program(kind).getFileName().toString();
    }

    /** The prefix of every storm exec's argument. */
    String stormTag() {
        return stormTag;
    }

    /** The prefix of every probe's argument. */
    String probeTag() {
        return probeTag;
    }

    /** Starts one probe: an exec of its own program with a tagged argument. */
    Process probe(int n) throws IOException {
        return new ProcessBuilder(probeProgram.toString(), probeTag + "-0-" + n + "-0").start();
    }

    /** Runs a storm of {@code workers} processes; {@code rate} execs a second in all, 0 for as fast as they can. */
    Run run(Kind kind, Duration duration, int workers, int rate) {
        // The program goes in the environment: the storm's own exec must not name it in its arguments.
        String output = Commands.run(List.of(storm.toString(), String.format(Locale.ROOT, "%.3f",
                duration.toMillis() / 1000.0), String.valueOf(workers), String.valueOf(rate),
                kind == Kind.NOP ? "vfork" : "fork", stormTag), Map.of("EXEC_STORM_PROGRAM", program(kind).toString()));
        String[] words = output.strip().split(" ");
        if (words.length != 6 || !words[0].equals("execs")) {
            throw new IllegalStateException("exec_storm printed '" + output.strip() + "', not its counts");
        }
        Run run = new Run(Long.parseLong(words[1]), Long.parseLong(words[3]), Double.parseDouble(words[5]));
        if (run.failed() > 0) {
            throw new IllegalStateException("exec_storm: " + run.failed() + " of its execs failed: every exec must "
                    + "succeed for the counts to compare (is " + program(kind) + " executable?)");
        }
        return run;
    }

    /** The fastest storm of a kind: tries 1, 1×, 2× and 4× as many workers as CPUs for a second each. */
    int fastestWorkers(Kind kind) {
        int cpus = Runtime.getRuntime().availableProcessors();
        int best = 1;
        double bestRate = 0;
        for (int workers : List.of(1, cpus, 2 * cpus, 4 * cpus)) {
            double rate = run(kind, Duration.ofSeconds(1), workers, 0).perSecond();
            if (rate > bestRate) {
                best = workers;
                bestRate = rate;
            }
        }
        return best;
    }

    private Path program(Kind kind) {
        return kind == Kind.NOP ? nopProgram : dynamicProgram;
    }

    private static Path copy(Path from, Path to) {
        try {
            return Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
        } catch (IOException e) {
            throw new UncheckedIOException("copying " + from + " to " + to, e);
        }
    }
}
