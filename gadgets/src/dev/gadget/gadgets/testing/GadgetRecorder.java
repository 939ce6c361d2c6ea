package dev.gadget.gadgets.testing;

import dev.gadget.gadgets.containers.ContainerRegistry;
import dev.gadget.gadgets.containers.HostRoot;
import dev.gadget.gadgets.model.ContainerSelection;
import dev.gadget.gadgets.model.FieldSpec;
import dev.gadget.gadgets.model.ParamValues;
import dev.gadget.gadgets.model.RunMessage;
import dev.gadget.gadgets.runner.Gadget;
import dev.gadget.gadgets.runner.Run;
import dev.gadget.gadgets.runner.RunSink;
import dev.gadget.gadgets.runner.Runs;
import dev.gadget.gadgets.model.RowView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Runs a gadget of any kind on its own thread, as a front end would, and keeps everything it emits
 * (rows read by field name), for tests to wait on and inspect.
 */
public final class GadgetRecorder implements AutoCloseable {
    /** Long enough for a loaded CI machine; a test waits this long only when what it waits for never comes. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final ContainerRegistry ownRegistry;
    private final List<FieldSpec> fields;
    private final Run run;
    private final Thread runner;
    private final List<RunMessage> messages = new ArrayList<>();
    private volatile RuntimeException failure;

    /** Runs with these parameter values (as a user types them), everything selected, a container registry of its own. */
    public GadgetRecorder(Gadget gadget, Map<String, String> params) {
        this(gadget, params, ContainerRegistry.start(HostRoot.SELF), ContainerSelection.EVERYTHING, true);
    }

    /** Runs on what {@code selection} picks, naming containers through a registry the caller owns. */
    public GadgetRecorder(Gadget gadget, Map<String, String> params, ContainerRegistry containers,
            ContainerSelection selection) {
        this(gadget, params, containers, selection, false);
    }

    private GadgetRecorder(Gadget gadget, Map<String, String> params, ContainerRegistry containers,
            ContainerSelection selection, boolean ownsRegistry) {
        ownRegistry = ownsRegistry ? containers : null;
        ParamValues values = gadget.description().parseParams(params);
        fields = gadget.description().fieldsFor(values);
        RunSink sink = message -> {
            synchronized (messages) {
                messages.add(message);
                messages.notifyAll();
            }
        };
        try {
            run = Runs.start(gadget, values, selection, containers, sink);
        } catch (RuntimeException e) {
            if (ownsRegistry) {
                containers.close();
            }
            throw e;
        }
        runner = Thread.ofPlatform().name("gadget-recorder").start(() -> {
            try {
                run.run(null);
            } catch (RuntimeException e) {
                failure = e;
            }
            synchronized (messages) {
                messages.notifyAll();
            }
        });
    }

    /** The first event matching {@code match}, waiting for it if need be; fails if it never comes. */
    public RowView awaitEvent(Predicate<RowView> match) throws InterruptedException {
        return await(() -> events().stream().filter(match).findFirst().orElse(null), "event");
    }

    /** The first table with a row matching {@code match}; that row. */
    public RowView awaitRow(Predicate<RowView> match) throws InterruptedException {
        return await(() -> tables().stream().flatMap(List::stream).filter(match).findFirst().orElse(null), "table row");
    }

    /** Every event so far. */
    public List<RowView> events() {
        return of(RunMessage.Event.class).stream().map(e -> new RowView(fields, e.values())).toList();
    }

    /** Every table so far, each a list of rows. */
    public List<List<RowView>> tables() {
        return of(RunMessage.Table.class).stream()
                .map(t -> t.rows().stream().map(r -> new RowView(fields, r)).toList()).toList();
    }

    /** Events reported lost so far. */
    public long lost() {
        return of(RunMessage.Lost.class).stream().mapToLong(RunMessage.Lost::count).sum();
    }

    public List<RunMessage.Notice> notices() {
        return of(RunMessage.Notice.class);
    }

    public List<FieldSpec> fields() {
        return fields;
    }

    /** The run as the runner holds it (e.g. to ask a trace what its filter kept out). */
    public Run run() {
        return run;
    }

    /** Stops the run and waits until it emitted what it had (a profile's report, a trace's last events). */
    public void stop() throws InterruptedException {
        run.stop();
        runner.join();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        run.close();
        if (ownRegistry != null) {
            ownRegistry.close();
        }
        if (failure != null) {
            throw new AssertionError("the run failed", failure);
        }
    }

    private <M extends RunMessage> List<M> of(Class<M> type) {
        synchronized (messages) {
            return messages.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    private interface Lookup {
        RowView find();
    }

    private RowView await(Lookup lookup, String what) throws InterruptedException {
        long giveUp = System.nanoTime() + PATIENCE.toNanos();
        synchronized (messages) {
            while (true) {
                RowView found = lookup.find();
                if (found != null) {
                    return found;
                }
                if (failure != null) {
                    throw new AssertionError("the run failed", failure);
                }
                long left = giveUp - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no matching " + what + " within " + PATIENCE + " among "
                            + messages.size() + " messages (" + lost() + " events lost)");
                }
                messages.wait(Math.max(1, left / 1_000_000));
            }
        }
    }
}
