package dev.gadget.gadgets.snapshot.process;

import dev.gadget.gadgets.bpfcommon.CStrings;
import dev.gadget.gadgets.runner.ContainerColumns;
import dev.gadget.gadgets.runner.DecodeContext;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Decodes the struct process_record stream of snapshot_process.bpf.c into rows ordered by pid, then tid. */
final class ProcessRecordDecoder {
    static final int START_BOOTTIME = 0;
    static final int MNTNS_ID = 8;
    static final int CGROUP_ID = 16;
    static final int PID = 24;
    static final int TID = 28;
    static final int PPID = 32;
    static final int UID = 36;
    static final int GID = 40;
    static final int STATE = 44;
    static final int EXIT_STATE = 48;
    static final int THREADS = 52;
    static final int COMM = 56;
    static final int SIZE = 72;

    private static final int F_COMM = SnapshotProcess.DESCRIPTION.fieldIndex("comm");
    private static final int F_PID = SnapshotProcess.DESCRIPTION.fieldIndex("pid");
    private static final int F_TID = SnapshotProcess.DESCRIPTION.fieldIndex("tid");
    private static final int F_PPID = SnapshotProcess.DESCRIPTION.fieldIndex("ppid");
    private static final int F_UID = SnapshotProcess.DESCRIPTION.fieldIndex("uid");
    private static final int F_GID = SnapshotProcess.DESCRIPTION.fieldIndex("gid");
    private static final int F_STATE = SnapshotProcess.DESCRIPTION.fieldIndex("state");
    private static final int F_THREAD_COUNT = SnapshotProcess.DESCRIPTION.fieldIndex("threadCount");
    private static final int F_START_TIME = SnapshotProcess.DESCRIPTION.fieldIndex("startTime");
    private static final int F_MOUNTNSID = SnapshotProcess.DESCRIPTION.fieldIndex("mountnsid");
    private static final int F_CGROUPID = SnapshotProcess.DESCRIPTION.fieldIndex("cgroupid");
    private static final int FIELDS = SnapshotProcess.DESCRIPTION.fields().size();

    private ProcessRecordDecoder() {
    }

    static List<Object[]> decodeAll(byte[] records, DecodeContext context) {
        if (records.length % SIZE != 0) {
            throw new IllegalArgumentException("process records of " + records.length + " bytes are not a multiple of "
                    + SIZE);
        }
        MemorySegment data = MemorySegment.ofArray(records);
        List<Object[]> rows = new ArrayList<>(records.length / SIZE);
        for (long offset = 0; offset < records.length; offset += SIZE) {
            rows.add(decode(data, offset, context));
        }
        rows.sort(Comparator.<Object[]>comparingLong(row -> (Long) row[F_PID]).thenComparingLong(row -> (Long) row[F_TID]));
        return rows;
    }

    private static Object[] decode(MemorySegment data, long offset, DecodeContext context) {
        Object[] row = new Object[FIELDS];
        long cgroupId = data.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + CGROUP_ID);
        ContainerColumns.fill(row, context.containers().find(cgroupId));
        row[F_COMM] = CStrings.terminated(data, offset + COMM, SIZE - COMM);
        row[F_PID] = (long) data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + PID);
        row[F_TID] = (long) data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + TID);
        row[F_PPID] = (long) data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + PPID);
        row[F_UID] = Integer.toUnsignedLong(data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + UID));
        row[F_GID] = Integer.toUnsignedLong(data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + GID));
        row[F_STATE] = TaskState.letter(data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + STATE),
                data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + EXIT_STATE));
        row[F_THREAD_COUNT] = Integer.toUnsignedLong(data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + THREADS));
        row[F_START_TIME] = data.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + START_BOOTTIME) + context.bootToEpochNanos();
        row[F_MOUNTNSID] = data.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + MNTNS_ID);
        row[F_CGROUPID] = cgroupId;
        return row;
    }
}
