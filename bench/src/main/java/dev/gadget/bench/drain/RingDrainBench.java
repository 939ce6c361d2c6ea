package dev.gadget.bench.drain;

import dev.gadget.bench.MarkdownTable;
import dev.gadget.bench.NativeTools;
import dev.gadget.bench.PinnedThread;
import dev.gadget.bench.Profiler;
import dev.gadget.bench.Stats;
import dev.gadget.bpf.BpfObject;
import dev.gadget.bpf.PerCpuCounter;
import dev.gadget.bpf.RingBuffer;
import dev.gadget.gadgets.bpfcommon.SharedHeader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Part 1: how fast each consumer reads one BPF ring, side by side in one run. The producer (BPF,
 * through BPF_PROG_TEST_RUN) runs on CPU 0, every consumer on CPU 1, on the same object and ring:
 * gadget's Java reader, libbpf's poll in C, and libbpf's poll calling back into Java through JNA.
 * Two measurements per consumer, record size and round: draining a full ring alone (the consumer's
 * own speed) and streaming while the producer runs flat out. Every record is checked (sequence
 * numbers in order, none missing); a consumer that loses or reorders one fails the benchmark.
 */
public final class RingDrainBench {
    public static final List<Integer> RECORD_SIZES = List.of(16, 64, 256, 1024);
    static final int PRODUCER_CPU = 0;
    static final int CONSUMER_CPU = 1;

    /**
     * @param rounds measured rounds (one unmeasured warm-up round runs first)
     * @param streamTime how long the producer streams per measurement
     * @param drains full-ring drains per measurement
     * @param ringSize bytes of the ring (a power of two, page aligned)
     */
    public record Settings(int rounds, Duration streamTime, int drains, int ringSize, List<Integer> recordSizes) {
    }

    /** One consumer at one record size: one value per round. */
    public record Series(List<Double> drainRates, List<Double> streamRates, List<Double> streamDrops) {
        Series() {
            this(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        }
    }

    /** Results by record size, then by consumer label; {@code labels} lists the consumers, ours first, C second. */
    public record Result(Settings settings, List<String> labels, Map<Integer, Map<String, Series>> series) {
    }

    private RingDrainBench() {
    }

    public static Result run(Settings settings, NativeTools tools, Profiler profiler, PrintStream progress) {
        Path cConsumer = tools.compile(RingDrainBench.class, "ring_consumer.c", List.of("-lbpf"));
        Map<Integer, Map<String, Series>> series = new LinkedHashMap<>();
        List<String> labels;
        try (BpfObject object = BpfObject.open(RingDrainBench.class, "ring_producer.bpf.o");
                PinnedThread producerThread = new PinnedThread("producer", PRODUCER_CPU);
                PinnedThread consumerThread = new PinnedThread("consumer", CONSUMER_CPU)) {
            object.setMaxEntries(SharedHeader.EVENTS, settings.ringSize());
            object.setConstant("batch", Producer.BATCH);
            object.load();
            RingBuffer ring = object.ringBuffer(SharedHeader.EVENTS);
            PerCpuCounter lost = new PerCpuCounter(object, SharedHeader.LOST);
            Producer producer = new Producer(object, producerThread);
            List<DrainConsumer> consumers = List.of(
                    new JavaReader(ring, consumerThread),
                    new LibbpfC(cConsumer, object.map(SharedHeader.EVENTS).id(), CONSUMER_CPU),
                    new LibbpfJnaCallback(object.map(SharedHeader.EVENTS).fd(), consumerThread));
            labels = consumers.stream().map(DrainConsumer::label).toList();
            try {
                Settings warmUp = new Settings(1, settings.streamTime().dividedBy(4), 1, settings.ringSize(),
                        settings.recordSizes());
                progress.println("ring drain: warm-up round");
                round(warmUp, 0, producer, lost, consumers, new LinkedHashMap<>());
                for (int round = 1; round <= settings.rounds(); round++) {
                    progress.printf("ring drain: round %d of %d%n", round, settings.rounds());
                    round(settings, round, producer, lost, consumers, series);
                }
                if (profiler != null) {
                    progress.println("ring drain: profiling the Java reader (not measured) into " + profiler.dir());
                    profile(settings, producer, lost, consumers.getFirst(), consumerThread.thread(), profiler);
                }
            } finally {
                consumers.forEach(DrainConsumer::close);
            }
        }
        return new Result(settings, labels, series);
    }

