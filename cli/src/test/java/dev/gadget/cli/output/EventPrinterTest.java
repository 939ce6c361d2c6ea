package dev.gadget.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.gadget.gadgets.EventHeader;
import dev.gadget.gadgets.EventJsonWriter;
import dev.gadget.gadgets.ParamValues;
import dev.gadget.gadgets.containers.Container;
import dev.gadget.gadgets.containers.ContainerRuntime;
import dev.gadget.gadgets.trace.exec.ExecEvent;
import dev.gadget.gadgets.trace.exec.TraceExec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The output formats over trace exec's real fields. */
class EventPrinterTest {
    private static final TraceExec EXEC = new TraceExec();
    private static final Container WEB = new Container(ContainerRuntime.CONTAINERD, "c0ffee", "web", "nginx:1",
            "web-7d4b9", "shop", "6a4c5b0e-3f1d-4c2a-9e8b-7d6c5b4a3f2e");
    private static final ExecEvent LS = event(4242, "ls", 0, List.of("ls", "-l", "my dir"), Optional.of(WEB));
    private static final ExecEvent MISSING = event(7, "bash", -2, List.of("/nope", "a\nb"), Optional.empty());

    private final StringWriter text = new StringWriter();

    @Test
    void columnsHaveUpperCaseHeadersAndAlignedRows() {
        print(new OutputFormat.Columns(List.of()), LS, MISSING);

        assertEquals("""
                RUNTIME.CONTAINERNAME     PID    PPID COMM             PCOMM            RET     ARGS
                web                      4242       1 ls               bash             0       ls -l 'my dir'
                                            7       1 bash             bash             ENOENT  /nope $'a\\nb'
                """, text.toString());
    }

    @Test
    void chosenColumnsInTheirOrderCaseInsensitiveWithTheLastOneNeverCut() {
        ExecEvent longArgs = event(1, "x", 0, List.of("x".repeat(300)), Optional.empty());
        print(new OutputFormat.Columns(List.of("COMM", "args", "pid")), longArgs);

        String[] lines = text.toString().split("\n");
        assertEquals("COMM             ARGS                     PID", lines[0]);
        assertEquals("x                " + "x".repeat(300) + " 1", lines[1], "a wide value pushes its row");
    }

    @Test
    void unknownColumnNamesTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EventPrinter.of(new OutputFormat.Columns(List.of("pid", "podname")),
                        EXEC.fields(ParamValues.NONE), EXEC.defaultColumns(ParamValues.NONE), new PrintWriter(text)));
        assertEquals("unknown column 'podname': pick from runtime.runtimeName,runtime.containerId,"
                + "runtime.containerName,runtime.containerImageName,k8s.namespace,k8s.podName,k8s.containerName,"
                + "timestamp,mountnsid,cgroupid,pid,tid,ppid,uid,gid,comm,pcomm,ret,args,argsTruncated", e.getMessage());
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
        assertEquals(List.of("ls", "-l", "my dir"),
                new ObjectMapper().convertValue(ls.get("args"), List.class));
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
    void jsonLinesAreExactlyTheEventsTrees() {
        print(new OutputFormat.Json(), LS, MISSING, LS);

        List<String> expected = Stream.of(LS, MISSING, LS)
                .map(e -> new EventJsonWriter<>(EXEC.fields(ParamValues.NONE)).toTree(e).toString()).toList();
        assertEquals(String.join("\n", expected) + "\n", text.toString());
    }

    @Test
    void jsonPrettyIsJacksonsDefaultPrettyPrintingOfTheTrees() throws Exception {
        print(new OutputFormat.JsonPretty(), LS, MISSING);

        ObjectWriter pretty = new ObjectMapper().writerWithDefaultPrettyPrinter();
        EventJsonWriter<ExecEvent> json = new EventJsonWriter<>(EXEC.fields(ParamValues.NONE));
        assertEquals(pretty.writeValueAsString(json.toTree(LS)) + "\n" + pretty.writeValueAsString(json.toTree(MISSING)) + "\n",
                text.toString());
    }

    @Test
    void jsonPrettyParsesBackToTheSameObjects() throws Exception {
        print(new OutputFormat.JsonPretty(), LS);

        assertTrue(text.toString().contains("\n  \"pid\" : 4242,\n"), text.toString());
        assertEquals(4242, new ObjectMapper().readTree(text.toString()).get("pid").asInt());
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

    private void print(OutputFormat format, ExecEvent... events) {
        PrintWriter out = new PrintWriter(text);
        EventPrinter<ExecEvent> printer = EventPrinter.of(format, EXEC.fields(ParamValues.NONE),
                EXEC.defaultColumns(ParamValues.NONE), out);
        printer.start();
        for (ExecEvent event : events) {
            printer.print(event);
        }
        out.flush();
    }

    private static ExecEvent event(int pid, String comm, int ret, List<String> args, Optional<Container> container) {
        return new ExecEvent(new EventHeader(1_700_000_000_123_456_789L, 4026531840L, 1, pid, pid, 1, 0, 0, comm,
                container), ret, "bash", args, false, "", "");
    }
}
