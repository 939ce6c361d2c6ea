package dev.gadget.cli.kubectl;

import dev.gadget.cli.StopOnShutdown;
import dev.gadget.gadgets.model.RunRequest;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.Map;

/**
 * A gadget run across the cluster: one {@link NodeRun} per node that has a ready daemon, their
 * output merged, the pods to trace followed by a {@link PodIndex}. Ctrl-C, --timeout or a closed
 * output stop every node's run (each daemon sends what it has, then its end; a daemon that does not
 * end in time has its stream closed). Returns the exit status: 1 if any node failed.
 */
final class ClusterRun {
    /** After asking the daemons to stop, how long they have to end their runs before their streams are closed. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    /** Beyond --timeout, how long the daemons' own timeouts have to end their runs. */
    private static final Duration TIMEOUT_GRACE = Duration.ofSeconds(10);
    private static final long POLL_MILLIS = 100;

    private final Map<String, NodeRun> runs = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopRequested;

    private ClusterRun() {
    }

    /**
     * @param targets the nodes to run on, each with its daemon's pod (ready or not), and those without one
     * @param timeout null: until stopped
     */
    static int run(KubernetesClient client, RunRequest request, ClusterFields fields, PodFilter filter,
            Targets targets, ClusterOutput output, PrintWriter err, Duration timeout, boolean verbose) {
        ClusterRun cluster = new ClusterRun();
        boolean failed = !targets.missing().isEmpty();
        for (String node : targets.missing()) {
            err.println("Error: node " + node + ": no gadget pod runs there (" + DaemonPod.WHERE + "): is the DaemonSet"
                    + " deployed (kubectl gadget deploy) and allowed on it (kubectl -n " + DaemonPod.NAMESPACE
                    + " get daemonset gadget)?");
        }
        List<DaemonPod> daemons = targets.daemons();
        for (DaemonPod daemon : daemons) {
            if (!daemon.ready()) {
                err.println("Error: node " + daemon.node() + ": its gadget pod " + daemon.name() + " is not ready ("
                        + daemon.notReady() + "): see kubectl -n " + DaemonPod.NAMESPACE + " describe pod " + daemon.name());
                failed = true;
            }
        }
        try (PodIndex pods = new PodIndex(client, filter, new Owners(client), cluster::containersChanged)) {
            pods.start();
            for (DaemonPod daemon : daemons) {
                if (daemon.ready()) {
                    output.expect(daemon.node());
                    cluster.runs.put(daemon.node(), new NodeRun(new DaemonClient(client, daemon), request, fields, pods,
                            output, err, verbose));
                }
            }
            StopOnShutdown.onShutdown(cluster::stop);
            failed |= cluster.runAll(output, timeout);
        }
        output.finish();
        return failed ? 1 : 0;
    }

    private boolean runAll(ClusterOutput output, Duration timeout) {
        for (NodeRun run : runs.values()) {
            threads.add(Thread.ofPlatform().name("node-" + run.node()).start(run::run));
        }
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.plus(TIMEOUT_GRACE).toNanos();
        while (!stopRequested && anyAlive() && System.nanoTime() < deadline && !output.gone()) {
            join(POLL_MILLIS);
        }
        if (anyAlive()) {
            runs.values().forEach(NodeRun::stop);
            long giveUp = System.nanoTime() + STOP_GRACE.toNanos();
            while (anyAlive() && System.nanoTime() < giveUp) {
                join(POLL_MILLIS);
            }
            runs.values().forEach(NodeRun::close);
            while (anyAlive()) {
                join(POLL_MILLIS);
            }
        }
        return runs.values().stream().anyMatch(NodeRun::failed);
    }

    /** From the shutdown hook (Ctrl-C, SIGTERM): the main thread stops every node's run. */
    private void stop() {
        stopRequested = true;
    }

    private void containersChanged(String node) {
        NodeRun run = runs.get(node);
        if (run != null) {
            run.containersChanged();
        }
    }

    private boolean anyAlive() {
        return threads.stream().anyMatch(Thread::isAlive);
    }

    private void join(long millis) {
        for (Thread thread : threads) {
            if (thread.isAlive()) {
                try {
                    thread.join(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stopRequested = true;
                }
                return;
            }
        }
    }
}
