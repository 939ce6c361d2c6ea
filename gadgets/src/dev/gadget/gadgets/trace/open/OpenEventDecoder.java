package dev.gadget.gadgets.trace.open;

import dev.gadget.gadgets.bpfcommon.CStrings;
import dev.gadget.gadgets.runner.DecodeContext;
import dev.gadget.gadgets.runner.EventHeader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Decodes struct open_event of trace_open.bpf.c, its path cut to path_size bytes, into a row. */
final class OpenEventDecoder {
    static final int FLAGS = 64;
    static final int MODE = 72;
    static final int RET = 80;
    static final int PATH_SIZE = 84;
    static final int STATUS = 86;
    static final int PATH = 88;
    static final int PATH_KEEP = 4096;

    static final int PATH_TRUNCATED = 1;
    static final int PATH_UNREADABLE = 1 << 1;
    static final int PATH_AT_EXIT = 1 << 2;
    static final int ENTRY_MISSED = 1 << 3;
    static final int HOW_UNREADABLE = 1 << 4;

    private static final int F_RET = TraceOpen.DESCRIPTION.fieldIndex("ret");
    private static final int F_FD = TraceOpen.DESCRIPTION.fieldIndex("fd");
    private static final int F_ERR = TraceOpen.DESCRIPTION.fieldIndex("err");
    private static final int F_FLAGS = TraceOpen.DESCRIPTION.fieldIndex("flags");
    private static final int F_FLAGS_RAW = TraceOpen.DESCRIPTION.fieldIndex("flagsRaw");
    private static final int F_MODE = TraceOpen.DESCRIPTION.fieldIndex("mode");
    private static final int F_MODE_RAW = TraceOpen.DESCRIPTION.fieldIndex("modeRaw");
    private static final int F_PATH = TraceOpen.DESCRIPTION.fieldIndex("path");
    private static final int F_PATH_TRUNCATED = TraceOpen.DESCRIPTION.fieldIndex("pathTruncated");
    private static final int F_PATH_UNREADABLE = TraceOpen.DESCRIPTION.fieldIndex("pathUnreadable");
    private static final int F_PATH_READ_AT_EXIT = TraceOpen.DESCRIPTION.fieldIndex("pathReadAtExit");
    private static final int F_ENTRY_MISSED = TraceOpen.DESCRIPTION.fieldIndex("entryMissed");

    private OpenEventDecoder() {
    }

    static void decode(MemorySegment data, long offset, int length, DecodeContext context, Object[] row) {
        int pathSize = Short.toUnsignedInt(data.get(ValueLayout.JAVA_SHORT_UNALIGNED, offset + PATH_SIZE));
        if (pathSize > PATH_KEEP || PATH + pathSize != length) {
            throw new IllegalArgumentException("open record of " + length + " bytes does not match its path of "
                    + pathSize + " bytes");
        }
        long flags = data.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + FLAGS);
        long mode = data.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + MODE);
        long ret = data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + RET);
        int status = Byte.toUnsignedInt(data.get(ValueLayout.JAVA_BYTE, offset + STATUS));
        EventHeader.decode(data, offset, context, row);
        row[F_RET] = ret;
        row[F_FD] = ret >= 0 ? ret : null;
        row[F_ERR] = ret < 0 ? -ret : 0L;
        boolean flagsKnown = (status & HOW_UNREADABLE) == 0;
        row[F_FLAGS] = flagsKnown ? OpenFlags.names(flags) : "";
        row[F_FLAGS_RAW] = flags;
        row[F_MODE] = flagsKnown && OpenFlags.takesMode(flags) ? OpenFlags.octal(mode) : "";
        row[F_MODE_RAW] = mode;
        row[F_PATH] = CStrings.of(data, offset + PATH, pathSize);
        row[F_PATH_TRUNCATED] = (status & PATH_TRUNCATED) != 0;
        row[F_PATH_UNREADABLE] = (status & PATH_UNREADABLE) != 0;
        row[F_PATH_READ_AT_EXIT] = (status & PATH_AT_EXIT) != 0;
        row[F_ENTRY_MISSED] = (status & ENTRY_MISSED) != 0;
    }
}
