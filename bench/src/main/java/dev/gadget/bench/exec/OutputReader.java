package dev.gadget.bench.exec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Reads a tracer's standard output as it comes, on a thread of its own, and keeps what the benchmark
 * needs of each line: whether it shows a storm exec by program name, which storm exec it shows by its
 * unique argument ("TAG-worker-n-ns"), how long after that exec the line arrived, whether it shows a
 * probe, and what the tracer says it lost. Each read is timestamped when it returns: every line in it
 * became visible then. Lines are not kept, so a long storm costs little memory.
 */
final class OutputReader implements Runnable {
    private static final int CHUNK = 1 << 16;

    private final InputStream in;
    private final String stormProgram;
    private final String stormTag;
    private final String probeTag;
    private final ToLongFunction<String> lost;
    private final Thread thread;
    private final List<BitSet> captured = new ArrayList<>();
    private int[] latenciesMicros = new int[1 << 16];
    private int latencyCount;
    private volatile long shown;
    private long capturedCount;
    private long lostCount;
    private long firstProbeNanos = -1;
    private volatile boolean probeSeen;
    private IOException failure;

    /**
     * @param lost what a line says the tracer lost (0 for most lines)
     */
    OutputReader(InputStream in, String stormProgram, String stormTag, String probeTag, ToLongFunction<String> lost) {
        this.in = in;
        this.stormProgram = stormProgram;
        this.stormTag = stormTag + "-";
        this.probeTag = probeTag + "-";
        this.lost = lost;
        this.thread = Thread.ofPlatform().name("tracer-output").daemon().unstarted(this);
    }

    void start() {
        thread.start();
    }

    boolean probeSeen() {
        return probeSeen;
    }

    /** Lines so far that name the storm's program. */
    long shown() {
        return shown;
    }

    /** What the whole output showed; waits for it to end (the tracer exited). */
    Summary await() {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading a tracer's output", e);
        }
        if (failure != null) {
            throw new UncheckedIOException("reading a tracer's output", failure);
        }
        int[] sorted = Arrays.copyOf(latenciesMicros, latencyCount);
        Arrays.sort(sorted);
        return new Summary(shown, capturedCount, lostCount, firstProbeNanos, percentile(sorted, 0.5),
                percentile(sorted, 0.99));
    }

    /**
     * @param shown lines that name the storm's program
     * @param captured distinct storm execs whose exact argument a line showed
     * @param lost events the tracer said on standard output it lost
     * @param firstProbeNanos System.nanoTime() when the first probe's line arrived, -1 if none did
     * @param latencyMedianMillis from an exec to its line arriving, median; NaN without captured execs
     * @param latencyP99Millis the same, 99th percentile
     */
    record Summary(long shown, long captured, long lost, long firstProbeNanos, double latencyMedianMillis,
            double latencyP99Millis) {
    }

    @Override
    public void run() {
        byte[] buffer = new byte[CHUNK];
        int filled = 0;
        try {
            for (int n = in.read(buffer, filled, buffer.length - filled); n >= 0;
                    n = in.read(buffer, filled, buffer.length - filled)) {
                long now = System.nanoTime();
                int end = filled + n;
                int start = 0;
                for (int i = filled; i < end; i++) {
                    if (buffer[i] == '\n') {
                        line(new String(buffer, start, i - start, StandardCharsets.ISO_8859_1), now);
                        start = i + 1;
                    }
                }
                filled = end - start;
                System.arraycopy(buffer, start, buffer, 0, filled);
                if (filled == buffer.length) { // a line longer than the buffer: take it as it is
                    line(new String(buffer, 0, filled, StandardCharsets.ISO_8859_1), now);
                    filled = 0;
                }
            }
            if (filled > 0) {
                line(new String(buffer, 0, filled, StandardCharsets.ISO_8859_1), System.nanoTime());
            }
        } catch (IOException e) {
            failure = e;
        }
    }

    private void line(String line, long arrivedNanos) {
        lostCount += lost.applyAsLong(line);
        if (firstProbeNanos < 0 && line.contains(probeTag)) {
            firstProbeNanos = arrivedNanos;
            probeSeen = true;
        }
        if (line.contains(stormProgram)) {
            shown = shown + 1; // only this thread writes it
        }
        for (int at = line.indexOf(stormTag); at >= 0; at = line.indexOf(stormTag, at + 1)) {
            capture(line, at + stormTag.length(), arrivedNanos);
        }
    }

    /** Parses "worker-n-ns" at {@code from}; a cut or mangled argument does not count. */
    private void capture(String line, int from, long arrivedNanos) {
        long[] numbers = new long[3];
        int at = from;
        for (int i = 0; i < numbers.length; i++) {
            int start = at;
            while (at < line.length() && Character.isDigit(line.charAt(at)) && at - start < 19) {
                numbers[i] = numbers[i] * 10 + (line.charAt(at++) - '0');
            }
            boolean separated = i == numbers.length - 1
                    ? at == line.length() || !Character.isDigit(line.charAt(at))
                    : at < line.length() && line.charAt(at) == '-';
            if (at == start || !separated) {
                return;
            }
            at++;
        }
        int worker = (int) numbers[0];
        if (worker > 4096 || numbers[1] > Integer.MAX_VALUE) {
            return;
        }
        while (captured.size() <= worker) {
            captured.add(new BitSet());
        }
        BitSet seen = captured.get(worker);
        if (seen.get((int) numbers[1])) {
            return;
        }
        seen.set((int) numbers[1]);
        capturedCount++;
        if (latencyCount == latenciesMicros.length) {
            latenciesMicros = Arrays.copyOf(latenciesMicros, 2 * latencyCount);
        }
        latenciesMicros[latencyCount++] = (int) Math.min(Integer.MAX_VALUE, (arrivedNanos - numbers[2]) / 1000);
    }

    private static double percentile(int[] sorted, double fraction) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] / 1000.0;
    }
}
