package dev.gadget.gadgets.trace.exec;

import dev.gadget.bpf.BpfObject;
import dev.gadget.bpf.PossibleCpus;
import dev.gadget.gadgets.bpfcommon.SharedHeader;
import dev.gadget.gadgets.model.CommonFields;
import dev.gadget.gadgets.model.FieldSpec;
import dev.gadget.gadgets.model.FieldType;
import dev.gadget.gadgets.model.GadgetDescription;
import dev.gadget.gadgets.model.GadgetKind;
import dev.gadget.gadgets.model.ParamSpec;
import dev.gadget.gadgets.model.ParamValues;
import dev.gadget.gadgets.runner.DecodeContext;
import dev.gadget.gadgets.runner.TraceGadget;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * trace exec: every execve/execveat, failed ones included, with its exact argv (up to 256 KiB).
 *
 * <p>A successful exec's arguments are those of the new program, as /proc/PID/cmdline shows them: a
 * script's are the interpreter's, as the kernel rewrote them, and an exec with no arguments at all gets
 * one empty argument from the kernel. A failed exec's arguments are those the caller passed; one that
 * could not be read is shown as {@value #UNREADABLE} and counted in argsUnreadable.
 */
public final class TraceExec implements TraceGadget {
    /** What stands in for an argument (or a filename) the kernel would not let BPF read. */
    public static final String UNREADABLE = "<unreadable>";
    static final String PATHS = "paths";
    /** Room for a burst of thousands of ordinary events, or of 32 of the largest (256 KiB argv). */
    private static final int RING_SIZE = 8 << 20;

    static final GadgetDescription DESCRIPTION = new GadgetDescription("trace", "exec", GadgetKind.TRACE,
            "Trace new processes: every exec, successful or failed, with its complete arguments",
            List.of(ParamSpec.bool(PATHS, "Show the working directory (cwd) and the executable (exepath)")),
            fields());

    private static List<FieldSpec> fields() {
        List<FieldSpec> fields = new ArrayList<>(CommonFields.container());
        fields.addAll(CommonFields.eventHeader("pid", "ppid", "comm"));
        fields.addAll(List.of(
                FieldSpec.of("pcomm", FieldType.STRING, "Command name of the parent process").shown(),
                FieldSpec.of("ret", FieldType.ERRNO, "0, or the error of a failed exec (ENOENT...)").shown(),
                FieldSpec.of("filename", FieldType.STRING, "The path passed to exec, which need not be argv[0];"
                        + " /dev/fd/N[/path] for a successful execveat relative to a directory fd, " + UNREADABLE
                        + " if the caller's pointer could not be read").width(24).cutFlag("filenameTruncated"),
                FieldSpec.of("filenameTruncated", FieldType.BOOL, "Whether filename was longer than PATH_MAX and cut"),
                FieldSpec.of("cwd", FieldType.STRING, "Working directory").shown().width(24).onlyWith(PATHS)
                        .cutFlag("cwdTruncated").markedBy("cwdDeleted", FieldSpec.DELETED),
                FieldSpec.of("cwdTruncated", FieldType.BOOL, "Whether cwd was too long and lost its start")
                        .onlyWith(PATHS),
                FieldSpec.of("cwdDeleted", FieldType.BOOL, "Whether the working directory had been deleted")
                        .onlyWith(PATHS),
                FieldSpec.of("exepath", FieldType.STRING, "The executed file, empty for a failed exec").shown()
                        .width(24).onlyWith(PATHS).cutFlag("exepathTruncated").markedBy("exepathDeleted",
                                FieldSpec.DELETED),
                FieldSpec.of("exepathTruncated", FieldType.BOOL, "Whether exepath was too long and lost its start")
                        .onlyWith(PATHS),
                FieldSpec.of("exepathDeleted", FieldType.BOOL, "Whether the executed file had been deleted")
                        .onlyWith(PATHS),
                FieldSpec.of("args", FieldType.STRING_LIST, "The arguments, exactly, up to 256 KiB; "
                        + UNREADABLE + " for one of a failed exec that could not be read").shown().width(24)
                        .cutFlag("argsTruncated"),
                FieldSpec.of("argsCount", FieldType.UINT, "How many arguments there are, also when args was cut"),
                FieldSpec.of("argsSize", FieldType.UINT, "Bytes of all the arguments with their NULs, also when"
                        + " args was cut").width(9),
                FieldSpec.of("argsUnreadable", FieldType.UINT, "How many arguments are " + UNREADABLE),
                FieldSpec.of("argsTruncated", FieldType.BOOL, "Whether args went beyond 256 KiB and were cut there")));
        return fields;
    }

    @Override
    public GadgetDescription description() {
        return DESCRIPTION;
    }

    @Override
    public BpfObject open(ParamValues values) {
        BpfObject object = BpfObject.open(TraceExec.class, "trace_exec.bpf.o");
        try {
            object.setConstant("with_paths", values.flag(PATHS));
            object.setMaxEntries("exec_scratch", PossibleCpus.count());
            object.setMaxEntries(SharedHeader.EVENTS, RING_SIZE);
            return object;
        } catch (RuntimeException e) {
            object.close();
            throw e;
        }
    }

    @Override
    public void decode(MemorySegment data, long offset, int length, DecodeContext context, Object[] row) {
        ExecEventDecoder.decode(data, offset, length, context, row);
    }
}
