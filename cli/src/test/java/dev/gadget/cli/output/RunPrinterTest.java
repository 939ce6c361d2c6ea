package dev.gadget.cli.output;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gadget.gadgets.catalog.Catalog;
import dev.gadget.gadgets.model.FieldSpec;
import dev.gadget.gadgets.model.GadgetDescription;
import dev.gadget.gadgets.model.GadgetKind;
import dev.gadget.gadgets.model.Text;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The output formats over trace exec's real fields, and tables. */
class RunPrinterTest {
    private static final GadgetDescription EXEC = Catalog.find("trace", "exec").orElseThrow().description();
    private static final List<FieldSpec> FIELDS = EXEC.fieldsFor(EXEC.parseParams(Map.of()));
    private static final Map<String, Object> WEB = Map.of("runtime.runtimeName", "containerd",
            "runtime.containerId", "c0ffee", "runtime.containerName", "web", "runtime.containerImageName", "nginx:1",
            "k8s.namespace", "shop", "k8s.podName", "web-7d4b9", "k8s.containerName", "web");
    private static final List<Object> LS = exec(4242, "ls", 0, List.of("ls", "-l", "my dir"), WEB);
    private static final List<Object> MISSING = exec(7, "bash", -2, List.of("/nope", "a\nb"), Map.of());

    private final StringWriter text = new StringWriter();

    @Test
    void columnsHaveUpperCaseHeadersAndAlignedRows() {
        print(new OutputFormat.Columns(List.of()), LS, MISSING);

        assertEquals("""
                RUNTIME.CONTAINERNAME     PID    PPID COMM             PCOMM            RET          ARGS
                web                      4242       1 ls               bash             0            ls -l 'my dir'
                                            7       1 bash             bash             ENOENT       /nope $'a\\nb'
                """, text.toString());
    }

    @Test
    void theLongestCommonErrnoNamesFitTheirColumn() {
        print(new OutputFormat.Columns(List.of("ret", "comm")), exec(1, "x", -36, List.of("x"), Map.of()));

        assertEquals("RET          COMM\nENAMETOOLONG x\n", text.toString());
    }

    @Test
    void chosenColumnsInTheirOrderCaseInsensitiveWithTheLastOneNeverCut() {
        List<Object> longArgs = exec(1, "x", 0, List.of("x".repeat(300)), Map.of());
        print(new OutputFormat.Columns(List.of("COMM", "args", "pid")), longArgs);

        String[] lines = text.toString().split("\n");
        assertEquals("COMM             ARGS                     PID", lines[0]);
        assertEquals("x                " + "x".repeat(300) + " 1", lines[1], "a wide value pushes its row");
    }

    @Test
    void aCutValueIsMarkedInColumns() {
        List<Object> cut = with(exec(1, "x", 0, List.of("cat", "part"), Map.of()), "argsTruncated", true);
        print(new OutputFormat.Columns(List.of("args")), cut);

        assertEquals("ARGS\ncat part …[truncated]\n", text.toString());
    }

    @Test
    void bytesThatAreNotUtf8AreShownAsEscapesAndKeptExactlyInJson() throws Exception {
        String raw = Text.decode(new byte[] {'a', (byte) 0xff, (byte) 0xfe, 'b'});
        List<Object> odd = exec(1, raw, 0, List.of("/bin/echo", raw), Map.of());
        print(new OutputFormat.Columns(List.of("comm", "args")), odd);
        print(new OutputFormat.Json(), odd);

        List<String> lines = text.toString().lines().toList();
        assertEquals("a\\xff\\xfeb       /bin/echo $'a\\xff\\xfeb'", lines.get(1));
        assertTrue(lines.get(2).contains("\"comm\":\"a\\udcff\\udcfeb\""), lines.get(2));
        JsonNode json = new ObjectMapper().readTree(lines.get(2));
        assertArrayEquals(new byte[] {'a', (byte) 0xff, (byte) 0xfe, 'b'}, Text.encode(json.get("args").get(1).asText()),
                "the very bytes, back");
        text.getBuffer().setLength(0);
        print(new OutputFormat.Yaml(), odd);
        assertTrue(text.toString().contains("\ncomm: \"a\\udcff\\udcfeb\"\n"), text.toString());
    }

