package dev.gadget.gadgets.trace.exec;

import dev.gadget.gadgets.CStrings;
import dev.gadget.gadgets.DecodeContext;
import dev.gadget.gadgets.EventHeader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Decodes struct exec_event of trace_exec.bpf.c, followed by its cwd and exepath bytes. */
final class ExecEventDecoder {
    static final int RET = 64;
    static final int ARGS_SIZE = 68;
    static final int CWD_SIZE = 72;
    static final int EXEPATH_SIZE = 74;
    static final int FLAGS = 76;
    static final int PCOMM = 80;
    static final int ARGS = 96;
    static final int ARGS_MAX = 32 * 1024;

    static final int ARGS_TRUNCATED = 1;
    static final int CWD_TRUNCATED = 1 << 1;
    static final int EXEPATH_TRUNCATED = 1 << 2;

    private ExecEventDecoder() {
    }

    static ExecEvent decode(MemorySegment data, long offset, int length, DecodeContext context) {
        int argsSize = data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + ARGS_SIZE);
        int cwdSize = Short.toUnsignedInt(data.get(ValueLayout.JAVA_SHORT_UNALIGNED, offset + CWD_SIZE));
        int exepathSize = Short.toUnsignedInt(data.get(ValueLayout.JAVA_SHORT_UNALIGNED, offset + EXEPATH_SIZE));
        if (argsSize > ARGS_MAX || ARGS + argsSize + cwdSize + exepathSize != length) {
            throw new IllegalArgumentException("exec record of " + length + " bytes does not match its sizes: args "
                    + argsSize + ", cwd " + cwdSize + ", exepath " + exepathSize);
        }
        int flags = data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + FLAGS);
        long cwdAt = offset + ARGS + argsSize;
        return new ExecEvent(
                EventHeader.decode(data, offset, context),
                data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + RET),
                CStrings.terminated(data, offset + PCOMM, 16),
                args(data, offset + ARGS, argsSize),
                (flags & ARGS_TRUNCATED) != 0,
                path(data, cwdAt, cwdSize, (flags & CWD_TRUNCATED) != 0),
                path(data, cwdAt + cwdSize, exepathSize, (flags & EXEPATH_TRUNCATED) != 0));
    }

    /** NUL-terminated arguments; a last one without its NUL was cut by ARGS_MAX and is kept as is. */
    static List<String> args(MemorySegment data, long offset, int size) {
        byte[] bytes = new byte[size];
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, offset, bytes, 0, size);
        List<String> args = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < size; i++) {
            if (bytes[i] == 0) {
                args.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start < size) {
            args.add(new String(bytes, start, size - start, StandardCharsets.UTF_8));
        }
        return args;
    }

    private static String path(MemorySegment data, long offset, int size, boolean truncated) {
        String path = CStrings.of(data, offset, size);
        return truncated ? "…" + path : path;
    }
}
