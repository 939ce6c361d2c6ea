package dev.gadget.gadgets.trace.open;

import dev.gadget.bpf.BpfObject;
import dev.gadget.gadgets.bpfcommon.SharedHeader;
import dev.gadget.gadgets.model.CommonFields;
import dev.gadget.gadgets.model.FieldSpec;
import dev.gadget.gadgets.model.FieldType;
import dev.gadget.gadgets.model.GadgetDescription;
import dev.gadget.gadgets.model.GadgetKind;
import dev.gadget.gadgets.model.ParamValues;
import dev.gadget.gadgets.runner.DecodeContext;
import dev.gadget.gadgets.runner.TraceGadget;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/** trace open: every open, openat, openat2 and creat, failed ones included, with the path exactly as passed. */
public final class TraceOpen implements TraceGadget {
    /** Opens come in bursts (a program starting opens dozens of files); a path may take 4 KiB. */
    private static final int RING_SIZE = 8 << 20;

    static final GadgetDescription DESCRIPTION = new GadgetDescription("trace", "open", GadgetKind.TRACE,
            "Trace opened files: every open, openat, openat2 and creat, successful or failed, with flags, mode and path",
            List.of(), fields());

    private static List<FieldSpec> fields() {
        List<FieldSpec> fields = new ArrayList<>(CommonFields.container());
        fields.addAll(CommonFields.eventHeader("pid", "tid", "comm"));
        fields.addAll(List.of(
                FieldSpec.of("ret", FieldType.ERRNO, "The new file descriptor, or the error of a failed open (ENOENT...)")
                        .shown(),
                FieldSpec.of("fd", FieldType.INT, "The new file descriptor; empty when the open failed"),
                FieldSpec.of("err", FieldType.INT, "The error number of a failed open (2 is ENOENT), 0 when it succeeded"),
                FieldSpec.of("flags", FieldType.STRING, "Open flags by name (O_RDONLY|O_CLOEXEC...); empty when "
                        + "openat2's struct open_how could not be read").shown().width(24),
                FieldSpec.of("flagsRaw", FieldType.UINT, "Open flags as a number"),
                FieldSpec.of("mode", FieldType.STRING, "Permissions of a file the open may create, in octal, before "
                        + "the umask; empty without O_CREAT or O_TMPFILE").shown().width(5),
                FieldSpec.of("modeRaw", FieldType.UINT, "The mode argument as passed, also when it means nothing"),
                FieldSpec.of("path", FieldType.STRING, "The path exactly as passed; a relative one starts at the "
                        + "working directory or at the directory descriptor of openat").shown().width(32)
                        .cutFlag("pathTruncated"),
                FieldSpec.of("pathTruncated", FieldType.BOOL, "Whether path was longer than PATH_MAX (4096 bytes), "
                        + "which the kernel refuses, and was cut there"),
                FieldSpec.of("pathUnreadable", FieldType.BOOL, "Whether the path's memory could not be read, "
                        + "neither when the call began nor when it returned (the open then fails with EFAULT)"),
                FieldSpec.of("pathReadAtExit", FieldType.BOOL, "Whether path was read when the call returned: its "
                        + "memory was not paged in when the call began, or the start of the call went unseen"),
                FieldSpec.of("entryMissed", FieldType.BOOL, "Whether the start of the call went unseen (it began "
                        + "before tracing did): its arguments were taken from its registers when it returned")));
        return fields;
    }

    @Override
    public GadgetDescription description() {
        return DESCRIPTION;
    }

    @Override
    public BpfObject open(ParamValues values) {
        BpfObject object = BpfObject.open(TraceOpen.class, "trace_open.bpf.o");
        try {
            object.setMaxEntries(SharedHeader.EVENTS, RING_SIZE);
            return object;
        } catch (RuntimeException e) {
            object.close();
            throw e;
        }
    }

    @Override
    public void decode(MemorySegment data, long offset, int length, DecodeContext context, Object[] row) {
        OpenEventDecoder.decode(data, offset, length, context, row);
    }
}
