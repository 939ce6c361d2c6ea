package dev.gadget.gadgets.runner;

import dev.gadget.gadgets.model.RunMessage;

/** Where a run's messages go: a printer in the CLI, a client's queue in the daemon. */
public interface RunSink {

    void emit(RunMessage message);

    /** The messages so far form a batch (the ring is empty for now): a good moment to flush output. */
    default void flush() {
    }

    /** Whether nobody receives the messages any more (closed output, gone client): the run then stops. */
    default boolean gone() {
        return false;
    }
}
