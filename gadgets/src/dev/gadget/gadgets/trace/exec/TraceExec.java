package dev.gadget.gadgets.trace.exec;

import dev.gadget.bpf.BpfObject;
import dev.gadget.bpf.Errno;
import dev.gadget.bpf.PossibleCpus;
import dev.gadget.gadgets.CommonFields;
import dev.gadget.gadgets.DecodeContext;
import dev.gadget.gadgets.Field;
import dev.gadget.gadgets.Param;
import dev.gadget.gadgets.ParamValues;
import dev.gadget.gadgets.SharedHeader;
import dev.gadget.gadgets.TraceGadget;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/** trace exec: every execve/execveat, failed ones included, with its complete argv (up to 32 KiB). */
public final class TraceExec implements TraceGadget<ExecEvent> {
    public static final Param PATHS = new Param("paths", "Show the working directory (cwd) and the executable (exepath)");
    /** Room for a burst of hundreds of the largest (32 KiB argv) events. */
    private static final int RING_SIZE = 8 << 20;

    @Override
    public String category() {
        return "trace";
    }

    @Override
    public String name() {
        return "exec";
    }

    @Override
    public String description() {
        return "Trace new processes: every exec, successful or failed, with its complete arguments";
    }

    @Override
    public List<Param> params() {
        return List.of(PATHS);
    }

    @Override
    public BpfObject open(ParamValues values) {
        BpfObject object = BpfObject.open(TraceExec.class, "trace_exec.bpf.o");
        try {
            object.setConstant("with_paths", values.isOn(PATHS));
            object.setMaxEntries("exec_scratch", PossibleCpus.count());
            object.setMaxEntries(SharedHeader.EVENTS, RING_SIZE);
            return object;
        } catch (RuntimeException e) {
            object.close();
            throw e;
        }
    }

    @Override
    public ExecEvent decode(MemorySegment data, long offset, int length, DecodeContext context) {
        return ExecEventDecoder.decode(data, offset, length, context);
    }

    @Override
    public List<Field<ExecEvent>> fields(ParamValues values) {
        List<Field<ExecEvent>> fields = new ArrayList<>(CommonFields.<ExecEvent>of());
        fields.add(Field.text("pcomm", 16, ExecEvent::pcomm));
        fields.add(new Field<>("ret", 7, Field.Align.LEFT, ExecEvent::ret,
                e -> e.ret() == 0 ? "0" : e.ret() < 0 ? Errno.name(e.ret()) : String.valueOf(e.ret())));
        fields.add(new Field<>("args", 24, Field.Align.LEFT, ExecEvent::args,
                e -> Argv.join(e.args(), e.argsTruncated())));
        fields.add(new Field<>("argsTruncated", 5, Field.Align.LEFT, ExecEvent::argsTruncated,
                e -> String.valueOf(e.argsTruncated())));
        if (values.isOn(PATHS)) {
            fields.add(Field.text("cwd", 24, ExecEvent::cwd));
            fields.add(Field.text("exepath", 24, ExecEvent::exepath));
        }
        return fields;
    }

    @Override
    public List<String> defaultColumns(ParamValues values) {
        return values.isOn(PATHS)
                ? List.of("runtime.containerName", "pid", "ppid", "comm", "pcomm", "ret", "cwd", "exepath", "args")
                : List.of("runtime.containerName", "pid", "ppid", "comm", "pcomm", "ret", "args");
    }
}
