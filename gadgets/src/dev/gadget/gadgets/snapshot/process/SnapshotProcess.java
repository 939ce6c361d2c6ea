package dev.gadget.gadgets.snapshot.process;

import dev.gadget.bpf.BpfObject;
import dev.gadget.bpf.RecordHandler;
import dev.gadget.bpf.RingBuffer;
import dev.gadget.gadgets.bpfcommon.SharedHeader;
import dev.gadget.gadgets.model.CommonFields;
import dev.gadget.gadgets.model.FieldSpec;
import dev.gadget.gadgets.model.FieldType;
import dev.gadget.gadgets.model.GadgetDescription;
import dev.gadget.gadgets.model.GadgetKind;
import dev.gadget.gadgets.model.ParamSpec;
import dev.gadget.gadgets.model.ParamValues;
import dev.gadget.gadgets.runner.DecodeContext;
import dev.gadget.gadgets.runner.SnapshotGadget;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * snapshot process: the processes (or threads) running now, each with its own container, from one walk
 * of the kernel's task list (snapshot_process.bpf.c says why not a task iterator).
 */
public final class SnapshotProcess implements SnapshotGadget {
    static final String THREADS = "threads";
    /** Room for a hundred thousand tasks; beyond that, the records that do not fit are counted lost. */
    private static final int RING_SIZE = 8 << 20;

    static final GadgetDescription DESCRIPTION = new GadgetDescription("snapshot", "process", GadgetKind.SNAPSHOT,
            "List running processes (or threads) with their container, parent, user and state",
            List.of(ParamSpec.bool(THREADS, "List every thread, not only processes")),
            fields());

    private static List<FieldSpec> fields() {
        List<FieldSpec> fields = new ArrayList<>(CommonFields.container());
        fields.addAll(List.of(
                FieldSpec.of("comm", FieldType.STRING, "Command name (first 15 bytes)").shown(),
                FieldSpec.of("pid", FieldType.INT, "Process id").shown(),
                FieldSpec.of("tid", FieldType.INT, "Thread id").shown().onlyWith(THREADS),
                FieldSpec.of("ppid", FieldType.INT, "Parent process id").shown(),
                FieldSpec.of("uid", FieldType.UINT, "Real user id").shown().width(6),
                FieldSpec.of("gid", FieldType.UINT, "Real group id").shown().width(6),
                FieldSpec.of("state", FieldType.STRING, "State as ps shows it: R running, S sleeping, D in "
                        + "uninterruptible wait, T stopped, t traced, Z zombie, X dead, P parked, I idle").shown().width(5),
                FieldSpec.of("threadCount", FieldType.UINT, "Threads of the process"),
                FieldSpec.of("startTime", FieldType.TIMESTAMP, "When the process (or thread) started, nanoseconds since "
                        + "the Unix epoch"),
                FieldSpec.of("mountnsid", FieldType.UINT, "Mount namespace inode number").width(10),
                FieldSpec.of("cgroupid", FieldType.UINT, "cgroup v2 id (inode of the cgroup directory)").width(10)));
        return fields;
    }

    @Override
    public GadgetDescription description() {
        return DESCRIPTION;
    }

    @Override
    public BpfObject open(ParamValues values) {
        BpfObject object = BpfObject.open(SnapshotProcess.class, "snapshot_process.bpf.o");
        try {
            object.setConstant("with_threads", values.flag(THREADS));
            object.setMaxEntries(SharedHeader.EVENTS, RING_SIZE);
            return object;
        } catch (RuntimeException e) {
            object.close();
            throw e;
        }
    }

    @Override
    public List<Object[]> snapshot(BpfObject object, ParamValues values, DecodeContext context) {
        object.testRun("snapshot_process");
        RingBuffer ring = object.ringBuffer(SharedHeader.EVENTS);
        ByteArrayOutputStream records = new ByteArrayOutputStream();
        byte[] record = new byte[ProcessRecordDecoder.SIZE];
        RecordHandler collect = (data, offset, length) -> {
            if (length != record.length) {
                throw new IllegalArgumentException("a process record of " + length + " bytes, not " + record.length);
            }
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, offset, record, 0, length);
            records.writeBytes(record);
        };
        int handled;
        do {
            handled = ring.consume(collect); // at most so many records a call: until the ring is empty
        } while (handled > 0);
        return ProcessRecordDecoder.decodeAll(records.toByteArray(), context);
    }
}
