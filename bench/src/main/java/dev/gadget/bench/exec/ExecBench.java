package dev.gadget.bench.exec;

import dev.gadget.bench.MarkdownTable;
import dev.gadget.bench.NativeTools;
import dev.gadget.bench.Stats;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Part 2: trace exec end to end, side by side with libbpf-tools' execsnoop (and at full speed a
 * bpftrace one-liner), in cells: each storm kind at each rate for each duration. Within a round every
 * tracer of a cell goes through the same storm, one after the other, in an order that rotates from
 * round to round; ratios are taken within a round. Then start-up: how long each tracer takes from its
 * command to the first exec printed.
 */
public final class ExecBench {
    static final String ALONE = "no tracer";
    static final String GADGET = "gadget trace exec -o json";

    /**
     * @param rounds rounds of every cell
     * @param durations how long each storm runs: one cell per duration
     * @param rates execs a second of the paced storms; 0 for as fast as the storm goes
     * @param storms the storm kinds
     * @param fullSpeedWorkers workers of a full-speed storm; 0 picks the fastest of this machine
     * @param startups start-ups measured per tracer
     */
    public record Settings(int rounds, List<Duration> durations, List<Integer> rates, List<String> storms,
            int fullSpeedWorkers, int startups, Path gadgetLauncher) {
    }

    /** One storm kind, rate and duration. */
    record Cell(ExecStorm.Kind kind, int rate, Duration duration) {
    }

    /**
     * @param runs per cell, per tracer label (and {@link #ALONE} at full speed: the storm's own rate), one per round
     * @param startups per tracer label, seconds from its command to its first exec printed
     */
    public record Result(Settings settings, Map<Cell, Integer> workers, Map<Cell, Map<String, List<TracerRun.Result>>> runs,
            Map<String, List<Double>> startups) {
    }

    private ExecBench() {
    }

    public static Result run(Settings settings, NativeTools tools, Path dir, PrintStream progress) {
        ExecStorm storm = new ExecStorm(tools, dir);
        Tracer gadget = new Tracer.Gadget(settings.gadgetLauncher(), List.of("-o", "json"));
        Tracer execsnoop = new Tracer.Execsnoop();
        Tracer bpftrace = new Tracer.Bpftrace();
        Map<Cell, Integer> workers = new LinkedHashMap<>();
        Map<Cell, List<Tracer>> tracers = new LinkedHashMap<>();
        for (String option : settings.storms()) {
            ExecStorm.Kind kind = ExecStorm.Kind.parse(option);
            int fastest = settings.fullSpeedWorkers() > 0 ? settings.fullSpeedWorkers() : storm.fastestWorkers(kind);
            for (Duration duration : settings.durations()) {
                for (int rate : settings.rates()) {
                    Cell cell = new Cell(kind, rate, duration);
                    // Paced storms spread over the CPUs; bpftrace, a third opinion, only at full speed.
                    workers.put(cell, rate == 0 ? fastest : Runtime.getRuntime().availableProcessors());
                    tracers.put(cell, rate == 0 ? List.of(gadget, execsnoop, bpftrace) : List.of(gadget, execsnoop));
                }
            }
        }
        // Rows in a fixed order (the storm alone, then the tracers as listed), whatever order they ran in.
        Map<Cell, Map<String, List<TracerRun.Result>>> runs = new LinkedHashMap<>();
        tracers.forEach((cell, cellTracers) -> {
            Map<String, List<TracerRun.Result>> byTracer = new LinkedHashMap<>();
            if (cell.rate() == 0) {
                byTracer.put(ALONE, new ArrayList<>());
            }
            cellTracers.forEach(tracer -> byTracer.put(tracer.label(), new ArrayList<>()));
            runs.put(cell, byTracer);
        });
        for (int round = 1; round <= settings.rounds(); round++) {
            for (Map.Entry<Cell, List<Tracer>> entry : tracers.entrySet()) {
                Cell cell = entry.getKey();
                progress.printf("trace exec: round %d of %d, %s storm at %s for %d s%n", round, settings.rounds(),
                        cell.kind().option, rate(cell.rate()), cell.duration().toSeconds());
                TracerRun.Storm s = new TracerRun.Storm(cell.kind(), cell.duration(), workers.get(cell), cell.rate());
                Map<String, List<TracerRun.Result>> byTracer = runs.get(cell);
                if (cell.rate() == 0) {
                    ExecStorm.Run alone = storm.run(cell.kind(), cell.duration(), s.workers(), 0);
                    byTracer.get(ALONE).add(new TracerRun.Result(alone.execs(), 0, 0, 0, 0, 0, 0, alone.perSecond(),
                            Double.NaN, Double.NaN));
                }
                List<Tracer> cellTracers = entry.getValue();
                for (int i = 0; i < cellTracers.size(); i++) {
                    Tracer tracer = cellTracers.get((i + round) % cellTracers.size());
                    TracerRun.Result result = new TracerRun(tracer, storm, dir).run(s);
                    progress.printf("  %s: %s%n", tracer.label(), result);
                    byTracer.get(tracer.label()).add(result);
                }
            }
        }
        Map<String, List<Double>> startups = new LinkedHashMap<>();
        List<Tracer> started = List.of(new Tracer.Gadget(settings.gadgetLauncher(), List.of()), gadget,
                new Tracer.Gadget(settings.gadgetLauncher(), List.of("-o", "json", "--paths")), execsnoop, bpftrace);
        for (int i = 0; i < settings.startups(); i++) {
            progress.printf("trace exec: start-ups, %d of %d%n", i + 1, settings.startups());
            for (Tracer tracer : started) {
                startups.computeIfAbsent(tracer.label(), label -> new ArrayList<>())
                        .add(new TracerRun(tracer, storm, dir).startup());
            }
        }
        return new Result(settings, workers, runs, startups);
    }

