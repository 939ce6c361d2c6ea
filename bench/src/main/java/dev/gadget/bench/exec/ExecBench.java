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
 * Part 2: trace exec end to end, side by side. Each round runs the storm alone, then under each
 * tracer (gadget trace exec -o json, libbpf-tools execsnoop, a bpftrace one-liner), in an order that
 * rotates from round to round. Execs run are counted by the storm, events by reading each tracer's output.
 */
public final class ExecBench {
    static final String ALONE = "no tracer";

    /**
     * @param workers storm workers; 0 picks the fastest storm this machine makes
     */
    public record Settings(int rounds, Duration storm, int workers, Path gadgetLauncher) {
    }

    /** Per tracer label (and {@link #ALONE}), one result per round. */
    public record Result(Settings settings, int workers, Map<String, List<TracerRun.Result>> runs,
            List<Double> aloneRates) {
    }

    private ExecBench() {
    }

    public static Result run(Settings settings, NativeTools tools, Path dir, PrintStream progress) {
        ExecStorm storm = new ExecStorm(tools, dir);
        int workers = settings.workers() > 0 ? settings.workers() : storm.fastestWorkers();
        progress.printf("trace exec: storms of %d workers, %d s each%n", workers, settings.storm().toSeconds());
        List<Tracer> tracers = List.of(new Tracer.Gadget(settings.gadgetLauncher()), new Tracer.Execsnoop(),
                new Tracer.Bpftrace());
        Map<String, List<TracerRun.Result>> runs = new LinkedHashMap<>();
        tracers.forEach(tracer -> runs.put(tracer.label(), new ArrayList<>()));
        List<Double> aloneRates = new ArrayList<>();
        for (int round = 1; round <= settings.rounds(); round++) {
            progress.printf("trace exec: round %d of %d%n", round, settings.rounds());
            aloneRates.add(storm.run(settings.storm(), workers).perSecond());
            for (int i = 0; i < tracers.size(); i++) {
                Tracer tracer = tracers.get((i + round) % tracers.size());
                runs.get(tracer.label()).add(new TracerRun(tracer, storm, dir).run(settings.storm(), workers));
            }
        }
        return new Result(settings, workers, runs, aloneRates);
    }

    public static String markdown(Result result) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "Storm: %d workers each running a static no-op program with a unique "
                + "argument, %d s per run; %d rounds; counts are totals over the rounds, the rest medians. "
                + "CPU: the tracer's user + system time from the storm's start until it had caught up.%n%n",
                result.workers(), result.settings().storm().toSeconds(), result.settings().rounds()));
        MarkdownTable table = new MarkdownTable("tracer", "execs run", "events captured", "lost (reported)",
                "CPU ms / 1000 events", "peak RSS MiB", "start → first event, s", "storm execs/s",
                "storm vs. no tracer");
        double alone = Stats.median(result.aloneRates());
        table.row(ALONE, "", "", "", "", "", "", String.format(Locale.ROOT, "%.0f", alone), "1.00");
        result.runs().forEach((label, runs) -> {
            long execs = runs.stream().mapToLong(TracerRun.Result::execs).sum();
            long captured = runs.stream().mapToLong(TracerRun.Result::captured).sum();
            table.row(label, execs, String.format(Locale.ROOT, "%d (%.2f%%)", captured, 100.0 * captured / execs),
                    runs.stream().mapToLong(TracerRun.Result::lost).sum(),
                    format("%.2f", runs, r -> 1000 * 1000 * cpuPerEvent(r)),
                    format("%.0f", runs, r -> r.peakRssBytes() / (1024.0 * 1024)),
                    format("%.2f", runs, TracerRun.Result::firstEventSeconds),
                    format("%.0f", runs, TracerRun.Result::stormPerSecond),
                    ratio(runs, result.aloneRates()));
        });
        text.append(table);
        List<TracerRun.Result> gadget = result.runs().get(Tracer.Gadget.LABEL);
        List<TracerRun.Result> execsnoop = result.runs().get(Tracer.Execsnoop.LABEL);
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < gadget.size(); i++) {
            ratios.add(cpuPerEvent(gadget.get(i)) / cpuPerEvent(execsnoop.get(i)));
        }
        text.append(String.format(Locale.ROOT, "%ngadget's CPU per event over execsnoop's, same round: %.2f "
                + "(median; min %.2f, max %.2f).%n", Stats.median(ratios), Stats.min(ratios), Stats.max(ratios)));
        return text.toString();
    }

    private static double cpuPerEvent(TracerRun.Result run) {
        return run.cpuSeconds() / run.captured();
    }

    private static String format(String format, List<TracerRun.Result> runs, ToDoubleFunction<TracerRun.Result> metric) {
        return String.format(Locale.ROOT, format, Stats.median(runs.stream().map(metric::applyAsDouble).toList()));
    }

    /** The storm's rate under the tracer over its rate alone in the same round. */
    private static String ratio(List<TracerRun.Result> runs, List<Double> aloneRates) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            ratios.add(runs.get(i).stormPerSecond() / aloneRates.get(i));
        }
        return String.format(Locale.ROOT, "%.2f", Stats.median(ratios));
    }
}
