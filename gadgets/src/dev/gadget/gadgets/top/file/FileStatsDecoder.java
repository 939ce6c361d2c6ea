package dev.gadget.gadgets.top.file;

import dev.gadget.gadgets.bpfcommon.CStrings;
import dev.gadget.gadgets.runner.ContainerColumns;
import dev.gadget.gadgets.runner.DecodeContext;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;

/** Decodes a struct file_key and its struct file_stats of top_file.bpf.c into a row. */
final class FileStatsDecoder {
    static final int KEY_PID = 0;
    static final int KEY_TID = 4;
    static final int KEY_DEV = 8;
    static final int KEY_INODE = 16;
    static final int KEY_SIZE = 24;

    static final int READS = 0;
    static final int WRITES = 8;
    static final int RBYTES = 16;
    static final int WBYTES = 24;
    static final int MNTNS_ID = 32;
    static final int CGROUP_ID = 40;
    static final int MODE = 48;
    static final int PATH_SIZE = 52;
    static final int FLAGS = 54;
    static final int COMM = 56;
    static final int PATH = 72;
    static final int PATH_MAX = 4096;

    static final int PATH_TRUNCATED = 1;
    static final int NAMED_BY_DENTRY = 1 << 1;

    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFSOCK = 0140000;
    private static final int S_IFIFO = 0010000;

    private static final int F_PID = TopFile.DESCRIPTION.fieldIndex("pid");
    private static final int F_TID = TopFile.DESCRIPTION.fieldIndex("tid");
    private static final int F_COMM = TopFile.DESCRIPTION.fieldIndex("comm");
    private static final int F_READS = TopFile.DESCRIPTION.fieldIndex("reads");
    private static final int F_WRITES = TopFile.DESCRIPTION.fieldIndex("writes");
    private static final int F_RBYTES = TopFile.DESCRIPTION.fieldIndex("rbytes");
    private static final int F_WBYTES = TopFile.DESCRIPTION.fieldIndex("wbytes");
    private static final int F_BYTES = TopFile.DESCRIPTION.fieldIndex("bytes");
    private static final int F_FILE_TYPE = TopFile.DESCRIPTION.fieldIndex("fileType");
    private static final int F_FILENAME = TopFile.DESCRIPTION.fieldIndex("filename");
    private static final int F_FILENAME_TRUNCATED = TopFile.DESCRIPTION.fieldIndex("filenameTruncated");
    private static final int F_DEV = TopFile.DESCRIPTION.fieldIndex("dev");
    private static final int F_INODE = TopFile.DESCRIPTION.fieldIndex("inode");
    private static final int F_MOUNTNSID = TopFile.DESCRIPTION.fieldIndex("mountnsid");
    private static final int F_CGROUPID = TopFile.DESCRIPTION.fieldIndex("cgroupid");
    private static final int FIELDS = TopFile.DESCRIPTION.fields().size();

    private FileStatsDecoder() {
    }

    static Object[] decode(ByteBuffer keyBuffer, ByteBuffer valueBuffer, DecodeContext context) {
        MemorySegment key = MemorySegment.ofBuffer(keyBuffer);
        MemorySegment value = MemorySegment.ofBuffer(valueBuffer);
        int pathSize = Short.toUnsignedInt(value.get(ValueLayout.JAVA_SHORT_UNALIGNED, PATH_SIZE));
        if (pathSize > PATH_MAX) {
            throw new IllegalArgumentException("file stats with a path of " + pathSize + " bytes, above " + PATH_MAX);
        }
        int flags = Short.toUnsignedInt(value.get(ValueLayout.JAVA_SHORT_UNALIGNED, FLAGS));
        int mode = value.get(ValueLayout.JAVA_INT_UNALIGNED, MODE);
        long inode = key.get(ValueLayout.JAVA_LONG_UNALIGNED, KEY_INODE);
        long cgroupId = value.get(ValueLayout.JAVA_LONG_UNALIGNED, CGROUP_ID);
        long rbytes = value.get(ValueLayout.JAVA_LONG_UNALIGNED, RBYTES);
        long wbytes = value.get(ValueLayout.JAVA_LONG_UNALIGNED, WBYTES);
        String path = CStrings.of(value, PATH, pathSize);

        Object[] row = new Object[FIELDS];
        ContainerColumns.fill(row, context.containers().find(cgroupId));
        row[F_PID] = (long) key.get(ValueLayout.JAVA_INT_UNALIGNED, KEY_PID);
        row[F_TID] = (long) key.get(ValueLayout.JAVA_INT_UNALIGNED, KEY_TID);
        row[F_COMM] = CStrings.terminated(value, COMM, PATH - COMM);
        row[F_READS] = value.get(ValueLayout.JAVA_LONG_UNALIGNED, READS);
        row[F_WRITES] = value.get(ValueLayout.JAVA_LONG_UNALIGNED, WRITES);
        row[F_RBYTES] = rbytes;
        row[F_WBYTES] = wbytes;
        row[F_BYTES] = rbytes + wbytes;
        row[F_FILE_TYPE] = switch (mode & S_IFMT) {
            case S_IFREG -> "R";
            case S_IFSOCK -> "S";
            case S_IFIFO -> "P";
            default -> "O";
        };
        row[F_FILENAME] = (flags & NAMED_BY_DENTRY) == 0 ? path : switch (mode & S_IFMT) {
            case S_IFSOCK -> "socket:[" + inode + "]";
            case S_IFIFO -> "pipe:[" + inode + "]";
            default -> "anon_inode:" + path;
        };
        row[F_FILENAME_TRUNCATED] = (flags & PATH_TRUNCATED) != 0;
        row[F_DEV] = userDev(Integer.toUnsignedLong(key.get(ValueLayout.JAVA_INT_UNALIGNED, KEY_DEV)));
        row[F_INODE] = inode;
        row[F_MOUNTNSID] = value.get(ValueLayout.JAVA_LONG_UNALIGNED, MNTNS_ID);
        row[F_CGROUPID] = cgroupId;
        return row;
    }

    /** The kernel's dev_t (major in the top 12 bits, minor in the low 20) as stat(2) encodes it. */
    private static long userDev(long kernelDev) {
        long major = kernelDev >>> 20;
        long minor = kernelDev & 0xfffff;
        return (minor & 0xff) | (major << 8) | ((minor & ~0xffL) << 12);
    }
}
