package dev.gadget.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT), SIGTERM and SIGHUP end a command normally: installed first thing in main, so a signal
 * that comes while the command still starts is not lost. The hook asks the running work to stop, waits
 * until main has released every BPF object, link and mapping and knows its exit status, then exits
 * with that status (0 for a trace that was simply stopped).
 */
public final class StopOnShutdown {
    /** If cleanup hangs, exit anyway: the kernel frees what a dead process held. */
    private static final long CLEANUP_SECONDS = 10;
    private static StopOnShutdown installed;

    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook = new Thread(this::shutdown, "gadget-shutdown");
    private Runnable stop;
    private boolean requested;
    private volatile int status;

    private StopOnShutdown() {
    }

    public static synchronized void install() {
        if (installed == null) {
            installed = new StopOnShutdown();
            Runtime.getRuntime().addShutdownHook(installed.hook);
        }
    }

    /** What stops the work; runs at once if a signal came already. A no-op outside the gadget command (tests). */
    public static void onShutdown(Runnable action) {
        StopOnShutdown self;
        synchronized (StopOnShutdown.class) {
            self = installed;
        }
        if (self != null) {
            self.register(action);
        }
    }

    /** The command is done, its resources released: exit with {@code status}, through the hook if it runs. */
    public static void exit(int status) {
        StopOnShutdown self;
        synchronized (StopOnShutdown.class) {
            self = installed;
        }
        if (self != null) {
            self.status = status;
            self.finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(self.hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it exits with the status once it sees the command finished
                return;
            }
        }
        System.exit(status);
    }

    private synchronized void register(Runnable action) {
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
            finished.await(CLEANUP_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Runtime.getRuntime().halt(status);
    }
}
