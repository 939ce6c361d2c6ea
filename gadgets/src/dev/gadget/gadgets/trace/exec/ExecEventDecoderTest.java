package dev.gadget.gadgets.trace.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gadget.gadgets.containers.Container;
import dev.gadget.gadgets.containers.ContainerRuntime;
import dev.gadget.gadgets.model.RowView;
import dev.gadget.gadgets.runner.DecodeContext;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Decoding records built byte by byte as trace_exec.bpf.c lays them out. */
class ExecEventDecoderTest {
    private static final Container WEB = new Container(ContainerRuntime.CONTAINERD, "c0ffee", "web", "nginx:1",
            "web-7d4b9", "shop", "6a4c5b0e-3f1d-4c2a-9e8b-7d6c5b4a3f2e");
    private static final DecodeContext CONTEXT = new DecodeContext(1_000_000_000L,
            cgroupId -> cgroupId == 77 ? Optional.of(WEB) : Optional.empty());

    @Test
    void decodesHeaderFieldsArgsAndPaths() {
        MemorySegment record = record("ls\0-l\0\0ünï\0", "/home/me", "/usr/bin/ls", 0);
        RowView event = decode(record, 0);

        assertEquals(1_000_000_042L, event.number("timestamp"));
        assertEquals(4026531840L, event.number("mountnsid"));
        assertEquals(77, event.number("cgroupid"));
        assertEquals(1234, event.number("pid"));
        assertEquals(1235, event.number("tid"));
        assertEquals(1, event.number("ppid"));
        assertEquals(1000, event.number("uid"));
        assertEquals(100, event.number("gid"));
        assertEquals("ls", event.string("comm"));
        assertEquals("containerd", event.string("runtime.runtimeName"), "named by the cgroup id the record carries");
        assertEquals("c0ffee", event.string("runtime.containerId"));
        assertEquals("web", event.string("runtime.containerName"));
        assertEquals("nginx:1", event.string("runtime.containerImageName"));
        assertEquals("shop", event.string("k8s.namespace"));
        assertEquals("web-7d4b9", event.string("k8s.podName"));
        assertEquals("web", event.string("k8s.containerName"));
        assertEquals(-13, event.number("ret"));
        assertEquals("bash", event.string("pcomm"));
        assertEquals(List.of("ls", "-l", "", "ünï"), event.strings("args"));
        assertFalse(event.flag("argsTruncated"));
        assertEquals("/home/me", event.string("cwd"));
        assertFalse(event.flag("cwdTruncated"));
        assertEquals("/usr/bin/ls", event.string("exepath"));
    }

    @Test
    void aCutLastArgumentIsKeptAndFlagged() {
        MemorySegment record = record("cmd\0partia", "", "", ExecEventDecoder.ARGS_TRUNCATED);
        RowView event = decode(record, 0);

        assertEquals(List.of("cmd", "partia"), event.strings("args"));
        assertTrue(event.flag("argsTruncated"));
    }

    @Test
    void cutPathsAreFlagged() {
        MemorySegment record = record("x\0", "/deep/dir", "/bin/x",
                ExecEventDecoder.CWD_TRUNCATED | ExecEventDecoder.EXEPATH_TRUNCATED);
        RowView event = decode(record, 0);

        assertEquals("/deep/dir", event.string("cwd"));
        assertTrue(event.flag("cwdTruncated"));
        assertEquals("/bin/x", event.string("exepath"));
        assertTrue(event.flag("exepathTruncated"));
    }

    @Test
    void decodesAtAnOffsetInsideTheRing() {
        MemorySegment record = record("a\0", "", "", 0);
        MemorySegment ring = MemorySegment.ofArray(new byte[(int) record.byteSize() + 24]);
        ring.asSlice(24).copyFrom(record);

        assertEquals(List.of("a"), decode(ring, 24).strings("args"));
    }

    @Test
    void aRecordWhoseSizesDisagreeIsRejected() {
        MemorySegment record = record("a\0", "/", "", 0);
        assertThrows(IllegalArgumentException.class, () -> ExecEventDecoder.decode(record, 0,
                (int) record.byteSize() - 1, CONTEXT, new Object[TraceExec.DESCRIPTION.fields().size()]));
    }

    /** The record at {@code offset}, which ends where {@code data} ends, as every field of trace exec. */
    private static RowView decode(MemorySegment data, long offset) {
        Object[] row = new Object[TraceExec.DESCRIPTION.fields().size()];
        ExecEventDecoder.decode(data, offset, (int) (data.byteSize() - offset), CONTEXT, row);
        return new RowView(TraceExec.DESCRIPTION.fields(), Arrays.asList(row));
    }

    private static MemorySegment record(String args, String cwd, String exepath, int flags) {
        byte[] a = args.getBytes(StandardCharsets.UTF_8);
        byte[] c = cwd.getBytes(StandardCharsets.UTF_8);
        byte[] x = exepath.getBytes(StandardCharsets.UTF_8);
        MemorySegment r = MemorySegment.ofArray(new byte[ExecEventDecoder.ARGS + a.length + c.length + x.length]);
        r.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, 42);
        r.set(ValueLayout.JAVA_LONG_UNALIGNED, 8, 4026531840L);
        r.set(ValueLayout.JAVA_LONG_UNALIGNED, 16, 77);
        r.set(ValueLayout.JAVA_INT_UNALIGNED, 24, 1234);
        r.set(ValueLayout.JAVA_INT_UNALIGNED, 28, 1235);
        r.set(ValueLayout.JAVA_INT_UNALIGNED, 32, 1);
        r.set(ValueLayout.JAVA_INT_UNALIGNED, 36, 1000);
        r.set(ValueLayout.JAVA_INT_UNALIGNED, 40, 100);
        MemorySegment.copy("ls".getBytes(StandardCharsets.US_ASCII), 0, r, ValueLayout.JAVA_BYTE, 48, 2);
        r.set(ValueLayout.JAVA_INT_UNALIGNED, ExecEventDecoder.RET, -13);
        r.set(ValueLayout.JAVA_INT_UNALIGNED, ExecEventDecoder.ARGS_SIZE, a.length);
        r.set(ValueLayout.JAVA_SHORT_UNALIGNED, ExecEventDecoder.CWD_SIZE, (short) c.length);
        r.set(ValueLayout.JAVA_SHORT_UNALIGNED, ExecEventDecoder.EXEPATH_SIZE, (short) x.length);
        r.set(ValueLayout.JAVA_INT_UNALIGNED, ExecEventDecoder.FLAGS, flags);
        MemorySegment.copy("bash".getBytes(StandardCharsets.US_ASCII), 0, r, ValueLayout.JAVA_BYTE,
                ExecEventDecoder.PCOMM, 4);
        MemorySegment.copy(a, 0, r, ValueLayout.JAVA_BYTE, ExecEventDecoder.ARGS, a.length);
        MemorySegment.copy(c, 0, r, ValueLayout.JAVA_BYTE, ExecEventDecoder.ARGS + a.length, c.length);
        MemorySegment.copy(x, 0, r, ValueLayout.JAVA_BYTE, ExecEventDecoder.ARGS + a.length + c.length, x.length);
        return r;
    }
}
