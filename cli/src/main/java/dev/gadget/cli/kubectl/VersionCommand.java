package dev.gadget.cli.kubectl;

import dev.gadget.cli.Version;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** kubectl gadget version: this plugin's version and each node's daemon's, asked through port-forward. */
@Command(name = "version", mixinStandardHelpOptions = true,
        description = "Print this plugin's version and the version of the gadget daemon on each node")
final class VersionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private final Cluster cluster;

    VersionCommand(Cluster cluster) {
        this.cluster = cluster;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String client = Version.number();
        out.println("Client version: " + client);
        List<DaemonPod> pods = DaemonPod.list(cluster.client());
        if (pods.isEmpty()) {
            out.println("Server version: not deployed (no pod in " + DaemonPod.WHERE + "): kubectl gadget deploy");
            out.flush();
            return 0;
        }
        List<CompletableFuture<String>> answers = new ArrayList<>();
        // Threads of their own: the Kubernetes client hands the streams' data over on the common pool.
        try (ExecutorService asking = Executors.newVirtualThreadPerTaskExecutor()) {
            for (DaemonPod pod : pods) {
                answers.add(CompletableFuture.supplyAsync(() -> ask(pod), asking));
            }
        }
        boolean failed = false;
        for (int i = 0; i < pods.size(); i++) {
            DaemonPod pod = pods.get(i);
            String version = answers.get(i).join();
            if (version == null) {
                failed = true;
                continue;
            }
            out.println("Server version: " + version + " (node " + pod.node() + ", pod " + pod.name() + ")");
            if (!client.equals(Version.DEVELOPMENT) && !version.startsWith(client + ",")) {
                err.println("warning: node " + pod.node() + " runs gadget daemon " + version + ", this plugin is " + client
                        + ": deploy this version to match (kubectl gadget deploy)");
            }
        }
        out.flush();
        return failed ? KubectlCli.FAILURE : 0;
    }

    /** "0.1.0, protocol 1", or null with the reason on stderr. */
    private String ask(DaemonPod pod) {
        PrintWriter err = spec.commandLine().getErr();
        if (!pod.ready()) {
            err.println("Error: node " + pod.node() + ": its gadget pod " + pod.name() + " is not ready (" + pod.notReady() + ")");
            return null;
        }
        try {
            DaemonClient.Info info = new DaemonClient(cluster.client(), pod).info();
            return info.daemonVersion() + ", protocol " + info.protocolVersion();
        } catch (IOException e) {
            err.println("Error: node " + pod.node() + ": its gadget daemon (pod " + pod.name() + ") could not be reached: "
                    + PodConnection.describe(e));
            return null;
        }
    }
}
