package dev.gadget.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT), SIGTERM and SIGHUP end a trace normally: the shutdown hook asks the trace to stop,
 * waits until the main thread has released every BPF object, link and mapping, then exits with 0.
 */
final class StopOnShutdown implements AutoCloseable {
    /** If cleanup hangs, exit anyway: the kernel frees what a dead process held. */
    private static final long CLEANUP_SECONDS = 10;

    private final CountDownLatch released = new CountDownLatch(1);
    private final Thread hook = new Thread(this::shutdown, "gadget-shutdown");
    private Runnable stop;
    private boolean requested;

    StopOnShutdown() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** What stops the work; runs at once if the shutdown began already. */
    synchronized void onShutdown(Runnable action) {
        stop = action;
        if (requested) {
            action.run();
        }
    }

    private void shutdown() {
        synchronized (this) {
            requested = true;
            if (stop != null) {
                stop.run();
            }
        }
        try {
            released.await(CLEANUP_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Runtime.getRuntime().halt(0);
    }

    @Override
    public void close() {
        released.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running and ends the process once it sees the release
        }
    }
}
