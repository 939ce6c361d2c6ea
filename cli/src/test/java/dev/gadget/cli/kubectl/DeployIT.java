package dev.gadget.cli.kubectl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gadget.cli.kubectl.cluster.MockCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** kubectl gadget deploy, undeploy and version through the real kubectl, against the mock API server in CRUD mode. */
class DeployIT {
    private MockCluster cluster;
    private Path kubeconfig;

    @BeforeEach
    void cluster() throws Exception {
        cluster = MockCluster.start();
        kubeconfig = cluster.writeKubeconfig(Files.createTempFile("kubeconfig-", ".yaml"), "default");
    }

    @AfterEach
    void down() throws Exception {
        cluster.close();
        Files.deleteIfExists(kubeconfig);
    }

    @Test
    void printOnlyPrintsTheObjectsAsYamlAndAppliesNothing() throws Exception {
        KubectlProcess plugin = KubectlProcess.run(kubeconfig, "deploy", "--print-only", "--image", "registry.test/gd:1");
        assertEquals(0, plugin.exit(), plugin.stderr().toString());
        Object parsed = Serialization.unmarshal(String.join("\n", plugin.stdout()));
        List<?> objects = (List<?>) parsed;
        assertEquals(List.of("Namespace", "ServiceAccount", "DaemonSet"),
                objects.stream().map(o -> ((HasMetadata) o).getKind()).toList());
        DaemonSet daemonSet = (DaemonSet) objects.get(2);
        assertEquals("registry.test/gd:1", daemonSet.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage());
        assertNull(cluster.client().namespaces().withName("gadget").get(), "nothing applied");
    }

    @Test
    void deployAppliesServerSideIdempotentlyAndUndeployRemovesIt() throws Exception {
        KubernetesClient client = cluster.client();
        KubectlProcess first = KubectlProcess.run(kubeconfig, "deploy", "--image", "registry.test/gd:2",
                "--node-selector", "kubernetes.io/os=linux,pool=tools");
        assertEquals(0, first.exit(), first.stderr().toString());
        assertEquals(List.of("Namespace gadget applied", "ServiceAccount gadget/gadget applied",
                "DaemonSet gadget/gadget applied"), first.stdout());
        DaemonSet applied = client.apps().daemonSets().inNamespace("gadget").withName("gadget").get();
        assertEquals("registry.test/gd:2", applied.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage());
        assertEquals(Map.of("kubernetes.io/os", "linux", "pool", "tools"),
                applied.getSpec().getTemplate().getSpec().getNodeSelector());
        assertEquals(Map.of("k8s-app", "gadget"), applied.getSpec().getTemplate().getMetadata().getLabels());

        KubectlProcess again = KubectlProcess.run(kubeconfig, "deploy", "--image", "registry.test/gd:2",
                "--node-selector", "kubernetes.io/os=linux,pool=tools");
        assertEquals(0, again.exit(), again.stderr().toString());
        DaemonSet reapplied = client.apps().daemonSets().inNamespace("gadget").withName("gadget").get();
        assertEquals(applied.getSpec(), reapplied.getSpec(), "applying again changes nothing");
        assertEquals(1, client.apps().daemonSets().inNamespace("gadget").list().getItems().size());
        assertEquals(1, client.serviceAccounts().inNamespace("gadget").list().getItems().size());

        KubectlProcess undeploy = KubectlProcess.run(kubeconfig, "undeploy");
        assertEquals(0, undeploy.exit(), undeploy.stderr().toString());
        assertEquals(List.of("DaemonSet gadget/gadget deleted", "ServiceAccount gadget/gadget deleted",
                "Namespace gadget deleted"), undeploy.stdout());
        assertNull(client.apps().daemonSets().inNamespace("gadget").withName("gadget").get());
        assertNull(client.namespaces().withName("gadget").get());
        KubectlProcess undeployAgain = KubectlProcess.run(kubeconfig, "undeploy");
        assertEquals(0, undeployAgain.exit(), undeployAgain.stderr().toString());
        assertTrue(undeployAgain.stdout().stream().allMatch(line -> line.endsWith(" was not there")),
                undeployAgain.stdout().toString());
    }

