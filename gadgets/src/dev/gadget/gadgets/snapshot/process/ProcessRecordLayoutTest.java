package dev.gadget.gadgets.snapshot.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gadget.bpf.BpfObject;
import dev.gadget.bpf.StructLayout;
import org.junit.jupiter.api.Test;

/** The Java decoder's offsets are those clang gave struct process_record (read from the object's BTF). */
class ProcessRecordLayoutTest {

    @Test
    void decoderMatchesTheCompiledStruct() {
        try (BpfObject object = BpfObject.open(SnapshotProcess.class, "snapshot_process.bpf.o")) {
            StructLayout record = object.structLayout("process_record");
            assertEquals(ProcessRecordDecoder.START_BOOTTIME, record.offset("start_boottime"));
            assertEquals(ProcessRecordDecoder.MNTNS_ID, record.offset("mntns_id"));
            assertEquals(ProcessRecordDecoder.CGROUP_ID, record.offset("cgroup_id"));
            assertEquals(ProcessRecordDecoder.PID, record.offset("pid"));
            assertEquals(ProcessRecordDecoder.TID, record.offset("tid"));
            assertEquals(ProcessRecordDecoder.PPID, record.offset("ppid"));
            assertEquals(ProcessRecordDecoder.UID, record.offset("uid"));
            assertEquals(ProcessRecordDecoder.GID, record.offset("gid"));
            assertEquals(ProcessRecordDecoder.STATE, record.offset("state"));
            assertEquals(ProcessRecordDecoder.EXIT_STATE, record.offset("exit_state"));
            assertEquals(ProcessRecordDecoder.THREADS, record.offset("threads"));
            assertEquals(ProcessRecordDecoder.COMM, record.offset("comm"));
            assertEquals(ProcessRecordDecoder.SIZE, record.size());
        }
    }
}
