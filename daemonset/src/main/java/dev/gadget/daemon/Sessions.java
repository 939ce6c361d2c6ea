package dev.gadget.daemon;

import dev.gadget.gadgets.containers.ContainerRegistry;
import dev.gadget.gadgets.model.ParamValues;
import dev.gadget.gadgets.model.RunRequest;
import dev.gadget.gadgets.runner.Gadget;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sessions running now, at most a configured number; all share the daemon's one container
 * registry. A session leaves when its run is over and its BPF released.
 */
final class Sessions {
    private static final SecureRandom IDS = new SecureRandom();

    private final int max;
    /** Sessions whose full queues fit in the heap's half for queues: fewer than max under a small heap. */
    private final int heapAllows;
    private final long queueLimitBytes;
    /** Empty where BPF cannot load: then no session starts (the API says why before it gets here). */
    private final Optional<ContainerRegistry> registry;
    private final Metrics metrics;
    private final Map<String, Session> running = new ConcurrentHashMap<>();
    /** Slots taken, including sessions still loading. */
    private int taken;
    private boolean closing;

    Sessions(int max, long queueLimitBytes, Optional<ContainerRegistry> registry, Metrics metrics) {
        this.max = max;
        this.heapAllows = Heap.sessionsFor(queueLimitBytes);
        this.queueLimitBytes = queueLimitBytes;
        this.registry = registry;
        this.metrics = metrics;
    }

    /** Starts a session if there is room (else 429, or 503 while the daemon stops); throws if the gadget cannot start. */
    Session start(Gadget gadget, ParamValues values, RunRequest request) {
        synchronized (this) {
            if (closing) {
                throw new ApiError(503, "the daemon is stopping: try again once its pod is back");
            }
            if (taken >= max) {
                throw new ApiError(429, "this node runs " + max + " sessions already, the most it takes (--max-sessions):"
                        + " stop one (DELETE /v1/runs/{id}) or try again later");
            }
            if (taken >= heapAllows) {
                throw new ApiError(429, Heap.refusal(heapAllows, queueLimitBytes));
            }
            taken++;
        }
        try {
            String id = HexFormat.of().formatHex(randomBytes());
            GadgetCounters counters = metrics.gadget(gadget.description().id());
            StreamLines format = new StreamLines(gadget.description().fieldsFor(values));
            ClientQueue queue = new ClientQueue(queueLimitBytes, format, counters, metrics.queuedBytes,
                    metrics.peakQueuedBytes);
            ContainerRegistry containers = registry.orElseThrow(() -> new IllegalStateException(
                    "BPF cannot load on this node: no gadget can run (the daemon's log says why)"));
            Session session = Session.load(id, gadget, values, request, containers, counters, queue, this::ended);
            synchronized (this) {
                if (closing) {
                    session.discard();
                    throw new ApiError(503, "the daemon is stopping: try again once its pod is back");
                }
                running.put(id, session);
            }
            session.begin();
            return session;
        } catch (RuntimeException e) {
            release();
            throw e;
        }
    }

    Optional<Session> find(String id) {
        return Optional.ofNullable(running.get(id));
    }

    Collection<Session> all() {
        return List.copyOf(running.values());
    }

    /** Stops every session and waits up to {@code patience} for each to end; refuses new ones from now on. */
    void stopAll(Duration patience) throws InterruptedException {
        Collection<Session> sessions;
        synchronized (this) {
            closing = true;
            sessions = all();
        }
        sessions.forEach(Session::stop);
        long giveUp = System.nanoTime() + patience.toNanos();
        for (Session session : sessions) {
            session.awaitEnd(Duration.ofNanos(Math.max(0, giveUp - System.nanoTime())));
        }
    }

    private void ended(Session session) {
        running.remove(session.id);
        release();
    }

    private synchronized void release() {
        taken--;
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[16];
        IDS.nextBytes(bytes);
        return bytes;
    }
}
