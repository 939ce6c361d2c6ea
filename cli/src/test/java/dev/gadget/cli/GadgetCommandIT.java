package dev.gadget.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gadget.bpf.RequiresBpf;
import dev.gadget.gadgets.testing.Programs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The packaged command run through the ./gadget launcher, as a user runs it on a host. */
@ExtendWith(RequiresBpf.class)
class GadgetCommandIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void jsonOutputCarriesTheExecAndCtrlCEndsTheTraceWithStatusZero() throws Exception {
        Path program = Programs.uniqueTrue(dir);
        GadgetProcess gadget = GadgetProcess.start(List.of("trace", "exec", "-o", "json"));
        String line = gadget.awaitLine(l -> l.contains(program.toString()), () -> exec(program, "with arg", "ü"));
        gadget.signal("INT");

        assertEquals(0, gadget.waitForExit());
        assertEquals("", gadget.stderr());
        JsonNode event = JSON.readTree(line);
        assertEquals(List.of(program.toString(), "with arg", "ü"), JSON.convertValue(event.get("args"), List.class));
        assertEquals(program.getFileName().toString(), event.get("comm").asText());
        assertEquals(0, event.get("ret").asInt());
        assertTrue(event.get("pid").asInt() > 0);
        assertTrue(event.get("timestamp").asLong() > 0);
        for (String each : gadget.stdoutLines()) {
            assertTrue(JSON.readTree(each).isObject(), each);
        }
    }

    @Test
    void columnsShowTheExecUnderTheirHeaders() throws Exception {
        Path program = Programs.uniqueTrue(dir);
        GadgetProcess gadget = GadgetProcess.start(List.of("trace", "exec"));
        String row = gadget.awaitLine(l -> l.contains(program.toString()), () -> exec(program, "a b"));
        gadget.signal("TERM");

        assertEquals(0, gadget.waitForExit());
        assertTrue(gadget.stdoutLines().getFirst().matches("RUNTIME.CONTAINERNAME +PID +PPID COMM +PCOMM +RET +ARGS"),
                gadget.stdoutLines().getFirst());
        assertTrue(row.endsWith(" 0            " + program + " 'a b'"), row);
    }

    @Test
    void timeoutEndsTheTraceWithStatusZero() throws Exception {
        GadgetProcess gadget = GadgetProcess.start(List.of("trace", "exec", "--timeout", "1", "-o", "columns=pid,comm"));

        assertEquals(0, gadget.waitForExit());
        assertEquals("    PID COMM", gadget.stdoutLines().getFirst());
    }

    @Test
    void withoutRootItFailsWithOneLineSayingSo() throws Exception {
        GadgetProcess gadget = GadgetProcess.start(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--",
                GadgetProcess.LAUNCHER, "trace", "exec"), true);

        assertEquals(1, gadget.waitForExit());
        assertEquals(1, gadget.stderr().lines().count(), gadget.stderr());
        assertTrue(gadget.stderr().matches("Error: loading \\w+: EPERM — run as root: .*\n"), gadget.stderr());
    }

    private void exec(Path program, String... args) {
        List<String> command = new ArrayList<>(List.of(program.toString()));
        command.addAll(List.of(args));
        try {
            Programs.run(dir, command);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
