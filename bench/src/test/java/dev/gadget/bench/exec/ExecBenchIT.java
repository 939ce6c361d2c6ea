package dev.gadget.bench.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gadget.bench.NativeTools;
import dev.gadget.bpf.RequiresBpf;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny run of the trace exec benchmark with the packaged gadget command, execsnoop and bpftrace
 * (scripts/test installs them): every tracer shows every storm, gadget shows every exec of both and
 * the exact argument of every exec of the static one, losing nothing; start-ups are measured.
 */
@ExtendWith(RequiresBpf.class)
class ExecBenchIT {
    private static final Path LAUNCHER = Path.of(System.getProperty("gadget.launcher", "../gadget"));

    @TempDir
    Path dir;

    @Test
    void everyTracerSeesEveryStormAndGadgetLosesNothing() {
        ExecBench.Settings settings = new ExecBench.Settings(1, List.of(Duration.ofSeconds(1)), List.of(100, 0),
                List.of("nop", "dynamic"), 1, 1, LAUNCHER.toAbsolutePath());

        ExecBench.Result result = ExecBench.run(settings, new NativeTools(dir), dir,
                new PrintStream(OutputStream.nullOutputStream()));

        assertEquals(4, result.runs().size());
        result.runs().forEach((cell, byTracer) -> {
            List<String> expected = cell.rate() == 0
                    ? List.of(ExecBench.ALONE, ExecBench.GADGET, Tracer.Execsnoop.LABEL, Tracer.Bpftrace.LABEL)
                    : List.of(ExecBench.GADGET, Tracer.Execsnoop.LABEL);
            assertEquals(expected, List.copyOf(byTracer.keySet()), cell.toString());
            byTracer.forEach((label, runs) -> {
                TracerRun.Result run = runs.getFirst();
                assertTrue(run.execs() > 0, cell + " " + label + ": " + run);
                if (!label.equals(ExecBench.ALONE)) {
                    assertTrue(run.shown() > 0 && run.cpuSeconds() >= 0 && run.peakRssBytes() > 0,
                            cell + " " + label + ": " + run);
                }
            });
            TracerRun.Result gadget = byTracer.get(ExecBench.GADGET).getFirst();
            assertEquals(gadget.execs(), gadget.shown(), cell + ": " + gadget);
            assertEquals(0, gadget.lost(), cell + ": " + gadget);
            assertTrue(gadget.compilerCpuSeconds() >= 0, cell + ": " + gadget);
            assertEquals(0, byTracer.get(Tracer.Execsnoop.LABEL).getFirst().compilerCpuSeconds(), cell + ": execsnoop");
            if (cell.kind() == ExecStorm.Kind.NOP) {
                assertEquals(gadget.execs(), gadget.captured(), cell + ": " + gadget);
                assertTrue(gadget.latencyMedianMillis() >= 0 && gadget.latencyP99Millis() >= gadget.latencyMedianMillis(),
                        cell + ": " + gadget);
            }
        });
        Map<String, List<Double>> startups = result.startups();
        assertEquals(5, startups.size(), startups.toString());
        startups.forEach((label, seconds) -> assertTrue(seconds.getFirst() > 0, label + ": " + seconds));
        String report = ExecBench.markdown(result);
        assertTrue(report.contains("| " + Tracer.Bpftrace.LABEL) && report.contains("| of which JIT"), report);
    }
}
