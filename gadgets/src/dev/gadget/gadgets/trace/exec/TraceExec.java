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

/** trace exec: every execve/execveat, failed ones included, with its complete argv (up to 32 KiB). */
public final class TraceExec implements TraceGadget {
    static final String PATHS = "paths";
    /** Room for a burst of hundreds of the largest (32 KiB argv) events. */
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
                FieldSpec.of("cwd", FieldType.STRING, "Working directory").shown().width(24).onlyWith(PATHS)
                        .cutFlag("cwdTruncated"),
                FieldSpec.of("cwdTruncated", FieldType.BOOL, "Whether cwd was too long and lost its start")
                        .onlyWith(PATHS),
                FieldSpec.of("exepath", FieldType.STRING, "The executed file, empty for a failed exec").shown()
                        .width(24).onlyWith(PATHS).cutFlag("exepathTruncated"),
                FieldSpec.of("exepathTruncated", FieldType.BOOL, "Whether exepath was too long and lost its start")
                        .onlyWith(PATHS),
                FieldSpec.of("args", FieldType.STRING_LIST, "The arguments, as passed to exec").shown().width(24)
                        .cutFlag("argsTruncated"),
                FieldSpec.of("argsTruncated", FieldType.BOOL, "Whether args went beyond 32 KiB and were cut there")));
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
