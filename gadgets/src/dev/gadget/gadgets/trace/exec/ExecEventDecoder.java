package dev.gadget.gadgets.trace.exec;

import dev.gadget.gadgets.bpfcommon.CStrings;
import dev.gadget.gadgets.runner.DecodeContext;
import dev.gadget.gadgets.runner.EventHeader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Decodes struct exec_event of trace_exec.bpf.c, followed by its args, filename, cwd and exepath bytes,
 * into a row of trace exec's fields.
 */
final class ExecEventDecoder {
    static final int RET = 64;
    static final int ARGS_COUNT = 68;
    static final int ARGS_SIZE = 72;
    static final int ARGS_KEPT = 76;
    static final int ARGS_UNREADABLE = 80;
    static final int FLAGS = 84;
    static final int FILENAME_SIZE = 88;
    static final int CWD_SIZE = 90;
    static final int EXEPATH_SIZE = 92;
    static final int PCOMM = 96;
    static final int ARGS = 112;
    static final int ARGS_MAX = 256 * 1024;

    static final int ARGS_TRUNCATED = 1;
    static final int CWD_TRUNCATED = 1 << 1;
    static final int EXEPATH_TRUNCATED = 1 << 2;
    static final int FILENAME_TRUNCATED = 1 << 3;
    static final int CWD_DELETED = 1 << 4;
    static final int EXEPATH_DELETED = 1 << 5;

    private static final int F_PCOMM = TraceExec.DESCRIPTION.fieldIndex("pcomm");
    private static final int F_RET = TraceExec.DESCRIPTION.fieldIndex("ret");
    private static final int F_FILENAME = TraceExec.DESCRIPTION.fieldIndex("filename");
    private static final int F_FILENAME_TRUNCATED = TraceExec.DESCRIPTION.fieldIndex("filenameTruncated");
    private static final int F_CWD = TraceExec.DESCRIPTION.fieldIndex("cwd");
    private static final int F_CWD_TRUNCATED = TraceExec.DESCRIPTION.fieldIndex("cwdTruncated");
    private static final int F_CWD_DELETED = TraceExec.DESCRIPTION.fieldIndex("cwdDeleted");
    private static final int F_EXEPATH = TraceExec.DESCRIPTION.fieldIndex("exepath");
    private static final int F_EXEPATH_DELETED = TraceExec.DESCRIPTION.fieldIndex("exepathDeleted");
    private static final int F_EXEPATH_TRUNCATED = TraceExec.DESCRIPTION.fieldIndex("exepathTruncated");
    private static final int F_ARGS = TraceExec.DESCRIPTION.fieldIndex("args");
    private static final int F_ARGS_COUNT = TraceExec.DESCRIPTION.fieldIndex("argsCount");
    private static final int F_ARGS_SIZE = TraceExec.DESCRIPTION.fieldIndex("argsSize");
    private static final int F_ARGS_UNREADABLE = TraceExec.DESCRIPTION.fieldIndex("argsUnreadable");
    private static final int F_ARGS_TRUNCATED = TraceExec.DESCRIPTION.fieldIndex("argsTruncated");

    private ExecEventDecoder() {
    }

    static void decode(MemorySegment data, long offset, int length, DecodeContext context, Object[] row) {
        long argsSize = Integer.toUnsignedLong(data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + ARGS_SIZE));
        int argsKept = data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + ARGS_KEPT);
        int filenameSize = u16(data, offset + FILENAME_SIZE);
        int cwdSize = u16(data, offset + CWD_SIZE);
        int exepathSize = u16(data, offset + EXEPATH_SIZE);
        if (argsKept < 0 || argsKept > ARGS_MAX || argsKept > argsSize
                || (long) ARGS + argsKept + filenameSize + cwdSize + exepathSize != length) {
            throw new IllegalArgumentException("exec record of " + length + " bytes does not match its sizes: args "
                    + argsKept + " of " + argsSize + ", filename " + filenameSize + ", cwd " + cwdSize
                    + ", exepath " + exepathSize);
        }
        int flags = data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + FLAGS);
        long filenameAt = offset + ARGS + argsKept;
        long cwdAt = filenameAt + filenameSize;
        EventHeader.decode(data, offset, context, row);
        row[F_RET] = (long) data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + RET);
        row[F_PCOMM] = CStrings.terminated(data, offset + PCOMM, 16);
        row[F_FILENAME] = CStrings.of(data, filenameAt, filenameSize);
        row[F_FILENAME_TRUNCATED] = (flags & FILENAME_TRUNCATED) != 0;
        row[F_ARGS] = CStrings.list(data, offset + ARGS, argsKept);
        row[F_ARGS_COUNT] = Integer.toUnsignedLong(data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + ARGS_COUNT));
        row[F_ARGS_SIZE] = argsSize;
        row[F_ARGS_UNREADABLE] = Integer.toUnsignedLong(data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + ARGS_UNREADABLE));
        row[F_ARGS_TRUNCATED] = (flags & ARGS_TRUNCATED) != 0;
        row[F_CWD] = CStrings.of(data, cwdAt, cwdSize);
        row[F_CWD_TRUNCATED] = (flags & CWD_TRUNCATED) != 0;
        row[F_CWD_DELETED] = (flags & CWD_DELETED) != 0;
        row[F_EXEPATH] = CStrings.of(data, cwdAt + cwdSize, exepathSize);
        row[F_EXEPATH_TRUNCATED] = (flags & EXEPATH_TRUNCATED) != 0;
        row[F_EXEPATH_DELETED] = (flags & EXEPATH_DELETED) != 0;
    }

    private static int u16(MemorySegment data, long offset) {
        return Short.toUnsignedInt(data.get(ValueLayout.JAVA_SHORT_UNALIGNED, offset));
    }
}
