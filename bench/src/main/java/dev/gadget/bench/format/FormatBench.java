package dev.gadget.bench.format;

import dev.gadget.bench.MarkdownTable;
import dev.gadget.bench.Stats;
import dev.gadget.cli.output.OutputFormat;
import dev.gadget.cli.output.RunPrinter;
import dev.gadget.cli.output.Utf8Writer;
import dev.gadget.gadgets.catalog.Catalog;
import dev.gadget.gadgets.containers.ContainerRegistry;
import dev.gadget.gadgets.containers.HostRoot;
import dev.gadget.gadgets.model.ContainerSelection;
import dev.gadget.gadgets.model.FieldSpec;
import dev.gadget.gadgets.model.GadgetKind;
import dev.gadget.gadgets.model.ParamValues;
import dev.gadget.gadgets.model.RowView;
import dev.gadget.gadgets.model.RunMessage;
import dev.gadget.gadgets.runner.Gadget;
import dev.gadget.gadgets.runner.Run;
import dev.gadget.gadgets.runner.Runs;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Part 3: how many events per second the CLI's printers write to /dev/null, through the same writer
 * stack as the gadget command. The events are real: trace exec records of execs this benchmark runs.
 */
public final class FormatBench {
    /** Events printed between flushes, as a busy trace flushes once per batch it reads. */
    static final int BATCH = 64;
    static final int EVENTS = 256;

    public record Settings(int rounds, Duration window) {
    }

    /** Events per second, one value per round, by output format. */
    public record Result(Settings settings, Map<String, List<Double>> rates) {
    }

    private FormatBench() {
    }

    public static Result run(Settings settings, PrintStream progress) {
        progress.println("formatting: recording " + EVENTS + " exec events");
        Gadget gadget = Catalog.find("trace", "exec").orElseThrow();
        List<FieldSpec> fields = gadget.description().fieldsFor(gadget.description().parseParams(Map.of()));
        List<List<Object>> events = recordExecs(gadget, fields);
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        for (String format : List.of("columns", "json")) {
            rates.put(format, new ArrayList<>());
        }
        try (PrintWriter devNull = new PrintWriter(new Utf8Writer(new FileOutputStream("/dev/null"), 1 << 16))) {
            for (int round = 0; round <= settings.rounds(); round++) {
                progress.printf("formatting: round %d of %d%s%n", round, settings.rounds(),
                        round == 0 ? " (warm-up, not measured)" : "");
                for (String format : rates.keySet()) {
                    RunPrinter printer = RunPrinter.of(OutputFormat.parse(format, GadgetKind.TRACE), GadgetKind.TRACE,
                            fields, devNull, false);
                    double rate = eventsPerSecond(printer, events, devNull, settings.window());
                    if (round > 0) {
                        rates.get(format).add(rate);
                    }
                }
            }
        } catch (FileNotFoundException e) {
            throw new UncheckedIOException("opening /dev/null", e);
        }
        return new Result(settings, rates);
    }

    private static double eventsPerSecond(RunPrinter printer, List<List<Object>> events, PrintWriter out,
            Duration window) {
        printer.start();
        long printed = 0;
        long start = System.nanoTime();
        long end = start + window.toNanos();
        long now;
        do {
            for (int i = 0; i < BATCH; i++) {
                printer.event(events.get((int) (printed++ % events.size())));
            }
            out.flush();
            now = System.nanoTime();
        } while (now < end);
        return printed * 1e9 / (now - start);
    }

    /** Runs /bin/true with compiler-like arguments and keeps what trace exec saw of it. */
    private static List<List<Object>> recordExecs(Gadget gadget, List<FieldSpec> fields) {
        String marker = "gbf-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        List<List<Object>> events = new ArrayList<>();
        ParamValues values = gadget.description().parseParams(Map.of());
        try (ContainerRegistry containers = ContainerRegistry.start(HostRoot.SELF);
                Run session = Runs.start(gadget, values, ContainerSelection.EVERYTHING, containers, message -> {
                    switch (message) {
                        case RunMessage.Event event -> {
                            if (new RowView(fields, event.values()).strings("args").contains(marker)) {
                                events.add(event.values());
                            }
                        }
                        case RunMessage.Lost lost -> throw new IllegalStateException("trace exec lost " + lost.count()
                                + " events while recording");
                        default -> {
                        }
                    }
                })) {
            Thread reader = Thread.ofPlatform().start(() -> session.run(null));
            for (int i = 0; i < EVENTS; i++) {
                run(List.of("/bin/true", "-O2", "-Wall", "-c", "src/module-" + i + "/file.c", "-o",
                        "build/module-" + i + "/file.o", "-I", "include", marker));
            }
            session.stop();
            reader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while recording exec events", e);
        }
        if (events.size() != EVENTS) {
            throw new IllegalStateException("trace exec showed " + events.size() + " of the " + EVENTS
                    + " execs the formatting benchmark ran");
        }
        return events;
    }

    private static void run(List<String> command) {
        try {
            new ProcessBuilder(command).start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException("running " + command.getFirst(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.getFirst(), e);
        }
    }

    public static String markdown(Result result) {
        MarkdownTable table = new MarkdownTable("output", "events/s to /dev/null");
        result.rates().forEach((format, rates) -> table.row("-o " + format, String.format(Locale.ROOT,
                "%,.0f (%,.0f–%,.0f)", Stats.median(rates), Stats.min(rates), Stats.max(rates))));
        return String.format(Locale.ROOT, "Real trace exec events (%d distinct, 11 arguments each), flushed every "
                + "%d events; %d rounds of %.1f s after a warm-up round; median (min–max).%n%n", EVENTS, BATCH,
                result.settings().rounds(), result.settings().window().toMillis() / 1000.0) + table;
    }
}