    @Test
    void deployWaitsForTheDaemonSetToBeReadyOnItsNodes() throws Exception {
        KubectlProcess notReady = KubectlProcess.run(kubeconfig, "deploy", "--wait", "--timeout", "1");
        assertEquals(1, notReady.exit());
        assertEquals(List.of("Error: the gadget daemon is not ready on every node after 1 s: see kubectl -n gadget get pods"
                + " -o wide, and describe the pods that are not"), notReady.stderr());

        KubectlProcess waiting = KubectlProcess.start(kubeconfig, "deploy", "--wait");
        waiting.awaitLine(line -> line.equals("DaemonSet gadget/gadget applied"));
        // The DaemonSet controller's part: two nodes, both pods updated and ready.
        cluster.client().apps().daemonSets().inNamespace("gadget").withName("gadget").editStatus(daemonSet -> {
            daemonSet.setStatus(new DaemonSetStatusBuilder().withObservedGeneration(daemonSet.getMetadata().getGeneration())
                    .withDesiredNumberScheduled(2).withCurrentNumberScheduled(2).withNumberReady(2)
                    .withUpdatedNumberScheduled(2).withNumberAvailable(2).withNumberMisscheduled(0).build());
            return daemonSet;
        });
        assertEquals(0, waiting.exit(), waiting.stderr().toString());
    }

    @Test
    void versionWithoutDaemonsSaysSoAndHelpSaysWhyNoGadgetsAreListed() throws Exception {
        KubectlProcess version = KubectlProcess.run(kubeconfig, "version");
        assertEquals(0, version.exit(), version.stderr().toString());
        assertEquals("Server version: not deployed (no pod in namespace gadget, label k8s-app=gadget): kubectl gadget"
                + " deploy", version.stdout().get(1));

        KubectlProcess help = KubectlProcess.run(kubeconfig, "--help");
        assertEquals(0, help.exit(), help.stderr().toString());
        assertTrue(String.join(" ", help.stdout()).replaceAll("\\s+", " ").endsWith("Gadgets: not listed: no gadget pod"
                + " runs in the cluster (namespace gadget, label k8s-app=gadget): deploy them with 'kubectl gadget deploy'"),
                help.stdout().toString());

        KubectlProcess trace = KubectlProcess.run(kubeconfig, "trace", "exec");
        assertEquals(1, trace.exit());
        assertEquals(List.of("Error: the gadgets cannot be listed: no gadget pod runs in the cluster (namespace gadget,"
                + " label k8s-app=gadget): deploy them with 'kubectl gadget deploy'"), trace.stderr());
    }

    @Test
    void kubeconfigAndContextFlagsWinOverTheEnvironmentAsInKubectl() throws Exception {
        Path elsewhere = kubeconfig.resolveSibling(kubeconfig.getFileName() + ".moved");
        Files.move(kubeconfig, elsewhere);
        try {
            KubectlProcess flags = KubectlProcess.run(kubeconfig, "version", "--kubeconfig", elsewhere.toString(),
                    "--context", "mock");
            assertEquals(0, flags.exit(), "KUBECONFIG names a file that is gone; --kubeconfig is used: " + flags.stderr());
            assertTrue(flags.stdout().get(1).startsWith("Server version: not deployed"), flags.stdout().toString());
            KubectlProcess noContext = KubectlProcess.run(kubeconfig, "version", "--kubeconfig=" + elsewhere,
                    "--context=nosuch");
            assertEquals(1, noContext.exit());
            assertEquals(List.of("Error: --context nosuch: the kubeconfig has no such context: see kubectl config"
                    + " get-contexts"), noContext.stderr());
        } finally {
            Files.move(elsewhere, kubeconfig);
        }
    }

    @Test
    void thePluginsJarHoldsNoJnaNoLibbpfBindingAndNoGadgetCode() throws Exception {
        Path jar = KubectlProcess.LAUNCHER.getParent().resolve("cli/target/kubectl-gadget.jar");
        List<String> unwanted = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            for (Enumeration<java.util.jar.JarEntry> entries = file.entries(); entries.hasMoreElements(); ) {
                String name = entries.nextElement().getName();
                if (name.endsWith("/")) {
                    continue;
                }
                boolean gadgetCode = name.startsWith("dev/gadget/gadgets/") && !name.startsWith("dev/gadget/gadgets/model/");
                boolean bpf = name.startsWith("dev/gadget/bpf/") && !name.equals("dev/gadget/bpf/Errno.class");
                if (name.startsWith("com/sun/jna/") || name.endsWith(".so") || name.endsWith(".bpf.o") || gadgetCode || bpf) {
                    unwanted.add(name);
                }
            }
        }
        assertEquals(List.of(), unwanted, "the plugin runs where only a JDK is");
    }
}
