package dev.gadget.daemon;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * gadget-daemon: serves the gadget API on this node until SIGTERM (or SIGINT), then stops every
 * session (each client gets its End), releases all BPF and exits 0. A command line or a start that
 * fails is one line on stderr and exit status 2 or 1.
 */
public final class Main {
    static final int FAILED = 1;
    static final int USAGE = 2;

    private Main() {
    }

    public static void main(String[] args) {
        Thread.setDefaultUncaughtExceptionHandler(Main::uncaught);
        Shutdown shutdown = Shutdown.install();
        DaemonOptions.Command command;
        try {
            command = DaemonOptions.parse(Arrays.asList(args), System.getenv());
        } catch (DaemonOptions.UsageException e) {
            shutdown.failed();
            fail(System.err, e.getMessage() + " (see --help)", USAGE);
            return;
        }
        switch (command) {
            case DaemonOptions.Help h -> {
                System.out.print(DaemonOptions.USAGE);
                shutdown.failed();
                System.exit(0);
            }
            case DaemonOptions.Version v -> {
                System.out.println("gadget-daemon " + Daemon.version() + ", protocol " + Api.PROTOCOL_VERSION);
                shutdown.failed();
                System.exit(0);
            }
            case DaemonOptions.Serve serve -> serve(serve.options(), shutdown);
        }
    }

    private static void serve(DaemonOptions options, Shutdown shutdown) {
        DaemonLogging.configure(options.verbose());
        Daemon daemon;
        try {
            daemon = Daemon.start(options);
        } catch (RuntimeException e) {
            shutdown.failed();
            fail(System.err, "starting: " + Session.oneLine(e), e instanceof DaemonOptions.UsageException ? USAGE : FAILED);
            return;
        }
        shutdown.started(daemon);
        try {
            new CountDownLatch(1).await(); // until the shutdown hook halts the JVM
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Heap kept back for the last line of a daemon out of heap. */
    private static byte[] reserve = new byte[256 * 1024];

    /**
     * A thread that failed where nothing caught it. Out of heap there, the daemon may have lost a thread
     * it cannot live without (the one accepting connections): it exits, one line saying why, and its pod
     * restarts it (the kernel releases the BPF of a process that ends). Anything else is logged, once.
     */
    private static void uncaught(Thread thread, Throwable e) {
        if (e instanceof OutOfMemoryError) {
            reserve = null; // the line below allocates too: out of heap, it would fail unsaid
            try {
                System.err.println("gadget-daemon: exiting: thread " + thread.getName() + ": " + Heap.outOfHeap());
                System.err.flush();
            } finally {
                Runtime.getRuntime().halt(FAILED);
            }
        }
        Logger.getLogger(Main.class.getName()).log(Level.SEVERE, "thread " + thread.getName() + " failed: "
                + Session.oneLine(e), e);
    }

    private static void fail(PrintStream err, String message, int status) {
        err.println("gadget-daemon: " + message);
        err.flush();
        System.exit(status);
    }

    /**
     * SIGTERM, SIGINT, SIGHUP: the JVM runs this hook. It waits for a start under way, closes the daemon
     * (every session ended, every BPF object released) and exits 0. Installed before anything starts,
     * so that a signal during the start is not lost.
     */
    private static final class Shutdown {
        private Daemon daemon;
        private boolean starting = true;

        static Shutdown install() {
            Shutdown shutdown = new Shutdown();
            Runtime.getRuntime().addShutdownHook(new Thread(shutdown::stop, "gadget-daemon-shutdown"));
            return shutdown;
        }

        synchronized void started(Daemon started) {
            daemon = started;
            starting = false;
            notifyAll();
        }

        /** Nothing to stop: the JVM exits with the status main gives. */
        synchronized void failed() {
            starting = false;
            notifyAll();
        }

        private void stop() {
            Daemon toClose;
            synchronized (this) {
                while (starting) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                toClose = daemon;
            }
            if (toClose != null) {
                toClose.close();
                // The log's handlers may be closed by now (the logging system has a shutdown hook of its own).
                System.err.println("gadget-daemon: stopped: every session ended, all BPF released");
                System.err.flush();
                Runtime.getRuntime().halt(0);
            }
        }
    }
}
