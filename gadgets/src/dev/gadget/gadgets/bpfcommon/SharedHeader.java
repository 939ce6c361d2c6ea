package dev.gadget.gadgets.bpfcommon;

/** The names gadget.h (bpf/src/main/bpf/include) gives the maps and globals every gadget object has. */
public final class SharedHeader {
    /** The ring buffer events travel through. */
    public static final String EVENTS = "gadget_events";
    /** Per-CPU count of events that found the ring full. */
    public static final String LOST = "gadget_lost";
    /** Per-CPU count of events the container filter kept out. */
    public static final String FILTERED = "gadget_filtered";
    /** The container filter's cgroup ids. */
    public static final String CGROUPS = "gadget_cgroups";
    /** The container filter's mode: 0 off, 1 allow the listed cgroups, 2 deny them. */
    public static final String FILTER_MODE = "gadget_filter_mode";
    /** Bytes waiting in the ring that wake the reader; 0 (the default) wakes it for the first record. */
    public static final String WAKEUP_BYTES = "gadget_wakeup_bytes";

    private SharedHeader() {
    }
}
