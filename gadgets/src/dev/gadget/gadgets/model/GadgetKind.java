package dev.gadget.gadgets.model;

/** How a gadget reports what it sees; each kind has its runner and its way of being shown. */
public enum GadgetKind {
    /** A stream of events, one per kernel happening, from a ring buffer. */
    TRACE,
    /** One table of the state right now, e.g. from a BPF iterator. */
    SNAPSHOT,
    /** A table per interval of what BPF maps counted during it, sorted and cut to the top rows. */
    TOP,
    /** Samples gathered until the run ends, then one report. */
    PROFILE
}
