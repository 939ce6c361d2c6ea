package dev.gadget.gadgets.testing;

import dev.gadget.gadgets.EventSink;
import dev.gadget.gadgets.GadgetEvent;
import dev.gadget.gadgets.ParamValues;
import dev.gadget.gadgets.TraceGadget;
import dev.gadget.gadgets.TraceSession;
import dev.gadget.gadgets.containers.ContainerRegistry;
import dev.gadget.gadgets.containers.ContainerSelection;
import dev.gadget.gadgets.containers.HostRoot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/** Runs a trace gadget on its own thread and keeps every event, for tests to wait on and inspect. */
public final class TraceRecorder<E extends GadgetEvent> implements AutoCloseable {
    /** Long enough for a loaded CI machine; a test waits this long only when its event never comes. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final ContainerRegistry ownRegistry;
    private final TraceSession<E> session;
    private final Thread reader;
    private final List<E> events = new ArrayList<>();
    private final AtomicLong lost = new AtomicLong();
    private volatile RuntimeException failure;

    /** Traces everything, with a container registry of its own. */
    public TraceRecorder(TraceGadget<E> gadget, ParamValues values) {
        this(gadget, values, ContainerRegistry.start(HostRoot.SELF), ContainerSelection.EVERYTHING, true);
    }

    /** Traces what {@code selection} picks, naming containers through a registry the caller owns. */
    public TraceRecorder(TraceGadget<E> gadget, ParamValues values, ContainerRegistry containers,
            ContainerSelection selection) {
        this(gadget, values, containers, selection, false);
    }

    private TraceRecorder(TraceGadget<E> gadget, ParamValues values, ContainerRegistry containers,
            ContainerSelection selection, boolean ownsRegistry) {
        ownRegistry = ownsRegistry ? containers : null;
        try {
            session = TraceSession.start(gadget, values, containers, selection);
        } catch (RuntimeException e) {
            if (ownsRegistry) {
                containers.close();
            }
            throw e;
        }
        reader = Thread.ofPlatform().name("trace-recorder").start(() -> {
            try {
                session.run(new EventSink<>() {
                    @Override
                    public void onEvent(E event) {
                        synchronized (events) {
                            events.add(event);
                            events.notifyAll();
                        }
                    }

                    @Override
                    public void onLost(long count) {
                        lost.addAndGet(count);
                    }
                }, null);
            } catch (RuntimeException e) {
                failure = e;
            }
        });
    }

    /** The first event matching {@code match}, waiting for it if need be; fails if it never comes. */
    public E await(Predicate<E> match) throws InterruptedException {
        long giveUp = System.nanoTime() + PATIENCE.toNanos();
        synchronized (events) {
            while (true) {
                for (E event : events) {
                    if (match.test(event)) {
                        return event;
                    }
                }
                if (failure != null) {
                    throw new AssertionError("the trace failed", failure);
                }
                long left = giveUp - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no matching event within " + PATIENCE + " among " + events.size()
                            + " events (" + lost.get() + " lost)");
                }
                events.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    public List<E> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    public long lost() {
        return lost.get();
    }

    public long filteredInKernel() {
        return session.filteredInKernel();
    }

    @Override
    public void close() throws InterruptedException {
        session.stop();
        reader.join();
        session.close();
        if (ownRegistry != null) {
            ownRegistry.close();
        }
        if (failure != null) {
            throw new AssertionError("the trace failed", failure);
        }
    }
}
