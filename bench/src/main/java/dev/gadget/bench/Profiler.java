package dev.gadget.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import one.profiler.AsyncProfiler;
import one.profiler.AsyncProfilerLoader;
import one.profiler.Counter;

/**
 * async-profiler (through ap-loader) in this JVM: CPU samples while a measurement runs, written as a
 * flame graph of every thread (.html) and as the hottest frames of the measured thread by own time (.txt).
 */
public final class Profiler {
    private static final int TOP_FRAMES = 20;

    private final Path dir;
    private final AsyncProfiler profiler;

    public Profiler(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
            this.profiler = AsyncProfilerLoader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("loading async-profiler (ap-loader) for --profile", e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** Profiles while {@code measurement} runs, writing {@code name}.html and {@code name}.txt (for {@code thread}). */
    public <T> T profile(String name, Thread thread, Supplier<T> measurement) {
        execute("start,event=cpu,interval=100us,cstack=vm,threads");
        try {
            return measurement.get();
        } finally {
            execute("stop");
            execute("flamegraph,file=" + dir.resolve(name + ".html"));
            write(dir.resolve(name + ".txt"), topFrames(profiler.dumpCollapsed(Counter.SAMPLES), thread.getName()));
        }
    }

    /** Own samples per leaf frame of one thread's stacks ("[name tid=N];frame;...;leaf count" lines). */
    static String topFrames(String collapsed, String threadName) {
        Map<String, Long> byLeaf = new TreeMap<>();
        long total = 0;
        for (String line : collapsed.split("\n")) {
            int space = line.lastIndexOf(' ');
            if (!line.startsWith("[" + threadName + " tid=") || space < 0) {
                continue;
            }
            long samples = Long.parseLong(line.substring(space + 1));
            String stack = line.substring(0, space);
            byLeaf.merge(stack.substring(stack.lastIndexOf(';') + 1), samples, Long::sum);
            total += samples;
        }
        StringBuilder text = new StringBuilder("Own CPU samples of thread " + threadName + " (" + total + " in all)\n");
        long all = total;
        byLeaf.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .limit(TOP_FRAMES)
                .forEach(e -> text.append(String.format(Locale.ROOT, "%6.2f%%  %s%n", 100.0 * e.getValue() / all,
                        e.getKey())));
        return text.toString();
    }

    private void execute(String command) {
        try {
            profiler.execute(command);
        } catch (IOException e) {
            throw new UncheckedIOException("async-profiler: " + command, e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file, e);
        }
    }
}
