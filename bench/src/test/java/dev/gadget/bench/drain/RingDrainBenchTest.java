package dev.gadget.bench.drain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gadget.bench.NativeTools;
import dev.gadget.bpf.RequiresBpf;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny run of the ring drain benchmark, so that it cannot rot: every consumer reads every record of
 * every size once and in order (the benchmark checks each record and fails otherwise). No timing asserted.
 */
@ExtendWith(RequiresBpf.class)
class RingDrainBenchTest {
    @TempDir
    Path dir;

    @Test
    void everyConsumerReadsEveryRecordAtEverySize() {
        RingDrainBench.Settings settings = new RingDrainBench.Settings(1, Duration.ofMillis(100), 1, 1 << 20,
                RingDrainBench.RECORD_SIZES);

        RingDrainBench.Result result = RingDrainBench.run(settings, new NativeTools(dir), null,
                new PrintStream(OutputStream.nullOutputStream()));

        assertEquals(List.of("gadget Java reader", "libbpf C", "libbpf + JNA callback"), result.labels());
        assertEquals(RingDrainBench.RECORD_SIZES, List.copyOf(result.series().keySet()));
        result.series().values().forEach(bySize -> bySize.values().forEach(series -> {
            assertTrue(series.drainRates().getFirst() > 0, series.toString());
            assertTrue(series.streamRates().getFirst() > 0, series.toString());
        }));
        String report = RingDrainBench.markdown(result);
        assertTrue(report.lines().anyMatch(line -> line.startsWith("| 1024 ")), report);
    }
}
