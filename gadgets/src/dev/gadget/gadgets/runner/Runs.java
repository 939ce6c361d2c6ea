package dev.gadget.gadgets.runner;

import dev.gadget.gadgets.containers.ContainerRegistry;
import dev.gadget.gadgets.model.ContainerSelection;
import dev.gadget.gadgets.model.FieldSpec;
import dev.gadget.gadgets.model.ParamValues;
import dev.gadget.gadgets.model.RunMessage;

/** Starts a gadget of any kind with the runner of its kind. */
public final class Runs {
    private Runs() {
    }

    /**
     * Loads and attaches the gadget for these checked values; only processes {@code selection} picks are
     * seen (filtered in the kernel), named by {@code containers}. Emits {@link RunMessage.Started} once
     * everything is attached. Throws (a BpfException, one line) if it cannot start, releasing what it took.
     */
    public static Run start(Gadget gadget, ParamValues values, ContainerSelection selection,
            ContainerRegistry containers, RunSink sink) {
        LoadedGadget loaded = LoadedGadget.load(gadget, values, selection, containers);
        try {
            RowShape shape = new RowShape(gadget.description(), values);
            Run run = switch (gadget) {
                case TraceGadget trace -> new TraceRun(trace, loaded, shape, sink);
                case SnapshotGadget snapshot -> new SnapshotRun(snapshot, loaded, shape, sink);
                case TopGadget top -> new TopRun(top, loaded, shape, sink);
                case ProfileGadget profile -> new ProfileRun(profile, loaded, shape, sink, containers.host());
            };
            sink.emit(new RunMessage.Started(gadget.description().fieldsFor(values).stream().map(FieldSpec::name)
                    .toList()));
            return run;
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
    }
}
