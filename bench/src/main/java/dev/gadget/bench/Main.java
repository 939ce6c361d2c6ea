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

    @Option(names = "--rounds", defaultValue = "3", description = "Measured rounds of each part (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--record-sizes", split = ",", defaultValue = "16,64,256,1024",
            description = "Ring drain: record sizes in bytes, of 16, 64, 256, 1024 (default: ${DEFAULT-VALUE})")
    List<Integer> recordSizes;

    @Option(names = "--drains", defaultValue = "20",
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

    @Option(names = "--storm-seconds", split = ",", defaultValue = "10", paramLabel = "SECONDS",
            description = "Trace exec: how long each storm runs, one cell per value; e.g. 10,120 adds the long cells "
                    + "(each round then takes about 35 minutes more) (default: ${DEFAULT-VALUE})")
    List<Double> stormSeconds;

    @Option(names = "--rates", split = ",", defaultValue = "200,2000,0", paramLabel = "EXECS",
            description = "Trace exec: execs a second of the storms, one cell per value; 0 is as fast as the storm "
                    + "goes (default: ${DEFAULT-VALUE})")
    List<Integer> rates;

    @Option(names = "--storms", split = ",", defaultValue = "nop,dynamic", paramLabel = "STORM",
            description = "Trace exec: nop (vfork + execve of a static no-op) and/or dynamic (fork + execl of "
                    + "/bin/true) (default: ${DEFAULT-VALUE})")
    List<String> storms;

    @Option(names = "--storm-workers", defaultValue = "0",
            description = "Trace exec: processes of a full-speed storm; 0 picks the fastest of this machine "
                    + "(default: ${DEFAULT-VALUE})")
    int stormWorkers;

    @Option(names = "--startups", defaultValue = "5",
            description = "Trace exec: start-ups measured per tracer (default: ${DEFAULT-VALUE})")
    int startups;

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
            // Each part's report goes out as soon as it is done: a later part that fails loses only its own.
            PrintStream report = System.out;
            report.println(Machine.describe());
            if (parts.contains(Part.drain)) {
                RingDrainBench.Result result = RingDrainBench.run(new RingDrainBench.Settings(rounds,
                        seconds(streamSeconds), drains, ringMib << 20, recordSizes), tools,
                        profile == null ? null : new Profiler(profile), progress);
                report.print("\n### Ring drain\n\n" + RingDrainBench.markdown(result));
                report.flush();
            }
            if (parts.contains(Part.exec)) {
                ExecBench.Result result = ExecBench.run(new ExecBench.Settings(rounds,
                        stormSeconds.stream().map(Main::seconds).toList(), rates, storms, stormWorkers, startups,
                        gadget.toAbsolutePath()), tools, work, progress);
                report.print("\n### trace exec\n\n" + ExecBench.markdown(result));
                report.flush();
            }
            if (parts.contains(Part.format)) {
                FormatBench.Result result = FormatBench.run(new FormatBench.Settings(rounds, seconds(formatSeconds)),
                        progress);
                report.print("\n### Formatting\n\n" + FormatBench.markdown(result));
                report.flush();
            }
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
