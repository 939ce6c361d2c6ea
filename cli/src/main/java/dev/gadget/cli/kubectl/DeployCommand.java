package dev.gadget.cli.kubectl;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * kubectl gadget deploy: applies the gadget DaemonSet's objects server-side (field manager
 * kubectl-gadget): creates what is missing, updates what differs, and changes nothing when run again.
 */
@Command(name = "deploy", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Deploy the gadget daemon on the cluster's nodes (server-side apply; running it again changes"
                + " nothing)")
final class DeployCommand implements Callable<Integer> {
    static final String FIELD_MANAGER = "kubectl-gadget";

    @Spec
    CommandSpec spec;

    @Option(names = "--image", paramLabel = "IMAGE", description = "The daemon's image (default: ${DEFAULT-VALUE})")
    String image = Manifests.defaultImage();

    @Option(names = "--node-selector", paramLabel = "KEY=VALUE", split = ",",
            description = "Only on nodes with these labels, e.g. --node-selector kubernetes.io/os=linux,pool=a")
    List<String> nodeSelector;

    @Option(names = "--print-only", description = "Print the objects as YAML instead of applying them")
    boolean printOnly;

    @Option(names = "--wait", description = "Wait until the daemon runs ready on every node it is scheduled on")
    boolean await;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "How long --wait waits (default: ${DEFAULT-VALUE})")
    int timeout;

    private final Cluster cluster;

    DeployCommand(Cluster cluster) {
        this.cluster = cluster;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (image.isBlank()) {
            throw usage("--image needs an image, e.g. --image registry.example/gadget-daemon:0.1.0");
        }
        if (timeout <= 0) {
            throw usage("--timeout must be a positive number of seconds, not " + timeout);
        }
        List<HasMetadata> objects = Manifests.load(image, selector());
        if (printOnly) {
            spec.commandLine().getOut().print(Manifests.yaml(objects));
            spec.commandLine().getOut().flush();
            return 0;
        }
        KubernetesClient client = cluster.client();
        for (HasMetadata object : objects) {
            client.resource(object).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
            spec.commandLine().getOut().println(describe(object) + " applied");
        }
        spec.commandLine().getOut().flush();
        if (await && !rolledOut(client, Duration.ofSeconds(timeout))) {
            spec.commandLine().getErr().println("Error: the gadget daemon is not ready on every node after " + timeout
                    + " s: see kubectl -n " + DaemonPod.NAMESPACE + " get pods -o wide, and describe the pods that are not");
            return KubectlCli.FAILURE;
        }
        return 0;
    }

    /** Whether the DaemonSet's pods are all up to date and ready, before the deadline. */
    private static boolean rolledOut(KubernetesClient client, Duration patience) throws InterruptedException {
        long giveUp = System.nanoTime() + patience.toNanos();
        while (true) {
            DaemonSet daemonSet = client.apps().daemonSets().inNamespace(DaemonPod.NAMESPACE).withName("gadget").get();
            DaemonSetStatus status = daemonSet == null ? null : daemonSet.getStatus();
            long generation = daemonSet == null || daemonSet.getMetadata().getGeneration() == null ? 0
                    : daemonSet.getMetadata().getGeneration();
            if (status != null && status.getObservedGeneration() != null && status.getObservedGeneration() >= generation
                    && status.getDesiredNumberScheduled() != null
                    && status.getDesiredNumberScheduled().equals(status.getNumberReady())
                    && status.getDesiredNumberScheduled().equals(status.getUpdatedNumberScheduled())) {
                return true;
            }
            if (System.nanoTime() > giveUp) {
                return false;
            }
            Thread.sleep(500);
        }
    }

    private Map<String, String> selector() {
        Map<String, String> selector = new LinkedHashMap<>();
        for (String pair : nodeSelector == null ? List.<String>of() : nodeSelector) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw usage("--node-selector '" + pair + "' is not KEY=VALUE: give e.g. kubernetes.io/os=linux");
            }
            selector.put(pair.substring(0, equals), pair.substring(equals + 1));
        }
        return selector;
    }

    static String describe(HasMetadata object) {
        return object.getKind() + " " + (object.getMetadata().getNamespace() == null ? ""
                : object.getMetadata().getNamespace() + "/") + object.getMetadata().getName();
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
