package dev.gadget.cli.kubectl;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** kubectl gadget undeploy: deletes what deploy applied, the namespace last; what is gone already is fine. */
@Command(name = "undeploy", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Remove the gadget daemon from the cluster")
final class UndeployCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--wait", description = "Wait until the daemon's pods and namespace are gone")
    boolean await;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "How long --wait waits (default: ${DEFAULT-VALUE})")
    int timeout;

    private final Cluster cluster;

    UndeployCommand(Cluster cluster) {
        this.cluster = cluster;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (timeout <= 0) {
            throw new ParameterException(spec.commandLine(), "--timeout must be a positive number of seconds, not "
                    + timeout);
        }
        KubernetesClient client = cluster.client();
        List<HasMetadata> objects = Manifests.load(Manifests.defaultImage(), Map.of());
        for (HasMetadata object : objects.reversed()) {
            boolean deleted = !client.resource(object).delete().isEmpty();
            spec.commandLine().getOut().println(DeployCommand.describe(object) + (deleted ? " deleted" : " was not there"));
        }
        spec.commandLine().getOut().flush();
        if (await && !gone(client, objects, Duration.ofSeconds(timeout))) {
            spec.commandLine().getErr().println("Error: the gadget daemon's objects are not all gone after " + timeout
                    + " s: see kubectl -n " + DaemonPod.NAMESPACE + " get pods");
            return KubectlCli.FAILURE;
        }
        return 0;
    }

    private static boolean gone(KubernetesClient client, List<HasMetadata> objects, Duration patience)
            throws InterruptedException {
        long giveUp = System.nanoTime() + patience.toNanos();
        while (true) {
            boolean left = !client.pods().inNamespace(DaemonPod.NAMESPACE).withLabel(DaemonPod.LABEL, DaemonPod.LABEL_VALUE)
                    .list().getItems().isEmpty()
                    || objects.stream().anyMatch(object -> client.resource(object).get() != null);
            if (!left) {
                return true;
            }
            if (System.nanoTime() > giveUp) {
                return false;
            }
            Thread.sleep(500);
        }
    }
}
