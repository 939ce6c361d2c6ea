package dev.gadget.gadgets.top.file;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gadget.bpf.BpfObject;
import dev.gadget.bpf.StructLayout;
import org.junit.jupiter.api.Test;

/** The Java decoder's offsets are those clang gave struct file_key and struct file_stats (read from the object's BTF). */
class FileStatsLayoutTest {

    @Test
    void decoderMatchesTheCompiledStructs() {
        try (BpfObject object = BpfObject.open(TopFile.class, "top_file.bpf.o")) {
            StructLayout key = object.structLayout("file_key");
            assertEquals(FileStatsDecoder.KEY_PID, key.offset("pid"));
            assertEquals(FileStatsDecoder.KEY_TID, key.offset("tid"));
            assertEquals(FileStatsDecoder.KEY_DEV, key.offset("dev"));
            assertEquals(FileStatsDecoder.KEY_INODE, key.offset("inode"));
            assertEquals(FileStatsDecoder.KEY_SIZE, key.size());

            StructLayout stats = object.structLayout("file_stats");
            assertEquals(FileStatsDecoder.READS, stats.offset("reads"));
            assertEquals(FileStatsDecoder.WRITES, stats.offset("writes"));
            assertEquals(FileStatsDecoder.RBYTES, stats.offset("rbytes"));
            assertEquals(FileStatsDecoder.WBYTES, stats.offset("wbytes"));
            assertEquals(FileStatsDecoder.MNTNS_ID, stats.offset("mntns_id"));
            assertEquals(FileStatsDecoder.CGROUP_ID, stats.offset("cgroup_id"));
            assertEquals(FileStatsDecoder.MODE, stats.offset("mode"));
            assertEquals(FileStatsDecoder.PATH_SIZE, stats.offset("path_size"));
            assertEquals(FileStatsDecoder.FLAGS, stats.offset("flags"));
            assertEquals(FileStatsDecoder.COMM, stats.offset("comm"));
            assertEquals(FileStatsDecoder.PATH, stats.offset("path"));
            assertEquals(FileStatsDecoder.PATH + FileStatsDecoder.PATH_MAX, stats.size());
        }
    }
}
