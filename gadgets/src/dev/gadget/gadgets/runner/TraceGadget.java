package dev.gadget.gadgets.runner;

import java.lang.foreign.MemorySegment;

/** A gadget that streams one event per kernel happening through gadget.h's ring; its tracepoints attach by section name. */
public non-sealed interface TraceGadget extends Gadget {

    /**
     * Decodes one ring record into {@code row}, which has a slot per field of the description: the
     * common fields too ({@link EventHeader#decode}). Fields of parameters that are off may stay null.
     *
     * @throws IllegalArgumentException if the record is malformed
     */
    void decode(MemorySegment data, long offset, int length, DecodeContext context, Object[] row);
}
