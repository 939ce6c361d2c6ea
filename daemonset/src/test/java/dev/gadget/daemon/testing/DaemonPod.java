package dev.gadget.daemon.testing;

import dev.gadget.gadgets.testing.ContainerdTestbed;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The daemon's DaemonSet pod on this machine as a kubelet would run it on a node, with no kubelet:
 * the image imported into a {@link ContainerdTestbed}, the container made from the manifest's pod
 * template ({@link KubeletTranslation}: its capabilities, read-only root, seccomp, mounts, user, env,
 * args, resources), in a network namespace of its own ({@link PodNetwork}) and a kubelet-style cgroup.
 * Its API listens on 127.0.0.1 inside that namespace: {@link #api()} forwards a local port there, as
 * kubectl port-forward would. Several pods, as several "nodes", run side by side:
 *
 * <pre>{@code
 * DaemonImage image = DaemonImage.built();
 * DaemonManifest manifest = DaemonManifest.project();
 * try (ContainerdTestbed testbed = ContainerdTestbed.start()) {
 *     testbed.importImage(image.archive());
 *     try (DaemonPod a = DaemonPod.start(testbed, image, manifest, "node-a");
 *          DaemonPod b = DaemonPod.start(testbed, image, manifest, "node-b")) {
 *         a.awaitReady();
 *         InetSocketAddress api = a.api(); // http://127.0.0.1:<port>/v1/info
 *     }
 * }
 * }</pre>
 */
public final class DaemonPod implements AutoCloseable {
    /** The daemon's default --listen port inside the pod. */
    public static final int API_PORT = 8080;
    private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final Pattern STARTED = Pattern.compile("^gadget daemon .* on node .*: API on ");

    private final ContainerdTestbed testbed;
    private final KubeletTranslation.Pod identity;
    private final String containerId;
    private final String cgroup;
    private final PodNetwork network;
    private final Path scratch;
    private final int metricsPort;
    private final long gracePeriodSeconds;
    private PodNetwork.PortForward api;

    private DaemonPod(ContainerdTestbed testbed, KubeletTranslation.Pod identity, String containerId, String cgroup,
            PodNetwork network, Path scratch, int metricsPort, long gracePeriodSeconds) {
        this.testbed = testbed;
        this.identity = identity;
        this.containerId = containerId;
        this.cgroup = cgroup;
        this.network = network;
        this.scratch = scratch;
        this.metricsPort = metricsPort;
        this.gracePeriodSeconds = gracePeriodSeconds;
    }

    /**
     * Starts the manifest's pod on {@code testbed} (where {@code image} was imported) for node
     * {@code nodeName}; the test bed's runc state stands for the node's /run/containerd/runc.
     */
    public static DaemonPod start(ContainerdTestbed testbed, DaemonImage image, DaemonManifest manifest, String nodeName)
            throws IOException, InterruptedException {
        Container container = manifest.container();
        if (!container.getImage().equals(image.name())) {
            throw new AssertionError("the manifest runs " + container.getImage() + ", the image is " + image.name());
        }
        String suffix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(3);
        KubeletTranslation.Pod identity = new KubeletTranslation.Pod(manifest.daemonSet().getMetadata().getName() + "-"
                + suffix, manifest.daemonSet().getMetadata().getNamespace(), UUID.randomUUID().toString(), nodeName);
        byte[] random = new byte[32];
        ThreadLocalRandom.current().nextBytes(random);
        String containerId = HexFormat.of().formatHex(random);
        String cgroup = KubeletTranslation.podCgroup(container, identity.uid()) + "/cri-containerd-" + containerId + ".scope";
        Path scratch = Files.createTempDirectory("gadget-pod-" + identity.name() + "-");
        PodNetwork network = PodNetwork.create("gadget-" + nodeName + "-" + suffix);
        Long grace = manifest.podSpec().getTerminationGracePeriodSeconds();
        DaemonPod pod = new DaemonPod(testbed, identity, containerId, cgroup, network, scratch, metricsPort(container),
                grace == null ? 30 : grace);
        try {
            List<String> run = new ArrayList<>(List.of("run", "-d", "--cgroup", cgroup,
                    "--runc-root", testbed.runcRoot().toString(),
                    "--with-ns", "network:" + network.path(),
                    "--log-uri", "file://" + pod.logFile()));
            run.addAll(KubeletTranslation.runFlags(manifest.podSpec(), container, identity,
                    Map.of("/run/containerd/runc", testbed.runcRoot()), scratch));
            run.add(image.name());
            run.add(containerId);
            run.addAll(image.entrypoint());
            run.addAll(container.getArgs());
            testbed.ctr(run);
            return pod;
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            pod.close();
            throw e;
        }
    }

    public String nodeName() {
        return identity.nodeName();
    }

    public String podName() {
        return identity.name();
    }

    public String containerId() {
        return containerId;
    }

    /** The container's cgroup, kubelet-style, under its pod's QoS slice. */
    public String cgroup() {
        return cgroup;
    }

    public PodNetwork network() {
        return network;
    }

    /** The daemon's pid on the host. */
    public long pid() throws IOException, InterruptedException {
        for (String line : testbed.ctr(List.of("task", "ls")).lines().toList()) {
            String[] columns = line.trim().split("\\s+");
            if (columns[0].equals(containerId)) {
                return Long.parseLong(columns[1]);
            }
        }
        throw new AssertionError("no task " + containerId + " (pod " + podName() + "): its log: " + log());
    }

    /** Waits until the daemon logged that it serves (or fails, with its log, if it exits first). */
    public void awaitReady() throws IOException, InterruptedException {
        awaitLog(STARTED);
    }

    /** A local address forwarded to the daemon's API inside the pod (made on first use). */
    public synchronized InetSocketAddress api() throws IOException {
        if (api == null) {
            api = network.forward(API_PORT);
        }
        return api.address();
    }

    /** A socket to {@code port} inside the pod, made from inside its network namespace. */
    public Socket connect(int port) throws IOException {
        return network.connect(port);
    }

    /**
     * GET /healthz on the manifest's probe port, from inside the pod's network namespace, as the
     * kubelet's probe would (on the pod's address): the HTTP status line.
     */
    public String probeHealth() throws IOException {
        try (Socket socket = connect(metricsPort)) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /healthz HTTP/1.1\r\nHost: pod\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return response.lines().findFirst().orElse("");
        }
    }

    /** What the daemon wrote to stdout and stderr so far (kubectl logs). */
    public List<String> log() throws IOException {
        return Files.exists(logFile()) ? Files.readAllLines(logFile(), StandardCharsets.UTF_8) : List.of();
    }

    /** The first log line matching {@code pattern}, waiting for it while the daemon runs. */
    public String awaitLog(Pattern pattern) throws IOException, InterruptedException {
        long giveUp = System.nanoTime() + PATIENCE_NANOS;
        while (true) {
            for (String line : log()) {
                Matcher m = pattern.matcher(line);
                if (m.find()) {
                    return line;
                }
            }
            if (System.nanoTime() > giveUp || !running()) {
                throw new AssertionError("pod " + podName() + " logged no line matching " + pattern + ": " + log());
            }
            Thread.sleep(100);
        }
    }

    private boolean running() throws IOException, InterruptedException {
        return testbed.ctr(List.of("task", "ls")).lines().anyMatch(l -> l.startsWith(containerId) && l.contains("RUNNING"));
    }

    /**
     * Stops the pod as the kubelet does: SIGTERM, then SIGKILL once the grace period is over; deletes
     * its container. Returns the daemon's whole log.
     */
    public List<String> stop() throws IOException, InterruptedException {
        if (testbed.ctr(List.of("container", "ls", "-q")).lines().anyMatch(containerId::equals)) {
            stopContainer();
        }
        return log();
    }

    /** Stops the pod if it runs, and deletes its network namespace, cgroup slices and files. */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            stop();
        } finally {
            network.close();
            ContainerdTestbed.removeSlices(cgroup);
            try (Stream<Path> files = Files.walk(scratch)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void stopContainer() throws IOException, InterruptedException {
        if (running()) {
            testbed.ctr(List.of("task", "kill", "--signal", "SIGTERM", containerId));
            long killAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(gracePeriodSeconds);
            while (running() && System.nanoTime() < killAt) {
                Thread.sleep(100);
            }
            if (running()) {
                testbed.ctr(List.of("task", "kill", "--signal", "SIGKILL", containerId));
            }
        }
        long giveUp = System.nanoTime() + PATIENCE_NANOS;
        while (true) {
            try {
                testbed.ctr(List.of("task", "delete", containerId));
                break;
            } catch (AssertionError notYetOrNoTask) {
                if (testbed.ctr(List.of("task", "ls")).lines().noneMatch(l -> l.startsWith(containerId))) {
                    break;
                }
                if (System.nanoTime() > giveUp) {
                    throw notYetOrNoTask;
                }
                Thread.sleep(50);
            }
        }
        testbed.ctr(List.of("container", "delete", containerId));
    }

    private Path logFile() {
        return scratch.resolve("daemon.log");
    }

    /** The port the liveness probe asks, by number or by the container port's name. */
    private static int metricsPort(Container container) {
        IntOrString port = container.getLivenessProbe().getHttpGet().getPort();
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return container.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName()))
                .map(ContainerPort::getContainerPort).findFirst()
                .orElseThrow(() -> new AssertionError("the probe's port " + port.getStrVal() + " is no container port"));
    }
}
