package dev.gadget.daemon;

/**
 * How long this JVM was kept from running, measured while a timing is taken: a thread that asks to
 * wake every few milliseconds notes how late it woke. A timing taken while the machine held the JVM
 * up for long says nothing about the code timed.
 */
final class StallWatch implements AutoCloseable {
    private static final long TICK_NANOS = 2_000_000;

    private final Thread thread;
    private volatile boolean stopped;
    private volatile long longestStallNanos;

    private StallWatch() {
        thread = Thread.ofPlatform().daemon().name("stall-watch").unstarted(this::watch);
    }

    static StallWatch start() {
        StallWatch watch = new StallWatch();
        watch.thread.start();
        return watch;
    }

    long longestStallNanos() {
        return longestStallNanos;
    }

    private void watch() {
        long last = System.nanoTime();
        while (!stopped) {
            try {
                Thread.sleep(TICK_NANOS / 1_000_000);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            longestStallNanos = Math.max(longestStallNanos, now - last - TICK_NANOS);
            last = now;
        }
    }

    @Override
    public void close() {
        stopped = true;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
