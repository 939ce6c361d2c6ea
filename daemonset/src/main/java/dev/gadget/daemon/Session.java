package dev.gadget.daemon;

import dev.gadget.gadgets.containers.CgroupFilter;
import dev.gadget.gadgets.containers.ContainerRegistry;
import dev.gadget.gadgets.model.ContainerSelection;
import dev.gadget.gadgets.model.GadgetDescription;
import dev.gadget.gadgets.model.ParamValues;
import dev.gadget.gadgets.model.RunMessage;
import dev.gadget.gadgets.model.RunRequest;
import dev.gadget.gadgets.runner.Gadget;
import dev.gadget.gadgets.runner.Run;
import dev.gadget.gadgets.runner.Runs;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client's run of one gadget: the run on a thread of its own (its own BPF object, ring and
 * reader), the client's bounded queue, and the writer that streams the queue to the client on the
 * thread of the client's request. The run never waits for the client. When the client goes away (a
 * write fails; the heartbeat makes one happen at least every {@value #HEARTBEAT_MILLIS} ms) the run
 * is stopped and its BPF released at once.
 */
final class Session {
    /** How long a stream stays silent at most: an empty line then tells the client (and us) the other side is there. */
    static final long HEARTBEAT_MILLIS = 200;
    private static final byte[] HEARTBEAT = {'\n'};
    private static final Logger LOG = Logger.getLogger(Session.class.getName());

    final String id;
    final GadgetDescription gadget;
    final RunRequest request;
    final Instant startedAt = Instant.now();
    private final GadgetCounters counters;
    private final ClientQueue queue;
    private final Run run;
    private final Thread runner;
    private final CountDownLatch ended = new CountDownLatch(1);
    private ContainerSelection selection;
    /** The run's count of events its filter kept out, once its BPF is released (then it cannot be asked). */
    private long filteredAtEnd = -1;

    private Session(String id, GadgetDescription gadget, RunRequest request, GadgetCounters counters, ClientQueue queue,
            Run run, Consumer<Session> onEnd) {
        this.id = id;
        this.gadget = gadget;
        this.request = request;
        this.counters = counters;
        this.queue = queue;
        this.run = run;
        this.selection = request.containers();
        Duration timeout = request.timeoutSeconds() == 0 ? null : Duration.ofSeconds(request.timeoutSeconds());
        this.runner = Thread.ofPlatform().name("run-" + id.substring(0, 8)).unstarted(() -> work(timeout, onEnd));
    }

    /**
     * Loads and attaches the gadget (Started is then the first line of its queue); {@link #begin} then
     * starts its thread, and {@code onEnd} hears when the run is over and its BPF released. Throws if
     * the gadget cannot start, having released what it took.
     */
    static Session load(String id, Gadget gadget, ParamValues values, RunRequest request, ContainerRegistry registry,
            GadgetCounters counters, ClientQueue queue, Consumer<Session> onEnd) {
        Run run = Runs.start(gadget, values, request.containers(), registry, queue);
        return new Session(id, gadget.description(), request, counters, queue, run, onEnd);
    }

    /** A loaded session that will not run after all: releases its BPF. */
    void discard() {
        run.close();
    }

    void begin() {
        counters.sessionsStarted.increment();
        counters.sessionsRunning.incrementAndGet();
        counters.filtering(this);
        runner.start();
        LOG.info(() -> "session " + id + ": " + gadget.id() + " started for " + describe(request.containers()));
    }

    /**
     * Streams the queue to the client until the End is written or the client is gone; on the thread of
     * the client's request. Writes are flushed whenever the queue is empty, so nothing lingers in buffers.
     */
    void stream(OutputStream out) {
        String gone = "the stream ended without its End";
        try {
            while (true) {
                ClientQueue.Line line = queue.take(HEARTBEAT_MILLIS);
                if (line == null) {
                    out.write(HEARTBEAT);
                    out.flush();
                    continue;
                }
                out.write(line.bytes());
                switch (line.kind()) {
                    case EVENT -> counters.eventsSent.increment();
                    case TABLE -> counters.tablesSent.increment();
                    case NOTICE, STATUS, END -> {
                    }
                }
                if (line.kind() == ClientQueue.Kind.END) {
                    out.flush();
                    gone = null;
                    return;
                }
                if (queue.isEmpty()) {
                    out.flush();
                }
            }
        } catch (IOException e) {
            gone = oneLine(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            gone = "the daemon is stopping";
        } finally {
            if (gone != null) { // also when this thread fails (out of heap): the run must not go on for nobody
                clientGone(gone);
            }
        }
    }

    /** Ends the run soon, from any thread: what it has is still emitted, then its End. */
    void stop() {
        run.stop();
    }

    /** Changes the containers traced; within the filter mode the run loaded with, else a 409. */
    synchronized void select(ContainerSelection next) {
        if (!CgroupFilter.canSwitch(selection, next)) {
            throw ApiError.conflict("containers: this run started with selection type '" + typeOf(selection) + "', whose"
                    + " filter mode is fixed when the gadget loads; it can change to the same type"
                    + (selection.listsContainers() ? " or between 'named' and 'ids'" : "")
                    + " only: start a new run for '" + typeOf(next) + "'");
        }
        run.select(next);
        selection = next;
        LOG.info(() -> "session " + id + ": now traces " + describe(next));
    }

    synchronized ContainerSelection selection() {
        return selection;
    }

    /** Waits up to {@code patience} for the run to be over and its BPF released; whether it is. */
    boolean awaitEnd(Duration patience) throws InterruptedException {
        return ended.await(patience.toNanos(), TimeUnit.NANOSECONDS);
    }

    long dropped() {
        return queue.dropped();
    }

    long queuedBytes() {
        return queue.queuedBytes();
    }

    /** Nobody reads the stream any more: the run stops and releases its BPF, what it emits is dropped. */
    void clientGone(String why) {
        queue.abandon();
        run.stop();
        LOG.info(() -> "session " + id + ": the client is gone (" + why + "): stopping");
    }

    /** The run's thread: runs, releases the BPF, then queues the End. */
    private void work(Duration timeout, Consumer<Session> onEnd) {
        RunMessage.End end = RunMessage.End.NORMAL;
        try {
            run.run(timeout);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "session " + id + ": " + gadget.id() + " failed: " + e.getMessage(), e);
            end = new RunMessage.End(gadget.id() + " failed: " + oneLine(e));
        } catch (OutOfMemoryError e) {
            queue.discardQueued(); // what its client had waiting goes first: the daemon and its other sessions live on
            end = new RunMessage.End(gadget.id() + " stopped: " + Heap.outOfHeap());
            LOG.warning("session " + id + ": " + end.error());
        }
        counters.filteringEnded(this, filteredAtEnd());
        try {
            run.close();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "session " + id + ": releasing " + gadget.id() + ": " + e.getMessage(), e);
            if (!end.failed()) {
                end = new RunMessage.End("releasing " + gadget.id() + ": " + oneLine(e));
            }
        }
        queue.emit(end);
        counters.sessionsRunning.decrementAndGet();
        onEnd.accept(this);
        ended.countDown();
        RunMessage.End last = end;
        LOG.info(() -> "session " + id + ": " + gadget.id() + " ended" + (last.failed() ? " (" + last.error() + ")" : "")
                + ", " + queue.dropped() + " messages dropped for its client");
    }

    /** What the run's container filter kept out in the kernel so far (from any thread, until its BPF is released). */
    synchronized long filteredInKernel() {
        return filteredAtEnd >= 0 ? filteredAtEnd : run.filteredInKernel();
    }

    private synchronized long filteredAtEnd() {
        filteredAtEnd = run.filteredInKernel();
        return filteredAtEnd;
    }

    static String oneLine(Throwable e) {
        String message = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
        return message.replace('\n', ' ');
    }

    private static String typeOf(ContainerSelection selection) {
        return switch (selection) {
            case ContainerSelection.Everything e -> "everything";
            case ContainerSelection.HostOnly h -> "host";
            case ContainerSelection.Named n -> "named";
            case ContainerSelection.Ids i -> "ids";
        };
    }

    private static String describe(ContainerSelection selection) {
        return switch (selection) {
            case ContainerSelection.Everything e -> "every process";
            case ContainerSelection.HostOnly h -> "host processes";
            case ContainerSelection.Named(var names) -> "containers named " + names;
            case ContainerSelection.Ids(var ids) -> ids.size() + " container ids";
        };
    }
}
