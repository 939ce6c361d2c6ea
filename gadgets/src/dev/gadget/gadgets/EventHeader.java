package dev.gadget.gadgets;

import dev.gadget.gadgets.containers.Container;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Optional;

/**
 * The fields every event starts with: struct gadget_header of gadget.h, 64 bytes.
 *
 * @param timestamp nanoseconds since the Unix epoch
 * @param container the container the process ran in; empty for host processes
 */
public record EventHeader(long timestamp, long mountNsId, long cgroupId, int pid, int tid, int ppid, int uid,
        int gid, String comm, Optional<Container> container) {

    public static final int SIZE = 64;
    static final int COMM_OFFSET = 48;
    static final int COMM_LENGTH = 16;

    public static EventHeader decode(MemorySegment data, long offset, DecodeContext context) {
        long cgroupId = data.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + 16);
        return new EventHeader(
                data.get(ValueLayout.JAVA_LONG_UNALIGNED, offset) + context.bootToEpochNanos(),
                data.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + 8),
                cgroupId,
                data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + 24),
                data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + 28),
                data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + 32),
                data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + 36),
                data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + 40),
                CStrings.terminated(data, offset + COMM_OFFSET, COMM_LENGTH),
                context.containers().find(cgroupId));
    }
}
