package dev.gadget.gadgets.containers;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Which container each cgroup belongs to, kept current as the kernel creates and removes cgroups.
 * Events are resolved by the cgroup id they carry, not through /proc, so a process that exited long
 * ago still finds its container. Entries of removed cgroups are forgotten a little later, once events
 * still in flight had their chance.
 */
public final class ContainerRegistry implements ContainerLookup, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ContainerRegistry.class.getName());
    private static final long FORGET_AFTER_NANOS = 10_000_000_000L;
    /** A container cgroup whose runtime state is not written yet is looked up again for this long. */
    private static final long RETRY_UNRESOLVED_NANOS = 30_000_000_000L;
    /**
     * The watcher wakes the registry itself for each change; the poll's timeout only paces the retries of
     * containers not resolved yet (often, while there are some) and the forgetting (once a second).
     */
    private static final int POLL_MILLIS = 1000;
    private static final int RETRY_POLL_MILLIS = 200;

    /** Hears of container cgroups; called on the registry's thread or the caller's, possibly twice. */
    public interface Listener {
        void added(long cgroupId, Container container);

        void removed(long cgroupId, Container container);
    }

    private final HostRoot host;
    private final ContainerStores stores;
    private final Map<Long, Optional<Container>> byCgroup = new ConcurrentHashMap<>();
    private final Map<Long, Long> removedAt = new ConcurrentHashMap<>();
    private final Map<Long, Long> unresolvedSince = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch started = new CountDownLatch(1);
    private final Thread thread;
    /** Set by the registry's thread before {@link #started} opens, never after. */
    private Optional<CgroupHierarchy> hierarchy = Optional.empty();
    private CgroupWatcher watcher;
    private RuntimeException startFailure;
    private volatile boolean closed;

    private ContainerRegistry(HostRoot host) {
        this.host = host;
        this.stores = new ContainerStores(host);
        this.thread = Thread.ofPlatform().daemon().name("container-registry").unstarted(this::run);
    }

    /**
     * Starts watching cgroups, then learns the ones that exist; needs BPF (the watcher is a BPF program).
     * This happens on the registry's own thread, while the caller goes on (loading its gadget, say):
     * {@link #available}, {@link #find} and {@link #addListener} wait until it is done, and throw what
     * made it fail.
     */
    public static ContainerRegistry start(HostRoot host) {
        ContainerRegistry registry = new ContainerRegistry(host);
        registry.thread.start();
        return registry;
    }

    /** Where the host's file systems are seen from here. */
    public HostRoot host() {
        return host;
    }

    /** Whether containers can be told apart on this host at all (it has cgroup v2). */
    public boolean available() {
        awaitStarted();
        return hierarchy.isPresent();
    }

    @Override
    public Optional<Container> find(long cgroupId) {
        awaitStarted();
        Optional<Container> container = byCgroup.get(cgroupId);
        if (container == null) {
            container = hierarchy.flatMap(h -> h.pathOf(cgroupId)).map(path -> learn(cgroupId, path))
                    .orElseGet(() -> forgetLater(cgroupId));
        }
        return container;
    }

    /** Tells {@code listener} of every container cgroup there is, then of each change. */
    public void addListener(Listener listener) {
        awaitStarted();
        listeners.add(listener);
        byCgroup.forEach((id, container) -> {
            if (container.isPresent() && !removedAt.containsKey(id)) {
                listener.added(id, container.get());
            }
        });
    }

    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    @Override
    public void close() {
        closed = true;
        awaitStartedQuietly();
        if (watcher != null) {
            watcher.wakeup();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (watcher != null) {
            watcher.close();
        }
        hierarchy.ifPresent(CgroupHierarchy::close);
    }

    private void run() {
        try {
            begin();
        } catch (RuntimeException e) {
            startFailure = e;
            return;
        } finally {
            started.countDown();
        }
        watch();
    }

    /** The watcher first, then the scan: a cgroup made meanwhile is in the watcher's ring. */
    private void begin() {
        hierarchy = CgroupHierarchy.find(host);
        if (hierarchy.isEmpty()) {
            LOG.warning("no cgroup v2 hierarchy under " + host.resolve("/sys/fs/cgroup")
                    + ": events cannot be attributed to containers");
        }
        try {
            watcher = CgroupWatcher.start();
            rescan();
        } catch (RuntimeException e) {
            if (watcher != null) {
                watcher.close();
                watcher = null;
            }
            hierarchy.ifPresent(CgroupHierarchy::close);
            hierarchy = Optional.empty();
            throw e;
        }
    }

    /** Waits until the registry knows the cgroups there are; throws what made its start fail. */
    public void awaitStarted() {
        awaitStartedQuietly();
        if (startFailure != null) {
            throw startFailure;
        }
    }

    private void awaitStartedQuietly() {
        boolean interrupted = false;
        while (true) {
            try {
                started.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void watch() {
        CgroupWatcher.Listener changes = new CgroupWatcher.Listener() {
            @Override
            public void created(long id, String path) {
                learn(id, path);
            }

            @Override
            public void removed(long id, String path) {
                forgetLater(id);
            }

            @Override
            public void missed() {
                LOG.warning("missed cgroup changes (the watcher's ring was full): looking at every cgroup again");
                rescan();
            }
        };
        String lastFailure = null;
        while (!closed) {
            try {
                watcher.poll(unresolvedSince.isEmpty() ? POLL_MILLIS : RETRY_POLL_MILLIS, changes);
                retryUnresolved();
                forgetRemoved();
                lastFailure = null;
            } catch (RuntimeException e) {
                // One failed round (out of file descriptors, say) must not end the watching for good: said once, retried.
                if (!String.valueOf(e.getMessage()).equals(lastFailure)) {
                    lastFailure = String.valueOf(e.getMessage());
                    LOG.log(Level.WARNING, "watching containers: " + e.getMessage() + ": trying again", e);
                }
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private Optional<Container> learn(long id, String path) {
        Optional<ContainerCgroup> cgroup = CgroupPaths.container(path);
        Optional<Container> named = cgroup.flatMap(stores::find);
        if (cgroup.isPresent() && named.isEmpty()) {
            unresolvedSince.putIfAbsent(id, System.nanoTime());
        } else {
            unresolvedSince.remove(id);
        }
        // Until (or unless) the runtime's state says more, a path that names its runtime still gives the id.
        Optional<Container> container = named.or(() -> cgroup.flatMap(ContainerRegistry::fromPathAlone));
        Optional<Container> before = byCgroup.put(id, container);
        if (container.isPresent() && !container.equals(before)) {
            notifyListeners(l -> l.added(id, container.get()));
        }
        return container;
    }

    private static Optional<Container> fromPathAlone(ContainerCgroup cgroup) {
        return cgroup.runtime().map(runtime -> new Container(runtime, cgroup.containerId(), "", "", "", "",
                cgroup.podUid()));
    }

    private void rescan() {
        hierarchy.ifPresent(h -> {
            Map<Long, String> now = h.scan();
            now.forEach((id, path) -> {
                if (!byCgroup.containsKey(id)) {
                    learn(id, path);
                }
            });
            new HashMap<>(byCgroup).keySet().stream().filter(id -> !now.containsKey(id)).forEach(this::forgetLater);
        });
    }

    /** A cgroup that is gone: listeners hear of it now, lookups still answer for a while. */
    private Optional<Container> forgetLater(long id) {
        Optional<Container> container = byCgroup.computeIfAbsent(id, unknown -> Optional.empty());
        if (removedAt.putIfAbsent(id, System.nanoTime()) == null) {
            unresolvedSince.remove(id);
            container.ifPresent(c -> notifyListeners(l -> l.removed(id, c)));
        }
        return container;
    }

    private void forgetRemoved() {
        long now = System.nanoTime();
        removedAt.forEach((id, when) -> {
            if (now - when > FORGET_AFTER_NANOS) {
                removedAt.remove(id);
                byCgroup.remove(id);
            }
        });
    }

    private void retryUnresolved() {
        long now = System.nanoTime();
        unresolvedSince.forEach((id, since) -> {
            if (now - since > RETRY_UNRESOLVED_NANOS) {
                unresolvedSince.remove(id);
            } else {
                hierarchy.flatMap(h -> h.pathOf(id)).ifPresent(path -> learn(id, path));
            }
        });
    }

    /** One failing listener must not starve the others, nor stop the registry's thread. */
    private void notifyListeners(Consumer<Listener> call) {
        for (Listener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a container listener failed: " + e.getMessage(), e);
            }
        }
    }

}
