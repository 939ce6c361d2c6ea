package dev.gadget.cli.kubectl.cluster;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A Kubernetes API server for the plugin's tests: fabric8's mock server in CRUD mode with
 * {@link ClusterDispatcher} (port-forward into the daemons' network namespaces, server-side apply,
 * set-based selectors), plain HTTP on loopback, a kubeconfig for it (a token the mock takes), and
 * helpers that write the objects a cluster would have: nodes, the gadget daemon's pods, and
 * workloads (Deployment, ReplicaSet, Pod) whose pods name real containers.
 * {@link #main} runs one as a process, with a daemon per node, for kubectl and the benchmark.
 */
public final class MockCluster implements AutoCloseable {
    /** Held: the mock web server logs every request at INFO, which would bury the tests' own output. */
    private static final java.util.logging.Logger MOCK_LOG = quiet("io.fabric8.mockwebserver");
    private final KubernetesMockServer server;
    private final KubernetesClient client;

    private MockCluster(KubernetesMockServer server) {
        this.server = server;
        this.client = server.createClient();
    }

    public static MockCluster start() {
        return start(0);
    }

    public static MockCluster start(int port) {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new ClusterDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), port);
        return new MockCluster(server);
    }

    /** The test's own client of the mock (not the plugin's). */
    public KubernetesClient client() {
        return client;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    /** A kubeconfig naming this server, context "mock" with namespace {@code namespace}. */
    public Path writeKubeconfig(Path file, String namespace) throws IOException {
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster:
                    server: %s
                users:
                - name: tester
                  user:
                    token: secret
                contexts:
                - name: mock
                  context:
                    cluster: mock
                    user: tester
                    namespace: %s
                current-context: mock
                """.formatted(url(), namespace));
        return file;
    }

    public void node(String name) {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name)
                .addToLabels("kubernetes.io/hostname", name).endMetadata().build()).create();
    }

    public void namespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .createOr(existing -> existing.update());
    }

    /** The gadget pod of a node whose daemon runs in {@code netns}; {@code ready} as its readiness probe says. */
    public Pod daemonPod(String node, String netns, boolean ready) {
        namespace("gadget");
        Pod pod = new PodBuilder()
                .withNewMetadata().withName("gadget-" + node).withNamespace("gadget").withUid(UUID.randomUUID().toString())
                .addToLabels("k8s-app", "gadget").addToAnnotations(ClusterDispatcher.NETNS_ANNOTATION, netns).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("gadget")
                .withImage("gadget.dev/gadget-daemon:test").endContainer().endSpec()
                .withNewStatus().withPhase("Running").addNewCondition().withType("Ready")
                .withStatus(ready ? "True" : "False").withMessage(ready ? null : "readiness probe failed").endCondition()
                .endStatus().build();
        return client.pods().inNamespace("gadget").resource(pod).createOr(existing -> existing.update());
    }

    /** A Deployment and its ReplicaSet; returns the ReplicaSet's reference for its pods. */
    public OwnerReference deployment(String namespace, String name) {
        namespace(namespace);
        String deploymentUid = UUID.randomUUID().toString();
        client.apps().deployments().inNamespace(namespace).resource(new DeploymentBuilder().withNewMetadata()
                .withName(name).withNamespace(namespace).withUid(deploymentUid).endMetadata().withNewSpec()
                .withNewSelector().addToMatchLabels("app", name).endSelector().endSpec().build()).create();
        String replicaSet = name + "-5d8f7c9b4";
        String replicaSetUid = UUID.randomUUID().toString();
        client.apps().replicaSets().inNamespace(namespace).resource(new ReplicaSetBuilder().withNewMetadata()
                .withName(replicaSet).withNamespace(namespace).withUid(replicaSetUid)
                .addToOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("Deployment")
                        .withName(name).withUid(deploymentUid).withController(true).build())
                .endMetadata().build()).create();
        return new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("ReplicaSet").withName(replicaSet)
                .withUid(replicaSetUid).withController(true).build();
    }

    /**
     * A running pod on {@code node} whose containers are the given ones (container name to runtime
     * id), as the kubelet reports them once started: containerd://id.
     *
     * @param owner null: a bare pod
     */
    public Pod pod(String namespace, String name, String uid, String node, Map<String, String> labels,
            OwnerReference owner, Map<String, String> containers) {
        namespace(namespace);
        PodBuilder pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(namespace).withUid(uid)
                .withLabels(new LinkedHashMap<>(labels)).endMetadata()
                .withNewSpec().withNodeName(node).endSpec()
                .withNewStatus().withPhase("Running").endStatus();
        if (owner != null) {
            pod.editMetadata().addToOwnerReferences(owner).endMetadata();
        }
        List<io.fabric8.kubernetes.api.model.ContainerStatus> statuses = new ArrayList<>();
        containers.forEach((container, id) -> {
            pod.editSpec().addNewContainer().withName(container).withImage("gadget.test/busybox:1").endContainer().endSpec();
            statuses.add(new ContainerStatusBuilder().withName(container).withContainerID("containerd://" + id)
                    .withReady(true).withNewState().withNewRunning().endRunning().endState().build());
        });
        pod.editStatus().withContainerStatuses(statuses).endStatus();
        return client.pods().inNamespace(namespace).resource(pod.build()).createOr(existing -> existing.update());
    }

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }

    /**
     * A mock cluster as a process: {@code MockCluster KUBECONFIG NODE...} starts a daemon per node (each
     * in its network namespace), writes the kubeconfig, prints "ready" and serves until stdin closes.
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: MockCluster KUBECONFIG NODE...");
            System.exit(2);
        }
        List<NodeDaemon> daemons = new ArrayList<>();
        try (MockCluster cluster = start()) {
            for (int i = 1; i < args.length; i++) {
                NetnsDaemon daemon = NetnsDaemon.start(args[i]);
                daemons.add(daemon);
                cluster.node(args[i]);
                cluster.daemonPod(args[i], daemon.netns(), true);
            }
            cluster.writeKubeconfig(Path.of(args[0]), "default");
            System.out.println("ready " + cluster.url());
            System.out.flush();
            System.in.transferTo(java.io.OutputStream.nullOutputStream());
        } finally {
            for (NodeDaemon daemon : daemons) {
                daemon.close();
            }
        }
    }
}
