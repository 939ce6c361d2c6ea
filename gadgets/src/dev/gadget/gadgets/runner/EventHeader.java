package dev.gadget.gadgets.runner;

import dev.gadget.gadgets.bpfcommon.CStrings;
import dev.gadget.gadgets.model.CommonFields;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The fields every trace event starts with: struct gadget_header of gadget.h, 64 bytes, put into a
 * row where {@link CommonFields} places them, with the container its cgroup id names.
 */
public final class EventHeader {
    public static final int SIZE = 64;
    static final int COMM_OFFSET = 48;
    static final int COMM_LENGTH = 16;

    private EventHeader() {
    }

    /** Fills the container and event header fields of {@code row} from the record at {@code offset}. */
    public static void decode(MemorySegment data, long offset, DecodeContext context, Object[] row) {
        long cgroupId = data.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + 16);
        ContainerColumns.fill(row, context.containers().find(cgroupId));
        int at = CommonFields.HEADER_START;
        row[at] = data.get(ValueLayout.JAVA_LONG_UNALIGNED, offset) + context.bootToEpochNanos();
        row[at + 1] = data.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + 8);
        row[at + 2] = cgroupId;
        row[at + 3] = (long) data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + 24);
        row[at + 4] = (long) data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + 28);
        row[at + 5] = (long) data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + 32);
        row[at + 6] = Integer.toUnsignedLong(data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + 36));
        row[at + 7] = Integer.toUnsignedLong(data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + 40));
        row[at + 8] = CStrings.terminated(data, offset + COMM_OFFSET, COMM_LENGTH);
    }
}
