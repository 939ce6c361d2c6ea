package dev.gadget.gadgets.runner;

import dev.gadget.bpf.BpfObject;
import dev.gadget.gadgets.model.ParamValues;
import java.util.List;

/** A gadget that samples (perf events) until the run ends, then reports what it gathered. */
public non-sealed interface ProfileGadget extends Gadget {

    /** Starts sampling into the loaded object (e.g. attaches its program to a perf event per CPU). */
    void startSampling(BpfObject object, ParamValues values);

    /** The report, a row per distinct stack, one slot per field of the description. */
    List<Object[]> report(BpfObject object, ParamValues values, DecodeContext context);
}
