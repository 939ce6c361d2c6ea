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
            assertEquals(ExecEventDecoder.ARGS_COUNT, exec.offset("args_count"));
            assertEquals(ExecEventDecoder.ARGS_SIZE, exec.offset("args_size"));
            assertEquals(ExecEventDecoder.ARGS_KEPT, exec.offset("args_kept"));
            assertEquals(ExecEventDecoder.ARGS_UNREADABLE, exec.offset("args_unreadable"));
            assertEquals(ExecEventDecoder.FLAGS, exec.offset("flags"));
            assertEquals(ExecEventDecoder.FILENAME_SIZE, exec.offset("filename_size"));
            assertEquals(ExecEventDecoder.CWD_SIZE, exec.offset("cwd_size"));
            assertEquals(ExecEventDecoder.EXEPATH_SIZE, exec.offset("exepath_size"));
            assertEquals(ExecEventDecoder.PCOMM, exec.offset("pcomm"));
            assertEquals(ExecEventDecoder.ARGS, exec.offset("args"));
            assertEquals(ExecEventDecoder.ARGS, exec.size(), "args[] is the flexible tail of the record");
            StructLayout scratch = object.structLayout("exec_scratch");
            assertEquals(ExecEventDecoder.ARGS_MAX + 4096, scratch.offset("filename") - scratch.offset("args"),
                    "ARGS_MAX is the BPF side's: its scratch holds that many bytes of arguments and a 4 KiB piece");

            StructLayout header = object.structLayout("gadget_header");
            assertEquals(EventHeader.SIZE, header.size());
            assertEquals(24, header.offset("pid"));
            assertEquals(40, header.offset("gid"));
            assertEquals(48, header.offset("comm"));
        }
    }
}
