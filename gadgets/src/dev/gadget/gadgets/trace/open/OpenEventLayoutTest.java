package dev.gadget.gadgets.trace.open;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gadget.bpf.BpfObject;
import dev.gadget.bpf.StructLayout;
import org.junit.jupiter.api.Test;

/** The Java decoder's offsets are those clang gave struct open_event (read from the object's BTF). */
class OpenEventLayoutTest {

    @Test
    void decoderMatchesTheCompiledStruct() {
        try (BpfObject object = BpfObject.open(TraceOpen.class, "trace_open.bpf.o")) {
            StructLayout open = object.structLayout("open_event");
            assertEquals(0, open.offset("hdr"));
            assertEquals(OpenEventDecoder.FLAGS, open.offset("flags"));
            assertEquals(OpenEventDecoder.MODE, open.offset("mode"));
            assertEquals(OpenEventDecoder.RET, open.offset("ret"));
            assertEquals(OpenEventDecoder.PATH_SIZE, open.offset("path_size"));
            assertEquals(OpenEventDecoder.STATUS, open.offset("status"));
            assertEquals(OpenEventDecoder.PATH, open.offset("path"));
        }
    }
}
