package dev.gadget.bench.drain;

/** One way of reading the benchmark's ring; it runs on the consumer CPU. */
sealed interface DrainConsumer extends AutoCloseable permits JavaReader, LibbpfC, LibbpfJnaCallback {

    /** The row label in the report. */
    String label();

    /** Starts reading records as they come. */
    void startStreaming();

    /** Reads what is left once the producer has stopped, stops, and returns what it saw. */
    Tally stopStreaming();

    /** Reads a full ring until it is empty (nobody produces meanwhile), timing just that. */
    Tally drainOnce();

    @Override
    void close();
}