    /** Runs every consumer at every record size once. */
    private static void round(Settings settings, int round, Producer producer, PerCpuCounter lost,
            List<DrainConsumer> consumers, Map<Integer, Map<String, Series>> series) {
        for (int size : settings.recordSizes()) {
            Map<String, Series> bySize = series.computeIfAbsent(size, s -> new LinkedHashMap<>());
            // Each round starts with the next consumer, so that none is always measured first.
            List<DrainConsumer> order = new ArrayList<>();
            for (int i = 0; i < consumers.size(); i++) {
                order.add(consumers.get((i + round) % consumers.size()));
            }
            Map<DrainConsumer, Double> drained = drain(settings, size, producer, lost, order);
            for (DrainConsumer consumer : order) {
                Series s = bySize.computeIfAbsent(consumer.label(), label -> new Series());
                s.drainRates().add(drained.get(consumer));
                StreamRate streamed = stream(settings, size, producer, lost, consumer);
                s.streamRates().add(streamed.rate());
                s.streamDrops().add(streamed.dropFraction());
            }
        }
    }

    /** Profiles one consumer's measurements at every record size, in a round of their own that is not reported. */
    private static void profile(Settings settings, Producer producer, PerCpuCounter lost, DrainConsumer consumer,
            Thread consumerThread, Profiler profiler) {
        for (int size : settings.recordSizes()) {
            profiler.profile("drain-" + size + "B", consumerThread,
                    () -> drain(settings, size, producer, lost, List.of(consumer)));
            profiler.profile("stream-" + size + "B", consumerThread,
                    () -> stream(settings, size, producer, lost, consumer));
        }
    }

    /**
     * Full-ring drains, the consumers taking turns drain by drain: a spell of the noisy machine then
     * slows them all alike. Returns records per second for each.
     */
    private static Map<DrainConsumer, Double> drain(Settings settings, int size, Producer producer, PerCpuCounter lost,
            List<DrainConsumer> consumers) {
        Map<DrainConsumer, long[]> totals = new LinkedHashMap<>();
        // The first drain of each is not timed: a consumer that just started (the C process) warms up in it.
        for (int i = 0; i <= settings.drains(); i++) {
            for (DrainConsumer consumer : consumers) {
                long filled = producer.fill(size);
                lost.sinceLastCall(); // the records of the last run that found the ring full
                Tally tally = consumer.drainOnce();
                verify(consumer, "draining " + size + "-byte records", filled, tally);
                long[] total = totals.computeIfAbsent(consumer, c -> new long[2]);
                if (i > 0) {
                    total[0] += tally.timedRecords();
                    total[1] += tally.timedNanos();
                }
            }
        }
        Map<DrainConsumer, Double> rates = new LinkedHashMap<>();
        totals.forEach((consumer, total) -> rates.put(consumer, total[0] * 1e9 / total[1]));
        return rates;
    }

    private record StreamRate(double rate, double dropFraction) {
    }

    private static StreamRate stream(Settings settings, int size, Producer producer, PerCpuCounter lost,
            DrainConsumer consumer) {
        lost.sinceLastCall();
        consumer.startStreaming();
        producer.startStreaming(size);
        sleep(settings.streamTime());
        Producer.Streamed produced = producer.stopStreaming();
        Tally tally = consumer.stopStreaming();
        long dropped = lost.sinceLastCall();
        verify(consumer, "streaming " + size + "-byte records", produced.submitted(), tally);
        if (dropped != produced.offered() - produced.submitted()) {
            throw new IllegalStateException("streaming " + size + "-byte records: the producer offered "
                    + produced.offered() + " and submitted " + produced.submitted() + ", but gadget_lost counted "
                    + dropped + " lost");
        }
        return new StreamRate(tally.perSecond(), (double) dropped / produced.offered());
    }

