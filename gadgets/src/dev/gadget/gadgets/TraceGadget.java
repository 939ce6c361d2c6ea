package dev.gadget.gadgets;

import dev.gadget.bpf.BpfObject;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * A gadget that streams one event per kernel happening. Its BPF object emits records through the
 * shared header's ring (gadget_events) and counts what it could not emit (gadget_lost).
 */
public interface TraceGadget<E extends GadgetEvent> {
    /** e.g. "trace". */
    String category();

    /** e.g. "exec". */
    String name();

    String description();

    List<Param> params();

    /** Opens the gadget's BPF object and configures it for these values; the caller loads and attaches it. */
    BpfObject open(ParamValues values);

    /** Decodes one ring record. */
    E decode(MemorySegment data, long offset, int length, DecodeContext context);

    /** Every field events of a run with these values carry. */
    List<Field<E>> fields(ParamValues values);

    /** The names of the fields shown as columns unless the user picks others. */
    List<String> defaultColumns(ParamValues values);
}
