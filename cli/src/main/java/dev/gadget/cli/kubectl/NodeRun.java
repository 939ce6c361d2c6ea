package dev.gadget.cli.kubectl;

import dev.gadget.cli.StatusText;
import dev.gadget.cli.Version;
import dev.gadget.gadgets.model.ContainerSelection;
import dev.gadget.gadgets.model.RunMessage;
import dev.gadget.gadgets.model.RunRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The run of a gadget on one node: its daemon's stream through the pod's port-forward, each message
 * named and enriched, into the merged output. The node's containers to trace are sent with the
 * request and again whenever the pods on the node change ({@link #containersChanged}). Whatever goes
 * wrong on this node is one line naming it; the other nodes go on.
 */
final class NodeRun {
    private final DaemonClient daemon;
    private final String node;
    private final RunRequest request;
    private final ClusterFields fields;
    private final Enricher enricher;
    private final PodIndex pods;
    private final ClusterOutput output;
    private final PrintWriter err;
    private final String gadget;
    private final boolean verbose;
    /** Selection changes, one at a time and in order, off the reader's and the informer's threads. */
    private final ExecutorService selections = Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("select-", 0).factory());
    private final AtomicBoolean selectionPending = new AtomicBoolean();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private volatile DaemonClient.RunStream stream;
    private volatile String session;
    private Set<String> selected;
    private volatile boolean failed;

    NodeRun(DaemonClient daemon, RunRequest request, ClusterFields fields, PodIndex pods, ClusterOutput output,
            PrintWriter err, boolean verbose) {
        this.daemon = daemon;
        this.node = daemon.pod().node();
        this.request = request;
        this.fields = fields;
        this.enricher = new Enricher(fields, pods, node);
        this.pods = pods;
        this.output = output;
        this.err = err;
        this.gadget = request.category() + " " + request.name();
        this.verbose = verbose;
    }

    String node() {
        return node;
    }

    boolean failed() {
        return failed;
    }

    /** On its own thread: connects, starts the run, streams it until its end; reports a failure in one line. */
    void run() {
        try {
            DaemonClient.Info info = daemon.info();
            if (info.protocolVersion() != DaemonClient.PROTOCOL_VERSION) {
                fail("its gadget daemon speaks protocol " + info.protocolVersion() + ", this plugin "
                        + DaemonClient.PROTOCOL_VERSION + ": use a plugin of the daemon's version (" + info.daemonVersion() + ")");
                return;
            }
            if (!Version.number().equals(Version.DEVELOPMENT) && !info.daemonVersion().equals(Version.number())) {
                err.println("warning: node " + node + ": its gadget daemon is version " + info.daemonVersion()
                        + ", this plugin " + Version.number() + ": it works, but deploy this version to match"
                        + " (kubectl gadget deploy)");
            }
            Set<String> ids = pods.containerIds(node);
            synchronized (this) {
                selected = ids;
            }
            stream = daemon.run(new RunRequest(request.category(), request.name(), request.params(),
                    new ContainerSelection.Ids(ids), request.timeoutSeconds()));
            session = stream.session();
            if (stopping.get()) {
                stopAtDaemon();
            }
            containersChanged(); // pods that changed while the run started
            read(new RunStreamReader(stream.response().body()));
        } catch (DaemonClient.Refused e) {
            fail("its gadget daemon refused the run: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            if (!stopping.get()) {
                fail("the gadget daemon (pod " + daemon.pod().name() + ") could not be reached: "
                        + PodConnection.describe(e));
            }
        } finally {
            output.ended(node);
            selections.shutdownNow();
            DaemonClient.RunStream open = stream;
            if (open != null) {
                open.close();
            }
        }
    }

    private void read(RunStreamReader reader) throws IOException {
        boolean ended = false;
        for (RunStreamReader.Message message = reader.next(); message != null; message = reader.next()) {
            switch (message) {
                case RunStreamReader.Row row -> output.event(enricher.enrich(row.values()));
                case RunStreamReader.Rows rows -> {
                    rows.rows().forEach(enricher::enrich);
                    output.table(node, rows.rows());
                }
                case RunStreamReader.Status(RunMessage status) -> ended = status(status, reader);
            }
            if (reader.drained()) {
                output.flush();
            }
            if (ended) {
                return;
            }
        }
        if (!stopping.get()) {
            String why = stream.connection().failure();
            fail("the stream broke before the run ended" + (why.isEmpty() ? "" : ": " + why));
        }
    }

    /** Handles a status message; whether it was the run's end. */
    private boolean status(RunMessage status, RunStreamReader reader) {
        switch (status) {
            case RunMessage.Started started -> {
                reader.mapping(fields.mapping(started.fields()));
                output.started();
            }
            case RunMessage.Lost lost -> err.println(StatusText.lost("node " + node + ": " + gadget, lost));
            case RunMessage.Notice notice -> {
                if (notice.level() == RunMessage.Notice.Level.WARNING) {
                    err.println("warning: node " + node + ": " + notice.message());
                } else if (verbose) {
                    err.println("node " + node + ": " + notice.message());
                }
            }
            case RunMessage.End end -> {
                if (end.failed()) {
                    fail(end.error());
                }
                return true;
            }
            case RunMessage.Event event -> throw new IllegalStateException("events are read as rows");
            case RunMessage.Table table -> throw new IllegalStateException("tables are read as rows");
        }
        return false;
    }

    /** The pods on this node changed: the daemon gets the new container ids (once the run has a session). */
    void containersChanged() {
        if (session == null || !selectionPending.compareAndSet(false, true)) {
            return;
        }
        try {
            selections.execute(this::sendSelection);
        } catch (java.util.concurrent.RejectedExecutionException ended) {
            selectionPending.set(false);
        }
    }

    private void sendSelection() {
        selectionPending.set(false);
        Set<String> ids = pods.containerIds(node);
        synchronized (this) {
            if (ids.equals(selected)) {
                return;
            }
            selected = ids;
        }
        try {
            daemon.select(session, new ContainerSelection.Ids(ids));
        } catch (IOException e) {
            if (!stopping.get()) {
                err.println("warning: node " + node + ": could not change the containers traced: "
                        + PodConnection.describe(e));
            }
        }
    }

    /** Asks the daemon to end the run (it sends what it still has, a profile its report, then the end). */
    void stop() {
        if (stopping.compareAndSet(false, true) && session != null) {
            stopAtDaemon();
        }
    }

    private void stopAtDaemon() {
        Thread.ofVirtual().name("stop-" + node).start(() -> {
            try {
                daemon.stop(session);
            } catch (IOException e) {
                close(); // the daemon cannot be asked: closing the stream stops the run there too
            }
        });
    }

    /** Ends the stream now: the daemon stops the run as its client is gone. */
    void close() {
        stopping.set(true);
        DaemonClient.RunStream open = stream;
        if (open != null) {
            open.close();
        }
    }

    private void fail(String why) {
        failed = true;
        err.println("Error: node " + node + ": " + why);
    }
}