    @Test
    void unknownColumnNamesTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunPrinter.of(new OutputFormat.Columns(List.of("pid", "podname")), GadgetKind.TRACE, FIELDS,
                        new PrintWriter(text), false));
        assertEquals("unknown column 'podname': pick from runtime.runtimeName,runtime.containerId,"
                + "runtime.containerName,runtime.containerImageName,k8s.namespace,k8s.podName,k8s.containerName,"
                + "timestamp,mountnsid,cgroupid,pid,tid,ppid,uid,gid,comm,pcomm,ret,filename,filenameTruncated,args,"
                + "argsCount,argsSize,argsUnreadable,argsTruncated", e.getMessage());
    }

    @Test
    void jsonIsOneObjectPerLineWithInspektorGadgetNames() throws Exception {
        print(new OutputFormat.Json(), LS, MISSING);

        List<String> lines = text.toString().lines().toList();
        assertEquals(2, lines.size());
        JsonNode ls = new ObjectMapper().readTree(lines.get(0));
        assertEquals(4242, ls.get("pid").asInt());
        assertEquals("ls", ls.get("comm").asText());
        assertEquals("bash", ls.get("pcomm").asText());
        assertEquals(0, ls.get("ret").asInt());
        assertEquals(4026531840L, ls.get("mountnsid").asLong());
        assertEquals(1_700_000_000_123_456_789L, ls.get("timestamp").asLong());
        assertEquals(List.of("ls", "-l", "my dir"), new ObjectMapper().convertValue(ls.get("args"), List.class));
        assertEquals("containerd", ls.at("/runtime/runtimeName").asText());
        assertEquals("c0ffee", ls.at("/runtime/containerId").asText());
        assertEquals("web", ls.at("/runtime/containerName").asText());
        assertEquals("nginx:1", ls.at("/runtime/containerImageName").asText());
        assertEquals("shop", ls.at("/k8s/namespace").asText());
        assertEquals("web-7d4b9", ls.at("/k8s/podName").asText());
        assertEquals("web", ls.at("/k8s/containerName").asText());
        JsonNode missing = new ObjectMapper().readTree(lines.get(1));
        assertEquals(-2, missing.get("ret").asInt());
        assertEquals("", missing.at("/runtime/containerName").asText(), "host processes keep the shape, empty");
    }

    @Test
    void jsonPrettyParsesBackToTheSameObjects() throws Exception {
        print(new OutputFormat.Json(), LS, MISSING);
        List<String> compact = text.toString().lines().toList();
        text.getBuffer().setLength(0);
        print(new OutputFormat.JsonPretty(), LS, MISSING);

        assertTrue(text.toString().contains("\n  \"pid\" : 4242,\n"), text.toString());
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> pretty = new ArrayList<>();
        json.readerFor(JsonNode.class).readValues(text.toString()).forEachRemaining(n -> pretty.add((JsonNode) n));
        assertEquals(List.of(json.readTree(compact.get(0)), json.readTree(compact.get(1))), pretty);
    }

    @Test
    void yamlIsOneDocumentPerEvent() {
        print(new OutputFormat.Yaml(), MISSING);

        assertTrue(text.toString().startsWith("---\nruntime:\n  runtimeName: \"\"\n"), text.toString());
        assertTrue(text.toString().contains("\nk8s:\n  namespace: \"\"\n"), text.toString());
        assertTrue(text.toString().contains("\ntimestamp: 1700000000123456789\n"), text.toString());
        assertTrue(text.toString().contains("\ncomm: \"bash\"\n"), text.toString());
        assertTrue(text.toString().contains("\nret: -2\n"), text.toString());
        assertTrue(text.toString().contains("\nargs:\n- \"/nope\"\n- \"a\\nb\"\n"), text.toString());
    }

    @Test
    void aTableIsPrintedWholeInEveryFormat() throws Exception {
        List<List<Object>> rows = List.of(LS, MISSING);
        RunPrinter columns = RunPrinter.of(new OutputFormat.Columns(List.of("pid", "comm")), GadgetKind.SNAPSHOT,
                FIELDS, new PrintWriter(text, true), false);
        columns.table(rows);
        assertEquals("    PID COMM\n   4242 ls\n      7 bash\n", text.toString());

        text.getBuffer().setLength(0);
        RunPrinter.of(new OutputFormat.Json(), GadgetKind.SNAPSHOT, FIELDS, new PrintWriter(text, true), false).table(rows);
        JsonNode array = new ObjectMapper().readTree(text.toString());
        assertEquals(2, array.size());
        assertEquals(7, array.get(1).get("pid").asInt());
        assertEquals(1, text.toString().lines().count(), "one line per table");

        text.getBuffer().setLength(0);
        RunPrinter.of(new OutputFormat.Yaml(), GadgetKind.SNAPSHOT, FIELDS, new PrintWriter(text, true), false).table(rows);
        assertTrue(text.toString().startsWith("---\n- runtime:\n    runtimeName: \"containerd\"\n"), text.toString());
        assertTrue(text.toString().contains("\n- runtime:\n    runtimeName: \"\"\n"), text.toString());
    }

    @Test
    void topTablesRedrawTheScreenOnATerminalAndFollowEachOtherInAPipe() {
        RunPrinter terminal = RunPrinter.of(new OutputFormat.Columns(List.of("pid")), GadgetKind.TOP, FIELDS,
                new PrintWriter(text, true), true);
        terminal.table(List.of(LS));
        terminal.table(List.of(MISSING));
        assertEquals("\033[H\033[2JPID\n4242\n\033[H\033[2JPID\n7\n", text.toString());

        text.getBuffer().setLength(0);
        RunPrinter pipe = RunPrinter.of(new OutputFormat.Columns(List.of("pid")), GadgetKind.TOP, FIELDS,
                new PrintWriter(text, true), false);
        pipe.table(List.of(LS));
        pipe.table(List.of(MISSING));
        assertEquals("PID\n4242\n\nPID\n7\n", text.toString());
    }

    @SafeVarargs
    private void print(OutputFormat format, List<Object>... events) {
        PrintWriter out = new PrintWriter(text);
        RunPrinter printer = RunPrinter.of(format, GadgetKind.TRACE, FIELDS, out, false);
        printer.start();
        for (List<Object> event : events) {
            printer.event(event);
        }
        out.flush();
    }

    private static List<Object> exec(long pid, String comm, long ret, List<String> args, Map<String, Object> container) {
        Map<String, Object> values = new HashMap<>(container);
        values.put("timestamp", 1_700_000_000_123_456_789L);
        values.put("mountnsid", 4026531840L);
        values.put("cgroupid", 1L);
        values.put("pid", pid);
        values.put("tid", pid);
        values.put("ppid", 1L);
        values.put("uid", 0L);
        values.put("gid", 0L);
        values.put("comm", comm);
        values.put("pcomm", "bash");
        values.put("ret", ret);
        values.put("args", args);
        values.put("argsTruncated", false);
        values.put("filenameTruncated", false);
        values.put("argsCount", (long) args.size());
        values.put("argsSize", 0L);
        values.put("argsUnreadable", 0L);
        List<Object> row = new ArrayList<>();
        for (FieldSpec field : FIELDS) {
            row.add(values.getOrDefault(field.name(), ""));
        }
        return row;
    }

    private static List<Object> with(List<Object> row, String field, Object value) {
        List<Object> changed = new ArrayList<>(row);
        changed.set(FIELDS.stream().map(FieldSpec::name).toList().indexOf(field), value);
        return changed;
    }
}
