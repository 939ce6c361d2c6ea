package dev.gadget.gadgets.runner;

import dev.gadget.bpf.BpfObject;
import dev.gadget.gadgets.model.ParamValues;
import java.util.List;

/** A gadget that lists the state of things now, typically by running a BPF iterator once. */
public non-sealed interface SnapshotGadget extends Gadget {

    /** The rows, one slot per field of the description, read from the loaded object (filter applied). */
    List<Object[]> snapshot(BpfObject object, ParamValues values, DecodeContext context);
}
