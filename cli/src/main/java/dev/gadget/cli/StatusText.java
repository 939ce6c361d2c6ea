package dev.gadget.cli;

import dev.gadget.gadgets.model.RunMessage;

/** A run's status messages as the one line a user reads on stderr, the same for host and cluster runs. */
public final class StatusText {
    private StatusText() {
    }

    /** "warning: trace exec lost 12 events: the kernel's ring buffer was full (12 lost in total)". */
    public static String lost(String gadget, RunMessage.Lost lost) {
        return "warning: " + gadget + " lost " + lost.count() + " events: " + switch (lost.where()) {
            case KERNEL_RING -> "the kernel's ring buffer was full";
            case KERNEL_MAP -> "a BPF map of the gadget was full";
            case CLIENT_QUEUE -> "the daemon's queue for this client was full";
        } + " (" + lost.total() + " lost in total)";
    }
}
