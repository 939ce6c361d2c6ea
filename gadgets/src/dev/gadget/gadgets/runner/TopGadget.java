package dev.gadget.gadgets.runner;

import dev.gadget.bpf.BpfObject;
import dev.gadget.gadgets.model.ParamValues;
import java.util.List;

/** A gadget whose attached programs count into BPF maps; each interval the runner collects, sorts and cuts. */
public non-sealed interface TopGadget extends Gadget {

    /**
     * What was counted since the previous call (or since attaching), a row per key, one slot per field
     * of the description; counting starts afresh for the next interval.
     */
    List<Object[]> collect(BpfObject object, ParamValues values, DecodeContext context);
}
