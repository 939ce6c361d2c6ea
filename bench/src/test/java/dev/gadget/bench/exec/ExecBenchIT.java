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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny run of the trace exec benchmark with the packaged gadget command, execsnoop and bpftrace
 * (scripts/test installs them): each tracer shows the storm, and gadget shows all of it.
 */
@ExtendWith(RequiresBpf.class)
class ExecBenchIT {
    private static final Path LAUNCHER = Path.of(System.getProperty("gadget.launcher", "../gadget"));

    @TempDir
    Path dir;

    @Test
    void everyTracerSeesTheStormAndGadgetLosesNothing() {
        ExecBench.Settings settings = new ExecBench.Settings(1, Duration.ofSeconds(1), 1, LAUNCHER.toAbsolutePath());

        ExecBench.Result result = ExecBench.run(settings, new NativeTools(dir), dir,
                new PrintStream(OutputStream.nullOutputStream()));

        assertEquals(List.of(Tracer.Gadget.LABEL, Tracer.Execsnoop.LABEL, Tracer.Bpftrace.LABEL),
                List.copyOf(result.runs().keySet()));
        result.runs().forEach((label, runs) -> {
            TracerRun.Result run = runs.getFirst();
            assertTrue(run.execs() > 0 && run.captured() > 0, label + ": " + run);
            assertTrue(run.cpuSeconds() >= 0 && run.peakRssBytes() > 0 && run.firstEventSeconds() > 0, label + ": " + run);
        });
        TracerRun.Result gadget = result.runs().get(Tracer.Gadget.LABEL).getFirst();
        assertEquals(gadget.execs(), gadget.captured(), gadget.toString());
        assertEquals(0, gadget.lost(), gadget.toString());
        assertTrue(ExecBench.markdown(result).contains("| " + Tracer.Bpftrace.LABEL), ExecBench.markdown(result));
    }
}