    private static void verify(DrainConsumer consumer, String what, long submitted, Tally tally) {
        if (tally.records() != submitted || tally.errors() != 0) {
            throw new IllegalStateException(consumer.label() + ", " + what + ": the producer submitted " + submitted
                    + " records, the consumer read " + tally.records() + " with " + tally.errors()
                    + " out of sequence: a consumer must read every record once, in order");
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the producer streamed", e);
        }
    }

    /** The report: one table per measurement kind, medians over the rounds. */
    public static String markdown(Result result) {
        Settings s = result.settings();
        List<String> labels = result.labels();
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "Ring of %d MiB; producer on CPU %d, "
                + "consumers on CPU %d: %s (gadget's mmap'd reader), %s (ring_buffer__poll/consume, ring_consumer.c) "
                + "and %s (libbpf called from Java, one JNA callback per record). Million records per second, "
                + "median (min–max) of %d rounds after a warm-up round; Java/C is the median of the per-round "
                + "ratios.%n%n", s.ringSize() >> 20, PRODUCER_CPU, CONSUMER_CPU, labels.get(0), labels.get(1),
                labels.get(2), s.rounds()));
        text.append(String.format(Locale.ROOT, "Draining a full ring, the consumer alone (%d timed drains of each "
                + "consumer per round, the consumers taking turns drain by drain): the reader's own speed.%n%n",
                s.drains()));
        MarkdownTable drain = table(labels, false);
        result.series().forEach((size, bySize) -> drain.row(row(size, labels, bySize, Series::drainRates, false)));
        text.append(drain);
        text.append(String.format(Locale.ROOT, "%nStreaming for %.1f s while the producer runs flat out on the other "
                + "CPU (drops: share of records that found the ring full).%n%n", s.streamTime().toMillis() / 1000.0));
        MarkdownTable stream = table(labels, true);
        result.series().forEach((size, bySize) -> stream.row(row(size, labels, bySize, Series::streamRates, true)));
        text.append(stream);
        return text.toString();
    }

    private static MarkdownTable table(List<String> labels, boolean withDrops) {
        List<String> headers = new ArrayList<>(List.of("record bytes"));
        headers.addAll(labels);
        headers.add("Java/C");
        if (withDrops) {
            headers.add("drops, in column order");
        }
        return new MarkdownTable(headers.toArray(String[]::new));
    }

    private static Object[] row(int size, List<String> labels, Map<String, Series> bySize,
            Function<Series, List<Double>> metric, boolean withDrops) {
        List<Object> cells = new ArrayList<>(List.of(size));
        labels.forEach(label -> cells.add(rates(metric.apply(bySize.get(label)))));
        cells.add(ratio(metric.apply(bySize.get(labels.get(0))), metric.apply(bySize.get(labels.get(1)))));
        if (withDrops) {
            cells.add(labels.stream().map(label -> percent(bySize.get(label).streamDrops()))
                    .collect(Collectors.joining(" / ")));
        }
        return cells.toArray();
    }

    private static String rates(List<Double> perSecond) {
        return String.format(Locale.ROOT, "%.2f (%.2f–%.2f)", Stats.median(perSecond) / 1e6,
                Stats.min(perSecond) / 1e6, Stats.max(perSecond) / 1e6);
    }

    /** The median of the per-round ratios: each pair was measured in the same round, next to each other. */
    private static String ratio(List<Double> java, List<Double> c) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < java.size(); i++) {
            ratios.add(java.get(i) / c.get(i));
        }
        return String.format(Locale.ROOT, "%.2f (%.2f–%.2f)", Stats.median(ratios), Stats.min(ratios),
                Stats.max(ratios));
    }

    private static String percent(List<Double> fractions) {
        return String.format(Locale.ROOT, "%.1f%%", Stats.median(fractions) * 100);
    }
}
