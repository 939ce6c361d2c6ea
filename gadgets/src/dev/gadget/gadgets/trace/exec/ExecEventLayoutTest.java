package dev.gadget.gadgets.trace.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gadget.bpf.BpfObject;
import dev.gadget.bpf.StructLayout;
import dev.gadget.gadgets.runner.EventHeader;
import org.junit.jupiter.api.Test;

/** The Java decoder's offsets are those clang gave struct exec_event (read from the object's BTF). */
class ExecEventLayoutTest {

    @Test
    void decoderMatchesTheCompiledStruct() {
        try (BpfObject object = BpfObject.open(TraceExec.class, "trace_exec.bpf.o")) {
            StructLayout exec = object.structLayout("exec_event");
            assertEquals(0, exec.offset("hdr"));
            assertEquals(ExecEventDecoder.RET, exec.offset("ret"));
            assertEquals(ExecEventDecoder.ARGS_SIZE, exec.offset("args_size"));
            assertEquals(ExecEventDecoder.CWD_SIZE, exec.offset("cwd_size"));
            assertEquals(ExecEventDecoder.EXEPATH_SIZE, exec.offset("exepath_size"));
            assertEquals(ExecEventDecoder.FLAGS, exec.offset("flags"));
            assertEquals(ExecEventDecoder.PCOMM, exec.offset("pcomm"));
            assertEquals(ExecEventDecoder.ARGS, exec.offset("args"));
            assertEquals(ExecEventDecoder.ARGS + ExecEventDecoder.ARGS_MAX, exec.size());

            StructLayout header = object.structLayout("gadget_header");
            assertEquals(EventHeader.SIZE, header.size());
            assertEquals(24, header.offset("pid"));
            assertEquals(40, header.offset("gid"));
            assertEquals(48, header.offset("comm"));
        }
    }
}
