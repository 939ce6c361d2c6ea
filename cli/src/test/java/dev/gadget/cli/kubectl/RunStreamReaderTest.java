package dev.gadget.cli.kubectl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.gadget.gadgets.model.CommonFields;
import dev.gadget.gadgets.model.FieldSpec;
import dev.gadget.gadgets.model.FieldType;
import dev.gadget.gadgets.model.RunMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A daemon's answer as the plugin reads it: HTTP framing, the NDJSON stream, rows into the plugin's layout. */
class RunStreamReaderTest {
    private static final List<FieldSpec> GADGET = fields();

    private static List<FieldSpec> fields() {
        List<FieldSpec> fields = new ArrayList<>(CommonFields.container());
        fields.add(FieldSpec.of("pid", FieldType.INT, "pid").shown());
        fields.add(FieldSpec.of("mountnsid", FieldType.UINT, "mntns"));
        fields.add(FieldSpec.of("args", FieldType.STRING_LIST, "argv").shown());
        return fields;
    }

    @Test
    void chunkedAndSizedBodiesAreReadToTheirEnd() throws Exception {
        DaemonHttp.Response chunked = DaemonHttp.read(stream("HTTP/1.1 200 OK\r\nTransfer-encoding: chunked\r\n"
                + "Gadget-Session: 0123\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\ntrailing bytes of nobody"));
        assertEquals(200, chunked.status());
        assertEquals("0123", chunked.header("gadget-session"));
        assertEquals("hello world", new String(chunked.bodyBytes(), StandardCharsets.UTF_8));
        DaemonHttp.Response sized = DaemonHttp.read(stream("HTTP/1.1 409 Conflict\r\nContent-Length: 4\r\n\r\n{}\r\nmore"));
        assertEquals(409, sized.status());
        assertEquals("{}\r\n", new String(sized.bodyBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void rowsLandInThePluginsLayoutByTheNamesTheNodeGave() throws Exception {
        ClusterFields layout = ClusterFields.of(GADGET);
        // The node's order differs from the description's, names a field this plugin does not know, and
        // sends a u64 above 2^63 as the number it is.
        RunStreamReader reader = new RunStreamReader(stream("""
                {"type":"started","fields":["args","future","pid","mountnsid","runtime.containerId","k8s.podName"]}

                {"type":"event","values":[["sh","-c","x y"],"?",42,18446744073709551615,"4f5e","web-1"]}
                {"type":"hologram","values":[1]}
                {"type":"lost","where":"KERNEL_RING","count":3,"total":5}
                {"type":"end","error":""}
                """));
        RunStreamReader.Message started = reader.next();
        RunMessage.Started fields = (RunMessage.Started) ((RunStreamReader.Status) started).message();
        reader.mapping(layout.mapping(fields.fields()));
        Object[] row = assertInstanceOf(RunStreamReader.Row.class, reader.next()).values();
        assertEquals(layout.fields().size(), row.length);
        assertEquals(List.of("sh", "-c", "x y"), row[layout.indexOf("args")]);
        assertEquals(42L, row[layout.indexOf("pid")]);
        assertEquals(-1L, row[layout.indexOf("mountnsid")], "2^64-1 held as a Long, read as unsigned");
        assertEquals("4f5e", row[layout.indexOf("runtime.containerId")]);
        assertEquals("web-1", row[layout.indexOf(ClusterFields.POD)], "the daemon's view stands until enriched");
        assertEquals(new RunMessage.Lost(RunMessage.Lost.Where.KERNEL_RING, 3, 5),
                ((RunStreamReader.Status) reader.next()).message(), "an unknown message type is skipped");
        assertEquals(RunMessage.End.NORMAL, ((RunStreamReader.Status) reader.next()).message());
        assertNull(reader.next());
    }

    @Test
    void theKubernetesFieldsTakeTheRuntimeContainerNamesPlaceAsDefaultColumns() {
        ClusterFields layout = ClusterFields.of(GADGET);
        assertArrayEquals(new String[] {"k8s.node", "k8s.namespace", "k8s.podName", "k8s.containerName", "pid", "args"},
                layout.fields().stream().filter(FieldSpec::visible).map(FieldSpec::name).toArray());
        assertEquals(List.of("runtime.runtimeName", "runtime.containerId", "runtime.containerName",
                "runtime.containerImageName", "k8s.node", "k8s.namespace", "k8s.podName", "k8s.containerName",
                "k8s.podLabels", "k8s.owner.kind", "k8s.owner.name", "pid", "mountnsid", "args"),
                layout.fields().stream().map(FieldSpec::name).toList());
    }

    private static ByteArrayInputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
