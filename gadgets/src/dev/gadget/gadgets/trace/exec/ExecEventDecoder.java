package dev.gadget.gadgets.trace.exec;

import dev.gadget.gadgets.bpfcommon.CStrings;
import dev.gadget.gadgets.runner.DecodeContext;
import dev.gadget.gadgets.runner.EventHeader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Decodes struct exec_event of trace_exec.bpf.c, followed by its cwd and exepath bytes, into a row. */
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

    private static final int F_PCOMM = TraceExec.DESCRIPTION.fieldIndex("pcomm");
    private static final int F_RET = TraceExec.DESCRIPTION.fieldIndex("ret");
    private static final int F_CWD = TraceExec.DESCRIPTION.fieldIndex("cwd");
    private static final int F_CWD_TRUNCATED = TraceExec.DESCRIPTION.fieldIndex("cwdTruncated");
    private static final int F_EXEPATH = TraceExec.DESCRIPTION.fieldIndex("exepath");
    private static final int F_EXEPATH_TRUNCATED = TraceExec.DESCRIPTION.fieldIndex("exepathTruncated");
    private static final int F_ARGS = TraceExec.DESCRIPTION.fieldIndex("args");
    private static final int F_ARGS_TRUNCATED = TraceExec.DESCRIPTION.fieldIndex("argsTruncated");

    private ExecEventDecoder() {
    }

    static void decode(MemorySegment data, long offset, int length, DecodeContext context, Object[] row) {
        int argsSize = data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + ARGS_SIZE);
        int cwdSize = Short.toUnsignedInt(data.get(ValueLayout.JAVA_SHORT_UNALIGNED, offset + CWD_SIZE));
        int exepathSize = Short.toUnsignedInt(data.get(ValueLayout.JAVA_SHORT_UNALIGNED, offset + EXEPATH_SIZE));
        if (argsSize < 0 || argsSize > ARGS_MAX || ARGS + argsSize + cwdSize + exepathSize != length) {
            throw new IllegalArgumentException("exec record of " + length + " bytes does not match its sizes: args "
                    + argsSize + ", cwd " + cwdSize + ", exepath " + exepathSize);
        }
        int flags = data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + FLAGS);
        long cwdAt = offset + ARGS + argsSize;
        EventHeader.decode(data, offset, context, row);
        row[F_RET] = (long) data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + RET);
        row[F_PCOMM] = CStrings.terminated(data, offset + PCOMM, 16);
        row[F_ARGS] = CStrings.list(data, offset + ARGS, argsSize);
        row[F_ARGS_TRUNCATED] = (flags & ARGS_TRUNCATED) != 0;
        row[F_CWD] = CStrings.of(data, cwdAt, cwdSize);
        row[F_CWD_TRUNCATED] = (flags & CWD_TRUNCATED) != 0;
        row[F_EXEPATH] = CStrings.of(data, cwdAt + cwdSize, exepathSize);
        row[F_EXEPATH_TRUNCATED] = (flags & EXEPATH_TRUNCATED) != 0;
    }
}
