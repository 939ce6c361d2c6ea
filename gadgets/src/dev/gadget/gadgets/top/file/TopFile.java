package dev.gadget.gadgets.top.file;

import dev.gadget.bpf.BpfMap;
import dev.gadget.bpf.BpfObject;
import dev.gadget.gadgets.model.CommonFields;
import dev.gadget.gadgets.model.FieldSpec;
import dev.gadget.gadgets.model.FieldType;
import dev.gadget.gadgets.model.GadgetDescription;
import dev.gadget.gadgets.model.GadgetKind;
import dev.gadget.gadgets.model.ParamValues;
import dev.gadget.gadgets.model.TopParams;
import dev.gadget.gadgets.runner.DecodeContext;
import dev.gadget.gadgets.runner.TopGadget;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** top file: reads and writes per thread and file each interval, calls and bytes, the file named by its path. */
public final class TopFile implements TopGadget {
    private static final List<FieldSpec> FIELDS = fields();

    static final GadgetDescription DESCRIPTION = new GadgetDescription("top", "file", GadgetKind.TOP,
            "Show reads and writes by file: calls and bytes per thread and file, the busiest first",
            TopParams.of("-bytes,-reads,-writes", FIELDS), FIELDS);

    private static List<FieldSpec> fields() {
        List<FieldSpec> fields = new ArrayList<>(CommonFields.container());
        fields.addAll(List.of(
                FieldSpec.of("pid", FieldType.INT, "Process id").shown(),
                FieldSpec.of("tid", FieldType.INT, "Thread id").shown(),
                FieldSpec.of("comm", FieldType.STRING, "Command name of the thread when it first used the file in "
                        + "the interval (first 15 bytes)").shown(),
                FieldSpec.of("reads", FieldType.UINT, "Successful read calls (read, readv, pread64, preadv, preadv2)")
                        .shown(),
                FieldSpec.of("writes", FieldType.UINT, "Successful write calls (write, writev, pwrite64, pwritev, "
                        + "pwritev2)").shown(),
                FieldSpec.of("rbytes", FieldType.UINT, "Bytes read").shown().width(10),
                FieldSpec.of("wbytes", FieldType.UINT, "Bytes written").shown().width(10),
                FieldSpec.of("bytes", FieldType.UINT, "Bytes read and written").width(10),
                FieldSpec.of("fileType", FieldType.STRING, "R regular file, S socket, P pipe or FIFO, O other")
                        .shown().width(8),
                FieldSpec.of("filename", FieldType.STRING, "The file's path as the process sees it; socket:[inode], "
                        + "pipe:[inode] or anon_inode:name for files without one").shown().width(32)
                        .cutFlag("filenameTruncated"),
                FieldSpec.of("filenameTruncated", FieldType.BOOL, "Whether the path was longer than 4096 bytes and "
                        + "lost its start"),
                FieldSpec.of("dev", FieldType.UINT, "Device of the file's file system, as stat's st_dev").width(10),
                FieldSpec.of("inode", FieldType.UINT, "Inode number of the file").width(10),
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
        return BpfObject.open(TopFile.class, "top_file.bpf.o");
    }

    /**
     * Points the kernel's counting at the other map, which returns only once no program can still
     * touch the map that counted so far, then drains that one: every call counted exactly once.
     */
    @Override
    public List<Object[]> collect(BpfObject object, ParamValues values, DecodeContext context) {
        BpfMap counting = object.map("counting");
        BpfMap a = object.map("counts_a");
        BpfMap b = object.map("counts_b");
        ByteBuffer slot = counting.newKeyBuffer();
        ByteBuffer inner = counting.newValueBuffer();
        slot.putInt(0, 0);
        if (!counting.lookup(slot, inner)) {
            throw new IllegalStateException("top file: the outer map holds no counting map");
        }
        BpfMap counted = inner.getInt(0) == a.id() ? a : b; // a lookup gives the inner map's id
        BpfMap next = counted == a ? b : a;
        inner.putInt(0, next.fd()); // an update takes its fd
        counting.update(slot, inner, BpfMap.Update.ANY);
        return drain(counted, context);
    }

    private static List<Object[]> drain(BpfMap counts, DecodeContext context) {
        ByteBuffer value = counts.newValueBuffer();
        List<Object[]> rows = new ArrayList<>();
        for (ByteBuffer key : counts.keys()) {
            if (counts.lookup(key, value)) {
                rows.add(FileStatsDecoder.decode(key, value, context));
            }
            counts.delete(key);
        }
        return rows;
    }
}
