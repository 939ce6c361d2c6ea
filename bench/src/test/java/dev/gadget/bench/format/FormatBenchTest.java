package dev.gadget.bench.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gadget.bpf.RequiresBpf;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A tiny run of the formatting benchmark, on exec events it records from the kernel. No timing asserted. */
@ExtendWith(RequiresBpf.class)
class FormatBenchTest {
    @Test
    void printsRecordedExecEventsInEveryFormat() {
        FormatBench.Result result = FormatBench.run(new FormatBench.Settings(1, Duration.ofMillis(100)),
                new PrintStream(OutputStream.nullOutputStream()));

        assertEquals(List.of("columns", "json"), List.copyOf(result.rates().keySet()));
        result.rates().values().forEach(rates -> assertTrue(rates.getFirst() > 0, rates.toString()));
        assertTrue(FormatBench.markdown(result).contains("| -o json "), FormatBench.markdown(result));
    }
}
