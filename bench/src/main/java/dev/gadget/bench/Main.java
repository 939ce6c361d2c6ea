package dev.gadget.bench;

import dev.gadget.bench.drain.RingDrainBench;
import dev.gadget.bench.exec.ExecBench;
import dev.gadget.bench.format.FormatBench;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The benchmark command: runs the chosen parts and prints their tables as Markdown on stdout. */
@Command(name = "gadget-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measures gadget against the C tools, side by side in one run, and prints Markdown tables "
                + "(progress goes to stderr). Needs root.")
public final class Main implements Callable<Integer> {
    enum Part { drain, exec, format }

    @Option(names = "--parts", split = ",", paramLabel = "PART",
            description = "Parts to run: drain, exec, format (default: all)")
    EnumSet<Part> parts = EnumSet.allOf(Part.class);

    @Option(names = "--rounds", defaultValue = "5", description = "Measured rounds of each part (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--record-sizes", split = ",", defaultValue = "16,64,256,1024",
            description = "Ring drain: record sizes in bytes, of 16, 64, 256, 1024 (default: ${DEFAULT-VALUE})")
    List<Integer> recordSizes;

    @Option(names = "--drains", defaultValue = "10",
            description = "Ring drain: full-ring drains per measurement (default: ${DEFAULT-VALUE})")
    int drains;

    @Option(names = "--stream-seconds", defaultValue = "2",
            description = "Ring drain: seconds the producer streams per measurement (default: ${DEFAULT-VALUE})")
    double streamSeconds;

    @Option(names = "--ring-mib", defaultValue = "8",
            description = "Ring drain: ring size in MiB, a power of two (default: ${DEFAULT-VALUE})")
    int ringMib;

    @Option(names = "--profile", paramLabel = "DIR",
            description = "Ring drain: profile the Java reader with async-profiler in an extra round; profiles go to DIR")
    Path profile;

    @Option(names = "--storm-seconds", defaultValue = "5",
            description = "Trace exec: seconds each exec storm runs (default: ${DEFAULT-VALUE})")
    double stormSeconds;

    @Option(names = "--storm-workers", defaultValue = "0",
            description = "Trace exec: storm processes; 0 picks the fastest storm of this machine (default: ${DEFAULT-VALUE})")
    int stormWorkers;

    @Option(names = "--gadget", defaultValue = "./gadget", paramLabel = "LAUNCHER",
            description = "Trace exec: the gadget launcher to run (default: ${DEFAULT-VALUE})")
    Path gadget;

    @Option(names = "--format-seconds", defaultValue = "1",
            description = "Formatting: seconds per measurement (default: ${DEFAULT-VALUE})")
    double formatSeconds;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, commandLine, parsed) -> {
                    commandLine.getErr().println("Error: " + e.getMessage());
                    return 1;
                })
                .execute(args));
    }

    @Override
    public Integer call() throws IOException {
        PrintStream progress = System.err;
        Path work = Files.createTempDirectory("gadget-bench-");
        try {
            NativeTools tools = new NativeTools(work);
            StringBuilder report = new StringBuilder(Machine.describe()).append('\n');
            if (parts.contains(Part.drain)) {
                RingDrainBench.Result result = RingDrainBench.run(new RingDrainBench.Settings(rounds,
                        seconds(streamSeconds), drains, ringMib << 20, recordSizes), tools,
                        profile == null ? null : new Profiler(profile), progress);
                report.append("\n### Ring drain\n\n").append(RingDrainBench.markdown(result));
            }
            if (parts.contains(Part.exec)) {
                ExecBench.Result result = ExecBench.run(new ExecBench.Settings(rounds, seconds(stormSeconds),
                        stormWorkers, gadget.toAbsolutePath()), tools, work, progress);
                report.append("\n### trace exec\n\n").append(ExecBench.markdown(result));
            }
            if (parts.contains(Part.format)) {
                FormatBench.Result result = FormatBench.run(new FormatBench.Settings(rounds, seconds(formatSeconds)),
                        progress);
                report.append("\n### Formatting\n\n").append(FormatBench.markdown(result));
            }
            System.out.print(report);
            return 0;
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
    }

    private static Duration seconds(double seconds) {
        return Duration.ofMillis(Math.round(seconds * 1000));
    }
}
