package dev.gadget.gadgets;

/** Where a running trace delivers its events, and reports what it lost. */
public interface EventSink<E> {
    void onEvent(E event);

    /** {@code count} events were lost since the previous report (the kernel could not buffer them). */
    void onLost(long count);

    /** A batch of events was delivered and the ring is empty for now: a good moment to flush output. */
    default void onBatchEnd() {
    }
}
