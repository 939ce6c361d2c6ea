package dev.gadget.gadgets.runner;

import dev.gadget.bpf.BpfObject;
import dev.gadget.gadgets.model.GadgetDescription;
import dev.gadget.gadgets.model.ParamValues;

/**
 * A gadget's code: its description and its BPF object, in one folder with one line in the catalog. The
 * runner of its kind does the rest: container filter, loading, attaching, reading, emitting, releasing.
 */
public sealed interface Gadget permits TraceGadget, SnapshotGadget, TopGadget, ProfileGadget {

    GadgetDescription description();

    /**
     * Opens the gadget's BPF object configured for these values (constants, map sizes), not loaded:
     * the runner sets the container filter, loads it and attaches it.
     */
    BpfObject open(ParamValues values);
}
