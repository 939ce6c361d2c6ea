package dev.gadget.cli.kubectl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gadget.bpf.RequiresBpf;
import dev.gadget.cli.Output;
import dev.gadget.cli.kubectl.cluster.MockCluster;
import dev.gadget.cli.kubectl.cluster.PodDaemon;
import dev.gadget.gadgets.testing.BadInputTable;
import dev.gadget.gadgets.testing.ContainerdTestbed;
import dev.gadget.gadgets.testing.ContainerdTestbed.TestContainer;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * kubectl gadget end to end, as real as this machine allows: the real kubectl runs the packaged plugin;
 * the API server is fabric8's mock in CRUD mode; each of two nodes has the packaged daemon in a network
 * namespace of its own, reached only through the API server's pods/portforward; the pods are real
 * containerd containers in kubelet-style cgroups.
 *
 * Pods: shop/web (node-1, app=web tier=a, Deployment shop-web), shop/api (node-2, app=api tier=b),
 * other/web (node-1, app=web tier=c).
 */
@ExtendWith(RequiresBpf.class)
class KubectlGadgetIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ContainerdTestbed testbed;
    private static PodDaemon node1;
    private static PodDaemon node2;
    private static MockCluster cluster;
    private static Path kubeconfig;
    private static TestContainer shopWeb;
    private static TestContainer shopApi;
    private static TestContainer otherWeb;

    @BeforeAll
    static void cluster() throws Exception {
        testbed = ContainerdTestbed.start();
        PodDaemon.importImage(testbed);
        node1 = PodDaemon.start(testbed, "node-1");
        node2 = PodDaemon.start(testbed, "node-2");
        cluster = MockCluster.start();
        for (PodDaemon daemon : List.of(node1, node2)) {
            cluster.node(daemon.node());
            cluster.daemonPod(daemon.node(), daemon.netns(), true);
        }
        kubeconfig = cluster.writeKubeconfig(Files.createTempFile("kubeconfig-", ".yaml"), "shop");
        shopWeb = testbed.run("web", "shop-web-7f9c", "shop");
        shopApi = testbed.run("api", "shop-api-x2", "shop");
        otherWeb = testbed.run("web", "other-web-1", "other");
        OwnerReference replicaSet = cluster.deployment("shop", "shop-web");
        pod(shopWeb, "node-1", Map.of("app", "web", "tier", "a"), replicaSet);
        pod(shopApi, "node-2", Map.of("app", "api", "tier", "b"), null);
        pod(otherWeb, "node-1", Map.of("app", "web", "tier", "c"), null);
    }

    @AfterAll
    static void down() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        for (PodDaemon daemon : new PodDaemon[] {node1, node2}) {
            if (daemon != null) {
                daemon.close();
            }
        }
        if (testbed != null) {
            testbed.close();
        }
        if (kubeconfig != null) {
            Files.deleteIfExists(kubeconfig);
        }
    }

    private static Pod pod(TestContainer container, String node, Map<String, String> labels, OwnerReference owner) {
        return cluster.pod(container.namespace(), container.podName(), container.podUid(), node, labels, owner,
                Map.of(container.name(), container.id()));
    }

    @Test
    void anExecIsNamedWithNodeNamespacePodContainerLabelsAndOwnerAndOnlyTheNamespacesPodsAreTraced() throws Exception {
        try (KubectlProcess plugin = KubectlProcess.start(kubeconfig, "trace", "exec", "-o", "json")) {
            JsonNode web = awaitExec(plugin, shopWeb, "shop-web-");
            JsonNode k8s = web.path("k8s");
            assertEquals("node-1", k8s.path("node").asText());
            assertEquals("shop", k8s.path("namespace").asText(), "the kubeconfig's namespace is the default");
            assertEquals("shop-web-7f9c", k8s.path("podName").asText());
            assertEquals("web", k8s.path("containerName").asText());
            assertEquals(Map.of("app", "web", "tier", "a"), JSON.convertValue(k8s.path("podLabels"), Map.class));
            assertEquals("Deployment", k8s.path("owner").path("kind").asText(), "the Deployment behind the ReplicaSet");
            assertEquals("shop-web", k8s.path("owner").path("name").asText());
            assertEquals(shopWeb.id(), web.path("runtime").path("containerId").asText());
            assertEquals("echo", web.path("args").path(0).asText());

            JsonNode api = awaitExec(plugin, shopApi, "shop-api-");
            assertEquals("node-2", api.path("k8s").path("node").asText());
            assertEquals("", api.path("k8s").path("owner").path("kind").asText(), "a bare pod has no owner");

            long filteredBefore = DaemonProbe.metric(cluster.client(), "node-1", "gadget_events_filtered_total", "trace exec");
            testbed.exec(otherWeb, "echo", "other-web-marker");
            awaitExec(plugin, shopWeb, "after-other-");
            long filteredAfter = DaemonProbe.metric(cluster.client(), "node-1", "gadget_events_filtered_total", "trace exec");
            assertTrue(filteredAfter > filteredBefore, "node-1's kernel kept other/web's exec out");
            plugin.interrupt();
            assertEquals(0, plugin.exit(), plugin.stderr().toString());
            assertEquals(Set.of("shop-web-7f9c", "shop-api-x2"), pods(plugin), "only namespace shop's pods, nothing else");
            assertFalse(plugin.stdout().stream().anyMatch(line -> line.contains("other-web-marker")));
        }
    }

    @Test
    void podNameSelectsOnePodAndTheOtherNodesKernelKeepsTheRestOut() throws Exception {
        try (KubectlProcess plugin = KubectlProcess.start(kubeconfig, "trace", "exec", "-n", "shop", "-p", "shop-web-7f9c",
                "-o", "json")) {
            awaitExec(plugin, shopWeb, "p-web-");
            long filteredBefore = DaemonProbe.metric(cluster.client(), "node-2", "gadget_events_filtered_total", "trace exec");
            testbed.exec(shopApi, "echo", "p-api-marker");
            awaitExec(plugin, shopWeb, "p-web-after-");
            assertTrue(DaemonProbe.metric(cluster.client(), "node-2", "gadget_events_filtered_total", "trace exec")
                    > filteredBefore, "node-2's kernel kept shop/api's exec out");
            plugin.interrupt();
            assertEquals(0, plugin.exit(), plugin.stderr().toString());
            assertEquals(Set.of("shop-web-7f9c"), pods(plugin));
        }
    }

    @Test
    void equalitySelectorAcrossNamespacesAndAPodThatStopsMatchingIsDropped() throws Exception {
        TestContainer leaving = testbed.run("web", "leaving-web", "other");
        pod(leaving, "node-2", Map.of("app", "web"), null);
        try (KubectlProcess plugin = KubectlProcess.start(kubeconfig, "trace", "exec", "-A", "-l", "app=web", "-o", "json")) {
            awaitExec(plugin, shopWeb, "l-shop-");
            awaitExec(plugin, otherWeb, "l-other-");
            awaitExec(plugin, leaving, "l-leaving-");
            testbed.exec(shopApi, "echo", "l-api-marker");

            Pod relabeled = cluster.client().pods().inNamespace("other").withName("leaving-web").edit(pod -> {
                pod.getMetadata().getLabels().put("app", "gone");
                return pod;
            });
            assertEquals("gone", relabeled.getMetadata().getLabels().get("app"));
            awaitUntraced(leaving, "node-2");
            testbed.exec(leaving, "echo", "l-leaving-dropped");
            awaitExec(plugin, otherWeb, "l-other-after-");
            plugin.interrupt();
            assertEquals(0, plugin.exit(), plugin.stderr().toString());
            assertEquals(Set.of("shop-web-7f9c", "other-web-1", "leaving-web"), pods(plugin));
            assertFalse(plugin.stdout().stream().anyMatch(line -> line.contains("l-api-marker")));
            assertFalse(plugin.stdout().stream().anyMatch(line -> line.contains("l-leaving-dropped")),
                    "a pod whose labels no longer match is no longer traced");
        } finally {
            cluster.client().pods().inNamespace("other").withName("leaving-web").delete();
            testbed.stop(leaving);
        }
    }

    @Test
    void setBasedSelector() throws Exception {
        try (KubectlProcess plugin = KubectlProcess.start(kubeconfig, "trace", "exec", "-A", "-l", "tier in (a,b)",
                "-o", "json")) {
            awaitExec(plugin, shopWeb, "in-web-");
            awaitExec(plugin, shopApi, "in-api-");
            testbed.exec(otherWeb, "echo", "in-other-marker");
            awaitExec(plugin, shopWeb, "in-web-after-");
            plugin.interrupt();
            assertEquals(0, plugin.exit(), plugin.stderr().toString());
            assertEquals(Set.of("shop-web-7f9c", "shop-api-x2"), pods(plugin));
        }
    }

    @Test
    void nodeFlagRunsOnThatNodeOnly() throws Exception {
        try (KubectlProcess plugin = KubectlProcess.start(kubeconfig, "trace", "exec", "-A", "--node", "node-2",
                "-o", "json")) {
            awaitExec(plugin, shopApi, "node-api-");
            testbed.exec(shopWeb, "echo", "node-web-marker");
            assertEquals(List.of(), DaemonProbe.selections(cluster.client(), "node-1"), "no run on node-1");
            awaitExec(plugin, shopApi, "node-api-after-");
            plugin.interrupt();
            assertEquals(0, plugin.exit(), plugin.stderr().toString());
            assertEquals(Set.of("shop-api-x2"), pods(plugin));
        }
    }

    @Test
    void aPodCreatedAfterTheStartIsTracedWithinOneSecondAndCtrlCDetachesEveryDaemon() throws Exception {
        TestContainer late = testbed.run("late", "late-pod", "shop");
        try (KubectlProcess plugin = KubectlProcess.start(kubeconfig, "trace", "exec", "-o", "json")) {
            awaitExec(plugin, shopWeb, "late-ready-");
            long created = System.nanoTime();
            pod(late, "node-2", Map.of("app", "late"), null);
            long firstTraced = -1;
            for (int i = 0; i < 300 && firstTraced < 0; i++) {
                long issued = System.nanoTime();
                String marker = "late-" + i;
                testbed.exec(late, "echo", marker);
                if (seen(plugin, marker, 100)) {
                    firstTraced = issued;
                }
            }
            assertTrue(firstTraced >= 0, "the late pod was never traced: " + plugin.stderr());
            long millis = TimeUnit.NANOSECONDS.toMillis(firstTraced - created);
            assertTrue(millis <= 1000, "the late pod's exec issued " + millis + " ms after the pod appeared was its first"
                    + " traced: within 1 s expected");

            plugin.interrupt();
            assertEquals(0, plugin.exit(), plugin.stderr().toString());
            long exited = System.nanoTime();
            for (String node : List.of("node-1", "node-2")) {
                while (DaemonProbe.metric(cluster.client(), node, "gadget_sessions_running", "trace exec") > 0) {
                    assertTrue(System.nanoTime() - exited < TimeUnit.SECONDS.toNanos(30), node + " still runs the session");
                    Thread.sleep(20);
                }
            }
            long detached = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - exited);
            assertTrue(detached <= 1000, "both daemons had detached " + detached + " ms after Ctrl-C ended the plugin:"
                    + " within 1 s expected");
        } finally {
            cluster.client().pods().inNamespace("shop").withName("late-pod").delete();
            testbed.stop(late);
        }
    }

    /**
     * The plugin killed at seeded random moments (from its start, or from its first event) with
     * SIGINT, SIGTERM or SIGKILL while a container execs: every node's daemon ends the session and holds
     * exactly the BPF programs it held before (its count asks the kernel of each descriptor).
     */
    @Test
    void killedAtRandomMomentsThePluginLeavesNoSessionAndNoBpfOnAnyNode() throws Exception {
        long seed = Long.getLong("gadget.seed", System.nanoTime());
        System.out.println("KubectlGadgetIT kills: seed " + seed + " (repeat with -Dgadget.seed=" + seed + ")");
        Random random = new Random(seed);
        List<String> nodes = List.of("node-1", "node-2");
        Map<String, Long> heldBefore = new HashMap<>();
        for (String node : nodes) {
            heldBefore.put(node, DaemonProbe.metric(cluster.client(), node, "gadget_bpf_programs"));
        }
        AtomicBoolean storming = new AtomicBoolean(true);
        Thread storm = Thread.ofPlatform().daemon().start(() -> {
            while (storming.get()) {
                try {
                    testbed.exec(shopWeb, "true");
                } catch (IOException | InterruptedException e) {
                    return;
                }
            }
        });
        try {
            for (int kill = 1; kill <= 10; kill++) {
                String signal = List.of("INT", "TERM", "KILL").get(random.nextInt(3));
                boolean midStream = random.nextBoolean();
                long after = midStream ? random.nextInt(1500) : 300 + random.nextInt(2700);
                try (KubectlProcess plugin = KubectlProcess.start(kubeconfig, "trace", "exec", "-A", "-o", "json")) {
                    if (midStream) {
                        plugin.awaitLine(line -> true);
                    }
                    Thread.sleep(after);
                    plugin.signal(signal);
                    int exit = plugin.exit();
                    System.out.printf("plugin kill %d: SIG%s %d ms after %s: exit %d, %d events printed%n", kill, signal,
                            after, midStream ? "its first event" : "its start", exit, plugin.stdout().size());
                }
                for (String node : nodes) {
                    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (DaemonProbe.metric(cluster.client(), node, "gadget_sessions_running", "trace exec") > 0
                            || DaemonProbe.metric(cluster.client(), node, "gadget_bpf_programs") != heldBefore.get(node)) {
                        assertTrue(System.nanoTime() < giveUp, "kill " + kill + " (seed " + seed + "): node " + node
                                + " still runs a session or holds more BPF than before: "
                                + DaemonProbe.get(cluster.client(), node, "/v1/runs"));
                        Thread.sleep(50);
                    }
                }
            }
        } finally {
            storming.set(false);
            storm.join();
        }
    }

    @Test
    void aNodeWhoseDaemonIsDownOrNotReadyOrMissingIsOneLineEachWhileTheOthersGoOn() throws Exception {
        PodDaemon node3 = PodDaemon.start(testbed, "node-3");
        try {
            cluster.node("node-3");
            cluster.daemonPod("node-3", node3.netns(), true);
            cluster.node("node-4");
            cluster.daemonPod("node-4", "none", false);
            cluster.node("node-5");
            node3.stop();
            try (KubectlProcess plugin = KubectlProcess.start(kubeconfig, "trace", "exec", "-o", "json", "-t", "20")) {
                awaitExec(plugin, shopWeb, "down-web-");
                awaitExec(plugin, shopApi, "down-api-");
                plugin.interrupt();
                assertEquals(1, plugin.exit(), "a node failed: " + plugin.stderr());
                List<String> errors = plugin.stderr();
                assertEquals(1, errors.stream().filter(line -> line.startsWith("Error: node node-3: the gadget daemon"
                        + " (pod gadget-node-3) could not be reached: port-forward to pod gadget-node-3:")
                        && line.contains("connect")).count(), errors.toString());
                assertTrue(errors.contains("Error: node node-4: its gadget pod gadget-node-4 is not ready (it is not ready:"
                        + " readiness probe failed): see kubectl -n gadget describe pod gadget-node-4"), errors.toString());
                assertEquals(1, errors.stream().filter(line -> line.startsWith("Error: node node-5: no gadget pod runs"
                        + " there")).count(), errors.toString());
                assertEquals(3, errors.size(), "one line per node: " + errors);
            }
        } finally {
            for (String node : List.of("node-3", "node-4", "node-5")) {
                cluster.client().pods().inNamespace("gadget").withName("gadget-" + node).delete();
                cluster.client().nodes().withName(node).delete();
            }
            node3.close();
        }
    }

    @Test
    void badFlagsAreOneLineAndNonZero() throws Exception {
        assertUsage(KubectlProcess.run(kubeconfig, "trace", "exec", "--bogus"),
                "Error: unknown option '--bogus' for 'kubectl gadget trace exec' (see 'kubectl gadget trace exec --help')", 2);
        assertUsage(KubectlProcess.run(kubeconfig, "trace", "exec", "-n", "shop", "-A"),
                "Error: -n/--namespace and -A/--all-namespaces exclude each other: give one (see 'kubectl gadget trace exec"
                        + " --help')", 2);
        assertUsage(KubectlProcess.run(kubeconfig, "trace", "exec", "--node", "node-9"),
                "Error: --node: the cluster has no node node-9: see kubectl get nodes (see 'kubectl gadget trace exec --help')", 2);
        assertUsage(KubectlProcess.run(kubeconfig, "trace", "exec", "-o", "tables"),
                "Error: invalid value for option '--output': 'tables' is not an output format: use columns, columns=<field,"
                        + "...>, json, jsonpretty, yaml (see 'kubectl gadget trace exec --help')", 2);
        assertUsage(KubectlProcess.run(kubeconfig, "frobnicate"),
                "Error: unknown command 'frobnicate' for 'kubectl gadget': pick one of deploy, undeploy, version, profile,"
                        + " snapshot, top, trace (see 'kubectl gadget --help')", 2);
        KubectlProcess badSelector = KubectlProcess.run(kubeconfig, "trace", "exec", "-l", "tier in (a", "-t", "5");
        assertEquals(1, badSelector.exit());
        assertEquals(1, badSelector.stderr().size(), badSelector.stderr().toString());
        assertTrue(badSelector.stderr().getFirst().startsWith("Error: the API server answered 400: unable to parse"),
                badSelector.stderr().toString());
    }

    /** docs/bad-input.md's plugin table, in this process: one line on stderr, nothing on stdout, the row's status. */
    @TestFactory
    Stream<DynamicTest> everyRowOfThePluginTable() {
        List<BadInputTable.Row> rows = BadInputTable.load().rows("kubectl");
        assertTrue(rows.size() >= 30, "docs/bad-input.md has " + rows.size() + " plugin rows");
        return rows.stream().map(row -> DynamicTest.dynamicTest(row.id() + ": kubectl gadget " + row.cell("Arguments"),
                () -> checkRow(row)));
    }

    private static void checkRow(BadInputTable.Row row) {
        List<String> args = new ArrayList<>(BadInputTable.words(row.cell("Arguments")));
        if (!args.contains("--kubeconfig")) {
            args.addAll(0, List.of("--kubeconfig", kubeconfig.toString()));
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = KubectlCli.execute(args.toArray(String[]::new), Output.of(new PrintWriter(out, true)),
                new PrintWriter(err, true));
        BadInputTable.assertCommandLineAnswer(row, status, out.toString(), err.toString());
    }

    @Test
    void snapshotProcessListsBothNodesInOneTable() throws Exception {
        KubectlProcess plugin = KubectlProcess.run(kubeconfig, "snapshot", "process", "-n", "shop");
        assertEquals(0, plugin.exit(), plugin.stderr().toString());
        List<String> lines = plugin.stdout();
        assertEquals(List.of("K8S.NODE", "K8S.NAMESPACE", "K8S.PODNAME", "K8S.CONTAINERNAME", "COMM"),
                List.of(lines.getFirst().split("\\s+")).subList(0, 5), lines.toString());
        Set<String> nodesAndPods = lines.stream().skip(1).map(line -> line.split("\\s+"))
                .map(cells -> cells[0] + " " + cells[1] + " " + cells[2] + " " + cells[3]).collect(Collectors.toSet());
        assertEquals(Set.of("node-1 shop shop-web-7f9c web", "node-2 shop shop-api-x2 api"), nodesAndPods, lines.toString());
        assertTrue(lines.stream().skip(1).allMatch(line -> line.contains(" sh ") || line.contains(" sleep ")), lines.toString());
    }

    @Test
    void profileCpuReportsEachNodesBusyPodInOneTable() throws Exception {
        List<Thread> busy = new ArrayList<>();
        for (TestContainer container : List.of(shopWeb, shopApi)) {
            busy.add(Thread.ofPlatform().start(() -> {
                try {
                    testbed.exec(container, "sh", "-c", "i=0; while [ $i -lt 1500000 ]; do i=$((i+1)); done");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        KubectlProcess plugin = KubectlProcess.run(kubeconfig, "profile", "cpu", "-n", "shop", "-t", "3", "-o", "json");
        for (Thread thread : busy) {
            thread.join();
        }
        assertEquals(0, plugin.exit(), plugin.stderr().toString());
        assertEquals(1, plugin.stdout().size(), "one table of both nodes: " + plugin.stdout());
        Set<String> sampled = new HashSet<>();
        long previous = Long.MAX_VALUE;
        for (JsonNode row : JSON.readTree(plugin.stdout().getFirst())) {
            sampled.add(row.path("k8s").path("node").asText() + " " + row.path("k8s").path("podName").asText());
            long samples = row.path("samples").asLong();
            assertTrue(samples <= previous, "the most sampled stacks first, whatever their node");
            previous = samples;
        }
        assertEquals(Set.of("node-1 shop-web-7f9c", "node-2 shop-api-x2"), sampled);
    }

    @Test
    void versionNamesEachNodesDaemon() throws Exception {
        KubectlProcess plugin = KubectlProcess.run(kubeconfig, "version");
        assertEquals(0, plugin.exit(), plugin.stderr().toString());
        String version = plugin.stdout().getFirst().substring("Client version: ".length());
        assertNotEquals("(development build)", version);
        assertEquals(List.of("Client version: " + version,
                "Server version: " + version + ", protocol 1 (node node-1, pod gadget-node-1)",
                "Server version: " + version + ", protocol 1 (node node-2, pod gadget-node-2)"), plugin.stdout());
        assertEquals(List.of(), plugin.stderr());
    }

    private static void assertUsage(KubectlProcess process, String line, int status) throws InterruptedException {
        assertEquals(status, process.exit());
        assertEquals(List.of(line), process.stderr());
        assertEquals(List.of(), process.stdout());
    }

    /** Until the node's daemon no longer traces the container (the plugin told it, through the API server). */
    private static void awaitUntraced(TestContainer container, String node) throws Exception {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (DaemonProbe.selections(cluster.client(), node).stream().anyMatch(ids -> ids.contains(container.id()))) {
            assertTrue(System.nanoTime() < giveUp, node + " still traces " + container.podName());
            Thread.sleep(50);
        }
    }

    /** Execs "echo prefix-i" in the container until the plugin prints one of them; that event. */
    private static JsonNode awaitExec(KubectlProcess plugin, TestContainer container, String prefix) throws Exception {
        for (int i = 0; i < 200; i++) {
            String marker = prefix + i;
            testbed.exec(container, "echo", marker);
            if (seen(plugin, marker, 250)) {
                return event(plugin, marker);
            }
            assertTrue(plugin.alive(), "kubectl gadget ended: " + plugin.stderr());
        }
        throw new AssertionError("no event of " + container.podName() + "; stderr: " + plugin.stderr());
    }

    private static boolean seen(KubectlProcess plugin, String marker, long millis) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        do {
            if (plugin.stdout().stream().anyMatch(line -> line.contains("\"" + marker + "\""))) {
                return true;
            }
            Thread.sleep(10);
        } while (System.nanoTime() < giveUp);
        return false;
    }

    private static JsonNode event(KubectlProcess plugin, String marker) throws Exception {
        String line = plugin.awaitLine(l -> l.contains("\"" + marker + "\""));
        return JSON.readTree(line);
    }

    /** The pods of every event the plugin printed. */
    private static Set<String> pods(KubectlProcess plugin) throws Exception {
        Set<String> pods = new HashSet<>();
        List<String> lines = new ArrayList<>(plugin.stdout());
        for (String line : lines) {
            pods.add(JSON.readTree(line).path("k8s").path("podName").asText());
        }
        return pods;
    }
}
