package dev.gadget.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    @Test
    void traceOpenShowsAShellsRedirectionInJsonAndColumns() throws Exception {
        Path file = dir.resolve("gt-open-" + System.nanoTime());
        GadgetProcess json = GadgetProcess.start(List.of("trace", "open", "-o", "json"));
        String line = json.awaitLine(l -> l.contains(file.toString()), () -> shell(": > " + file));
        json.signal("INT");

        assertEquals(0, json.waitForExit());
        assertEquals("", json.stderr());
        JsonNode event = JSON.readTree(line);
        assertEquals(file.toString(), event.get("path").asText());
        assertEquals("sh", event.get("comm").asText());
        assertEquals("O_WRONLY|O_CREAT|O_TRUNC", event.get("flags").asText());
        assertEquals(01 | 0100 | 01000, event.get("flagsRaw").asInt());
        assertEquals("0666", event.get("mode").asText());
        assertTrue(event.get("ret").asInt() >= 0, line);
        assertEquals(event.get("ret").asInt(), event.get("fd").asInt());
        assertEquals(0, event.get("err").asInt());
        assertFalse(event.get("pathTruncated").asBoolean());

        Path missing = dir.resolve("gt-missing-" + System.nanoTime());
        GadgetProcess columns = GadgetProcess.start(List.of("trace", "open"));
        String row = columns.awaitLine(l -> l.endsWith(" " + missing), () -> shell("cat " + missing + " 2>/dev/null; true"));
        columns.signal("INT");

        assertEquals(0, columns.waitForExit());
        assertTrue(columns.stdoutLines().getFirst().matches("RUNTIME.CONTAINERNAME +PID +TID COMM +RET +FLAGS +MODE +PATH"),
                columns.stdoutLines().getFirst());
        assertTrue(row.matches(" +\\d+ +\\d+ cat +ENOENT +O_RDONLY +" + missing), row);
    }

    @Test
    void snapshotProcessPrintsOneTableAndEnds() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "600").start();
        try {
            GadgetProcess json = GadgetProcess.start(List.of("snapshot", "process", "-o", "json"));
            assertEquals(0, json.waitForExit());
            assertEquals("", json.stderr());
            assertEquals(1, json.stdoutLines().size(), "one table, one line");
            JsonNode table = JSON.readTree(json.stdoutLines().getFirst());
            assertTrue(table.isArray());
            JsonNode row = null;
            for (JsonNode each : table) {
                if (each.get("pid").asLong() == sleeper.pid()) {
                    row = each;
                }
            }
            assertTrue(row != null, "the sleeper is listed");
            assertEquals("sleep", row.get("comm").asText());
            assertEquals(ProcessHandle.current().pid(), row.get("ppid").asLong());
            assertEquals("", row.at("/runtime/containerName").asText());

            GadgetProcess columns = GadgetProcess.start(List.of("snapshot", "process", "--threads"));
            assertEquals(0, columns.waitForExit());
            assertEquals("RUNTIME.CONTAINERNAME COMM                 PID     TID    PPID    UID    GID STATE",
                    columns.stdoutLines().getFirst());
            String pid = String.valueOf(sleeper.pid());
            assertTrue(columns.stdoutLines().stream().anyMatch(l -> l.matches(" +sleep +" + pid + " +" + pid + " +\\d+ +0 +0 S")),
                    "the sleeper's row");
        } finally {
            sleeper.destroy();
            sleeper.waitFor();
        }
    }

    @Test
    void snapshotProcessInAPidNamespaceOfItsOwnStillListsTheHostsProcesses() throws Exception {
        // As in a pod without hostPID: a task iterator would list only the namespace's own processes.
        Process sleeper = new ProcessBuilder("sleep", "600").start();
        try {
            GadgetProcess gadget = GadgetProcess.script("exec unshare --pid --fork --mount-proc \"$GADGET\" snapshot"
                    + " process -o columns=pid,comm");
            assertEquals(0, gadget.waitForExit(), gadget.stderr());
            String pid = String.valueOf(sleeper.pid());
            assertTrue(gadget.stdoutLines().stream().anyMatch(l -> l.matches(" *" + pid + " sleep")),
                    "the host's sleeper, by its host pid: " + gadget.stdoutLines().size() + " rows");
        } finally {
            sleeper.destroy();
            sleeper.waitFor();
        }
    }

    @Test
    void topFilePrintsOneJsonArrayPerInterval() throws Exception {
        Path file = dir.resolve("gt-top-" + System.nanoTime());
        GadgetProcess top = GadgetProcess.start(List.of("top", "file", "-o", "json", "--interval", "200ms", "-m", "100000"));
        top.awaitLine(l -> true, () -> {
        }); // the first table: counting has begun
        shell("echo hello > " + file);
        String line = top.awaitLine(l -> l.contains(file.toString()), () -> {
        });
        int tables = top.stdoutLines().size();
        top.awaitLine(l -> top.stdoutLines().size() > tables, () -> {
        });
        top.signal("INT");

        assertEquals(0, top.waitForExit());
        assertEquals("", top.stderr());
        assertTrue(top.stdoutLines().size() >= 2, "a table per interval");
        for (String each : top.stdoutLines()) {
            assertTrue(JSON.readTree(each).isArray(), each);
        }
        JsonNode row = null;
        for (JsonNode each : JSON.readTree(line)) {
            if (each.get("filename").asText().equals(file.toString())) {
                row = each;
            }
        }
        assertTrue(row != null, line);
        assertEquals("sh", row.get("comm").asText());
        assertEquals(1, row.get("writes").asInt());
        assertEquals("hello\n".length(), row.get("wbytes").asInt());
        assertEquals(0, row.get("reads").asInt());
        assertEquals("R", row.get("fileType").asText());
    }

    private void shell(String script) {
        try {
            Programs.run(dir, List.of("sh", "-c", script));
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
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