    public static String markdown(Result result) {
        Settings settings = result.settings();
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "Storms: %s. Every exec carries an "
                + "argument of its own holding the time it was made; paced storms run on %d workers, full-speed ones "
                + "on the fastest number this machine has. %d round(s); counts are totals over the rounds, the rest "
                + "medians. *shown*: lines naming the storm's program; *args captured*: execs whose exact argument "
                + "was printed. CPU: the tracer's user + system time from the storm's start until it had caught up "
                + "(a second without more of the storm shown), per 1000 execs run; *of which JIT*: what the JVM's compiler threads used of it; *vs. execsnoop*: the median of the per-round ratios. Latency: from the exec "
                + "to its line arriving on the tracer's standard output, a pipe, into which execsnoop writes "
                + "through stdio's 4 KiB buffer (gadget flushes after each batch, bpftrace after each line).%n%n",
                String.join(" and ", settings.storms().stream().map(o -> o + " (" + ExecStorm.Kind.parse(o).description
                        + ")").toList()), Runtime.getRuntime().availableProcessors(), settings.rounds()));
        MarkdownTable table = new MarkdownTable("storm", "rate", "s", "tracer", "execs run", "execs/s",
                "shown", "args captured", "lost", "CPU ms / 1000 execs", "of which JIT", "vs. execsnoop", "latency ms, median / p99",
                "peak RSS MiB");
        result.runs().forEach((cell, byTracer) -> byTracer.forEach((label, runs) -> {
            long execs = runs.stream().mapToLong(TracerRun.Result::execs).sum();
            if (label.equals(ALONE)) {
                table.row(cell.kind().option, rate(cell.rate()), cell.duration().toSeconds(), label, execs,
                        format("%.0f", runs, TracerRun.Result::stormPerSecond), "", "", "", "", "", "", "", "");
                return;
            }
            long shown = runs.stream().mapToLong(TracerRun.Result::shown).sum();
            long captured = runs.stream().mapToLong(TracerRun.Result::captured).sum();
            table.row(cell.kind().option, rate(cell.rate()), cell.duration().toSeconds(), label, execs,
                    format("%.0f", runs, TracerRun.Result::stormPerSecond), percent(shown, execs),
                    percent(captured, execs), runs.stream().mapToLong(TracerRun.Result::lost).sum(),
                    format("%.2f", runs, r -> 1e6 * cpuPerExec(r)),
                    label.equals(GADGET) ? format("%.2f", runs, r -> 1e6 * r.compilerCpuSeconds() / r.execs()) : "",
                    label.equals(Tracer.Execsnoop.LABEL) ? "1" : ratioToExecsnoop(runs, byTracer),
                    format("%.1f", runs, TracerRun.Result::latencyMedianMillis) + " / "
                            + format("%.1f", runs, TracerRun.Result::latencyP99Millis),
                    format("%.0f", runs, r -> r.peakRssBytes() / (1024.0 * 1024)));
        }));
        text.append(table);
        text.append("\ngadget's CPU per exec over execsnoop's (median of the rounds; ≤ 1 is the goal):\n\n");
        List<Duration> durations = settings.durations();
        List<String> headers = new ArrayList<>(List.of("storm", "rate"));
        durations.forEach(d -> headers.add(d.toSeconds() + " s"));
        MarkdownTable grid = new MarkdownTable(headers.toArray(String[]::new));
        for (String option : settings.storms()) {
            for (int rate : settings.rates()) {
                List<Object> row = new ArrayList<>(List.of(option, rate(rate)));
                for (Duration duration : durations) {
                    Map<String, List<TracerRun.Result>> byTracer = result.runs()
                            .get(new Cell(ExecStorm.Kind.parse(option), rate, duration));
                    row.add(byTracer == null ? "" : ratioToExecsnoop(byTracer.get(GADGET), byTracer));
                }
                grid.row(row.toArray());
            }
        }
        text.append(grid);
        text.append(String.format(Locale.ROOT, "%nStart-up: from the command to the first exec printed (line-buffered: "
                + "execsnoop through stdbuf -oL), median (min–max) of %d starts.%n%n", settings.startups()));
        MarkdownTable startup = new MarkdownTable("tracer", "start → first event, s");
        result.startups().forEach((label, seconds) -> startup.row(label, String.format(Locale.ROOT, "%.2f (%.2f–%.2f)",
                Stats.median(seconds), Stats.min(seconds), Stats.max(seconds))));
        text.append(startup);
        return text.toString();
    }

    static String rate(int rate) {
        return rate == 0 ? "full speed" : rate + "/s";
    }

    static double cpuPerExec(TracerRun.Result run) {
        return run.cpuSeconds() / run.execs();
    }

    /** The median over the rounds of this tracer's CPU per exec over execsnoop's in the same round. */
    private static String ratioToExecsnoop(List<TracerRun.Result> runs, Map<String, List<TracerRun.Result>> byTracer) {
        List<TracerRun.Result> execsnoop = byTracer.get(Tracer.Execsnoop.LABEL);
        if (runs == null || execsnoop == null) {
            return "";
        }
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            ratios.add(cpuPerExec(runs.get(i)) / cpuPerExec(execsnoop.get(i)));
        }
        return runs.size() == 1 ? String.format(Locale.ROOT, "%.2f", ratios.getFirst())
                : String.format(Locale.ROOT, "%.2f (%.2f–%.2f)", Stats.median(ratios), Stats.min(ratios),
                        Stats.max(ratios));
    }

    private static String percent(long count, long of) {
        return String.format(Locale.ROOT, "%.1f%%", 100.0 * count / of);
    }

    private static String format(String format, List<TracerRun.Result> runs, ToDoubleFunction<TracerRun.Result> metric) {
        return String.format(Locale.ROOT, format, Stats.median(runs.stream().map(metric::applyAsDouble).toList()));
    }
}
