package dev.gadget.gadgets.trace.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gadget.gadgets.DecodeContext;
import dev.gadget.gadgets.containers.Container;
import dev.gadget.gadgets.containers.ContainerRuntime;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
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
        ExecEvent event = ExecEventDecoder.decode(record, 0, (int) record.byteSize(), CONTEXT);

        assertEquals(1_000_000_042L, event.header().timestamp());
        assertEquals(4026531840L, event.header().mountNsId());
        assertEquals(77, event.header().cgroupId());
        assertEquals(1234, event.header().pid());
        assertEquals(1235, event.header().tid());
        assertEquals(1, event.header().ppid());
        assertEquals(1000, event.header().uid());
        assertEquals(100, event.header().gid());
        assertEquals("ls", event.header().comm());
        assertEquals(Optional.of(WEB), event.header().container(), "named by the cgroup id the record carries");
        assertEquals(-13, event.ret());
        assertEquals("bash", event.pcomm());
        assertEquals(List.of("ls", "-l", "", "ünï"), event.args());
        assertFalse(event.argsTruncated());
        assertEquals("/home/me", event.cwd());
        assertEquals("/usr/bin/ls", event.exepath());
    }

    @Test
    void aCutLastArgumentIsKeptAndFlagged() {
        MemorySegment record = record("cmd\0partia", "", "", ExecEventDecoder.ARGS_TRUNCATED);
        ExecEvent event = ExecEventDecoder.decode(record, 0, (int) record.byteSize(), CONTEXT);

        assertEquals(List.of("cmd", "partia"), event.args());
        assertTrue(event.argsTruncated());
    }

    @Test
    void cutPathsStartWithAnEllipsis() {
        MemorySegment record = record("x\0", "/deep/dir", "/bin/x",
                ExecEventDecoder.CWD_TRUNCATED | ExecEventDecoder.EXEPATH_TRUNCATED);
        ExecEvent event = ExecEventDecoder.decode(record, 0, (int) record.byteSize(), CONTEXT);

        assertEquals("…/deep/dir", event.cwd());
        assertEquals("…/bin/x", event.exepath());
    }

    @Test
    void decodesAtAnOffsetInsideTheRing() {
        MemorySegment record = record("a\0", "", "", 0);
        MemorySegment ring = MemorySegment.ofArray(new byte[(int) record.byteSize() + 24]);
        ring.asSlice(24).copyFrom(record);

        assertEquals(List.of("a"), ExecEventDecoder.decode(ring, 24, (int) record.byteSize(), CONTEXT).args());
    }

    @Test
    void aRecordWhoseSizesDisagreeIsRejected() {
        MemorySegment record = record("a\0", "/", "", 0);
        assertThrows(IllegalArgumentException.class,
                () -> ExecEventDecoder.decode(record, 0, (int) record.byteSize() - 1, CONTEXT));
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
