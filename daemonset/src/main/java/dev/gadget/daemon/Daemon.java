package dev.gadget.daemon;

import com.sun.net.httpserver.HttpServer;
import dev.gadget.gadgets.catalog.Catalog;
import dev.gadget.gadgets.containers.ContainerRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * The daemon of one node: its container registry (one, shared by every session; none where BPF cannot load), its sessions, its
 * metrics, and the HTTP servers of its API (loopback) and, optionally, of its metrics (the pod's address).
 */
final class Daemon implements AutoCloseable {
    /** Requests that are not streams (info, metrics, deletes) need a few threads beyond the sessions'. */
    private static final int SPARE_THREADS = 16;
    private static final Duration STOP_PATIENCE = Duration.ofSeconds(10);
    /** After every End is queued, how long writers get to hand it to their clients. */
    private static final int FLUSH_SECONDS = 1;
    private static final Logger LOG = Logger.getLogger(Daemon.class.getName());

    private final Optional<ContainerRegistry> registry;
    private final Sessions sessions;
    private final ExecutorService threads;
    private final HttpServer api;
    private final Optional<HttpServer> metricsServer;
    private boolean closed;

    private Daemon(Optional<ContainerRegistry> registry, Sessions sessions, ExecutorService threads, HttpServer api,
            Optional<HttpServer> metricsServer) {
        this.registry = registry;
        this.sessions = sessions;
        this.threads = threads;
        this.api = api;
        this.metricsServer = metricsServer;
    }

    /**
     * Starts the servers and, if BPF loads on this node, the container registry; else it serves all the
     * same, saying why no gadget can run (its log, /v1/info, each run's 500), so that a pod missing a
     * capability stays up to tell, instead of restarting in a loop. Anything else that fails stops
     * it all: a UsageException for an address. The ports are taken first, before any BPF loads.
     */
    static Daemon start(DaemonOptions options) {
        HttpServer api = bind("--listen", options.listen());
        Optional<HttpServer> metricsServer = Optional.empty();
        Optional<ContainerRegistry> registry = Optional.empty();
        ExecutorService threads = null;
        try {
            if (options.metricsListen().isPresent()) {
                metricsServer = Optional.of(bind("--metrics-listen", options.metricsListen().get()));
            }
            String unavailable = "";
            try {
                ContainerRegistry started = ContainerRegistry.start(options.hostRoot());
                try {
                    started.awaitStarted();
                } catch (RuntimeException e) {
                    started.close();
                    throw e;
                }
                registry = Optional.of(started);
            } catch (RuntimeException e) {
                unavailable = Session.oneLine(e);
                LOG.severe("no gadget can run on node " + options.nodeName() + ": " + unavailable);
            }
            Api.Info info = new Api.Info(version(), Api.PROTOCOL_VERSION, options.nodeName(), kernelRelease(),
                    Files.exists(Path.of("/sys/kernel/btf/vmlinux")), registry.map(ContainerRegistry::available).orElse(false),
                    HookProbe.probeAll(), options.maxSessions(), options.clientQueueBytes(), Session.HEARTBEAT_MILLIS,
                    unavailable);
            Metrics metrics = new Metrics(Catalog.descriptions(), options.clientQueueBytes(), options.maxSessions(),
                    info.daemonVersion(), options.nodeName());
            Sessions sessions = new Sessions(options.maxSessions(), options.clientQueueBytes(), registry, metrics);
            threads = threads(options.maxSessions() + SPARE_THREADS);
            serve(api, Api.gadgets(info, sessions, metrics), threads);
            for (HttpServer server : metricsServer.stream().toList()) {
                serve(server, Api.metricsOnly(metrics), threads);
            }
            Daemon daemon = new Daemon(registry, sessions, threads, api, metricsServer);
            LOG.info("gadget daemon " + info.daemonVersion() + " on node " + options.nodeName() + ": API on "
                    + format(daemon.address()) + metricsServer.map(s -> ", metrics on " + format(s.getAddress())).orElse("")
                    + "; hooks: " + info.hooks().entrySet().stream().map(e -> e.getKey() + (e.getValue().works() ? "" : " (no)"))
                            .toList());
            Heap.startWarning(options.maxSessions(), options.clientQueueBytes()).ifPresent(LOG::warning);
            return daemon;
        } catch (RuntimeException e) {
            api.stop(0);
            metricsServer.ifPresent(server -> server.stop(0));
            if (threads != null) {
                threads.shutdownNow();
            }
            registry.ifPresent(ContainerRegistry::close);
            throw e;
        }
    }

    /** Where the gadget API listens (the port chosen, if 0 was asked). */
    InetSocketAddress address() {
        return api.getAddress();
    }

    Optional<InetSocketAddress> metricsAddress() {
        return metricsServer.map(HttpServer::getAddress);
    }

    /**
     * Stops every session (each client gets its End), waits for their BPF to be released, gives the
     * writers a moment to deliver the Ends, then closes the servers and the registry. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            sessions.stopAll(STOP_PATIENCE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        api.stop(FLUSH_SECONDS);
        metricsServer.ifPresent(server -> server.stop(0));
        threads.shutdownNow();
        registry.ifPresent(ContainerRegistry::close);
        LOG.info("gadget daemon stopped");
    }

    /** Takes the address now; the server answers once {@link #serve} gives it its handler. */
    private static HttpServer bind(String flag, InetSocketAddress address) {
        try {
            return HttpServer.create(address, 0);
        } catch (BindException e) {
            String message = String.valueOf(e.getMessage());
            String why = message.contains("in use") ? "the port is in use (EADDRINUSE): stop what listens there or give"
                    + " another port"
                    : message.contains("assign") ? "no interface here has that address (EADDRNOTAVAIL): give the pod's"
                            + " own address (status.podIP) or 0.0.0.0"
                    : message.contains("denied") ? "ports below 1024 need CAP_NET_BIND_SERVICE (EACCES): give a port"
                            + " above 1023"
                    : message;
            throw new DaemonOptions.UsageException(flag + " " + format(address) + ": " + why);
        } catch (IOException e) {
            throw new UncheckedIOException("listening on " + format(address) + " (" + flag + "): " + e.getMessage(), e);
        }
    }

    private static void serve(HttpServer server, Api handler, ExecutorService threads) {
        server.createContext("/", handler);
        server.setExecutor(threads);
        server.start();
    }

    private static ExecutorService threads(int count) {
        AtomicInteger number = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(count, count, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                task -> Thread.ofPlatform().daemon().name("http-" + number.incrementAndGet()).unstarted(task));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static String format(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    static String version() {
        try (InputStream in = Daemon.class.getResourceAsStream("daemon.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "(development build)");
        } catch (IOException e) {
            return "(development build)";
        }
    }

    private static String kernelRelease() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        } catch (IOException e) {
            return System.getProperty("os.version");
        }
    }
}
