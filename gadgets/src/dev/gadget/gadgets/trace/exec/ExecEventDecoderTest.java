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
        MemorySegment record = new Record("ls\0-l\0\0ünï\0").filename("/usr/bin/ls").cwd("/home/me")
                .exepath("/usr/lib/ls").count(4).unreadable(1).build();
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
        assertEquals("/usr/bin/ls", event.string("filename"));
        assertEquals(List.of("ls", "-l", "", "ünï"), event.strings("args"));
        assertEquals(4, event.number("argsCount"));
        assertEquals("ls\0-l\0\0ünï\0".getBytes(StandardCharsets.UTF_8).length, event.number("argsSize"));
        assertEquals(1, event.number("argsUnreadable"));
        assertFalse(event.flag("argsTruncated"));
        assertEquals("/home/me", event.string("cwd"));
        assertEquals("/usr/lib/ls", event.string("exepath"));
    }

    @Test
    void aCutLastArgumentIsKeptAndTheTrueCountAndSizeReported() {
        MemorySegment record = new Record("cmd\0partia").count(3).size(300_000)
                .flags(ExecEventDecoder.ARGS_TRUNCATED).build();
        RowView event = decode(record, 0);

        assertEquals(List.of("cmd", "partia"), event.strings("args"));
        assertTrue(event.flag("argsTruncated"));
        assertEquals(3, event.number("argsCount"));
        assertEquals(300_000, event.number("argsSize"));
    }

    @Test
    void anArgumentSizeBeyondTwoGibibytesIsUnsigned() {
        MemorySegment record = new Record("a\0").size(0xffff_fffeL).build();
        assertEquals(0xffff_fffeL, decode(record, 0).number("argsSize"));
    }

    @Test
    void cutPathsAndACutFilenameAreFlagged() {
        MemorySegment record = new Record("x\0").filename("/very/long").cwd("/deep/dir").exepath("/bin/x")
                .flags(ExecEventDecoder.CWD_TRUNCATED | ExecEventDecoder.EXEPATH_TRUNCATED
                        | ExecEventDecoder.FILENAME_TRUNCATED).build();
        RowView event = decode(record, 0);

        assertEquals("/very/long", event.string("filename"));
        assertTrue(event.flag("filenameTruncated"));
        assertEquals("/deep/dir", event.string("cwd"));
        assertTrue(event.flag("cwdTruncated"));
        assertEquals("/bin/x", event.string("exepath"));
        assertTrue(event.flag("exepathTruncated"));
    }

    @Test
    void decodesAtAnOffsetInsideTheRing() {
        MemorySegment record = new Record("a\0").filename("/bin/a").build();
        MemorySegment ring = MemorySegment.ofArray(new byte[(int) record.byteSize() + 24]);
        ring.asSlice(24).copyFrom(record);

        RowView event = decode(ring, 24);
        assertEquals(List.of("a"), event.strings("args"));
        assertEquals("/bin/a", event.string("filename"));
    }

    @Test
    void aRecordWhoseSizesDisagreeIsRejected() {
        MemorySegment record = new Record("a\0").filename("/a").cwd("/").build();
        assertThrows(IllegalArgumentException.class,
                () -> ExecEventDecoder.decode(record, 0, (int) record.byteSize() - 1, CONTEXT, newRow()));
    }

    @Test
    void moreKeptArgumentBytesThanTheLimitOrThanTheTrueSizeAreRejected() {
        MemorySegment tooMany = new Record("a".repeat(ExecEventDecoder.ARGS_MAX) + "\0").build();
        assertThrows(IllegalArgumentException.class,
                () -> ExecEventDecoder.decode(tooMany, 0, (int) tooMany.byteSize(), CONTEXT, newRow()));
        MemorySegment moreThanTrue = new Record("abc\0").size(2).build();
        assertThrows(IllegalArgumentException.class,
                () -> ExecEventDecoder.decode(moreThanTrue, 0, (int) moreThanTrue.byteSize(), CONTEXT, newRow()));
    }

    private static Object[] newRow() {
        return new Object[TraceExec.DESCRIPTION.fields().size()];
    }

    /** The record at {@code offset}, which ends where {@code data} ends, as every field of trace exec. */
    private static RowView decode(MemorySegment data, long offset) {
        Object[] row = newRow();
        ExecEventDecoder.decode(data, offset, (int) (data.byteSize() - offset), CONTEXT, row);
        return new RowView(TraceExec.DESCRIPTION.fields(), Arrays.asList(row));
    }

    /** A record as the BPF side writes it; args are the kept bytes, the true size defaults to theirs. */
    private static final class Record {
        private final byte[] args;
        private String filename = "";
        private String cwd = "";
        private String exepath = "";
        private int count;
        private long size;
        private int unreadable;
        private int flags;

        Record(String args) {
            this.args = args.getBytes(StandardCharsets.UTF_8);
            this.size = this.args.length;
        }

        Record filename(String value) {
            filename = value;
            return this;
        }

        Record cwd(String value) {
            cwd = value;
            return this;
        }

        Record exepath(String value) {
            exepath = value;
            return this;
        }

        Record count(int value) {
            count = value;
            return this;
        }

        Record size(long value) {
            size = value;
            return this;
        }

        Record unreadable(int value) {
            unreadable = value;
            return this;
        }

        Record flags(int value) {
            flags = value;
            return this;
        }

        MemorySegment build() {
            byte[] f = filename.getBytes(StandardCharsets.UTF_8);
            byte[] c = cwd.getBytes(StandardCharsets.UTF_8);
            byte[] x = exepath.getBytes(StandardCharsets.UTF_8);
            MemorySegment r = MemorySegment.ofArray(new byte[ExecEventDecoder.ARGS + args.length + f.length
                    + c.length + x.length]);
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
            r.set(ValueLayout.JAVA_INT_UNALIGNED, ExecEventDecoder.ARGS_COUNT, count);
            r.set(ValueLayout.JAVA_INT_UNALIGNED, ExecEventDecoder.ARGS_SIZE, (int) size);
            r.set(ValueLayout.JAVA_INT_UNALIGNED, ExecEventDecoder.ARGS_KEPT, args.length);
            r.set(ValueLayout.JAVA_INT_UNALIGNED, ExecEventDecoder.ARGS_UNREADABLE, unreadable);
            r.set(ValueLayout.JAVA_INT_UNALIGNED, ExecEventDecoder.FLAGS, flags);
            r.set(ValueLayout.JAVA_SHORT_UNALIGNED, ExecEventDecoder.FILENAME_SIZE, (short) f.length);
            r.set(ValueLayout.JAVA_SHORT_UNALIGNED, ExecEventDecoder.CWD_SIZE, (short) c.length);
            r.set(ValueLayout.JAVA_SHORT_UNALIGNED, ExecEventDecoder.EXEPATH_SIZE, (short) x.length);
            MemorySegment.copy("bash".getBytes(StandardCharsets.US_ASCII), 0, r, ValueLayout.JAVA_BYTE,
                    ExecEventDecoder.PCOMM, 4);
            long at = ExecEventDecoder.ARGS;
            for (byte[] part : List.of(args, f, c, x)) {
                MemorySegment.copy(part, 0, r, ValueLayout.JAVA_BYTE, at, part.length);
                at += part.length;
            }
            return r;
        }
    }
}
