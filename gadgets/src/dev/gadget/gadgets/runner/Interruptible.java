package dev.gadget.gadgets.runner;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A wait that {@link #stop} cuts short, from any thread; once stopped, every wait returns at once. */
final class Interruptible {
    private final CountDownLatch stopped = new CountDownLatch(1);

    /** Waits up to {@code nanos}; true if stopped meanwhile or before. */
    boolean sleep(long nanos) {
        try {
            return stopped.await(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    void stop() {
        stopped.countDown();
    }

    boolean isStopped() {
        return stopped.getCount() == 0;
    }
}
