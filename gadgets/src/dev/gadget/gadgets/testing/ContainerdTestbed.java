package dev.gadget.gadgets.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Real containers for tests: a containerd of its own (scratch root, state, runc state and socket,
 * stopped on close), a busybox image built here (no registry is reachable), and containers placed in
 * the cgroups a kubelet with the systemd driver makes, carrying the annotations containerd's CRI
 * plugin writes. Nothing it keeps is at a path a node's containerd uses: code that finds it there
 * finds it the way it would find a non-default setup.
 */
public final class ContainerdTestbed implements AutoCloseable {
    public static final String IMAGE = "gadget.test/busybox:1";
    private static final String NAMESPACE = "k8s.io";
    private static final List<String> APPLETS = List.of("sh", "sleep", "true", "echo", "cat");
    private static final long PATIENCE_SECONDS = 60;

    /** A running container and the kubelet-style cgroup it is in. */
    public record TestContainer(String id, String name, String podName, String namespace, String podUid,
            String cgroup) {
    }

    private final Path dir;
    private final Path socket;
    private final Path runcRoot;
    private final Process containerd;
    private final List<TestContainer> running = new ArrayList<>();
    private int execs;

    private ContainerdTestbed(Path dir, Process containerd) {
        this.dir = dir;
        this.socket = dir.resolve("containerd.sock");
        this.runcRoot = dir.resolve("runc");
        this.containerd = containerd;
    }

    public static ContainerdTestbed start() throws IOException, InterruptedException {
        for (String tool : List.of("containerd", "ctr", "runc", "busybox")) {
            if (!onPath(tool)) {
                throw new AssertionError(tool + " is missing: scripts/test installs containerd, runc and busybox-static");
            }
        }
        Path dir = Files.createTempDirectory("gadget-testbed-");
        Files.writeString(dir.resolve("config.toml"), config(dir, run(dir, "containerd", "config", "default")));
        Process containerd = new ProcessBuilder("containerd", "--config", dir.resolve("config.toml").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("containerd.log").toFile()).start();
        ContainerdTestbed testbed = new ContainerdTestbed(dir, containerd);
        try {
            testbed.awaitReady();
            testbed.importBusybox();
            return testbed;
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            testbed.close();
            throw e;
        }
    }

    /** Where runc keeps its containers' state here (a node's: /run/containerd/runc); pass it to {@code ctr run --runc-root}. */
    public Path runcRoot() {
        return runcRoot;
    }

    /** Imports an OCI image archive (such as the daemon's, from daemonset/build-image) into the k8s.io namespace. */
    public void importImage(Path archive) throws IOException, InterruptedException {
        ctr(List.of("image", "import", archive.toString()));
    }

    /** Runs ctr against this containerd, in the k8s.io namespace; fails unless it exits 0. */
    public String ctr(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ctr", "--address", socket.toString(), "-n", NAMESPACE));
        command.addAll(args);
        return run(dir, command.toArray(String[]::new));
    }

    /** Starts a long-running container in a new pod of {@code namespace}. */
    public TestContainer run(String name, String podName, String namespace) throws IOException, InterruptedException {
        return run(name, podName, namespace, "sh", "-c", "sleep 3600");
    }

    /** Starts a container running {@code command} (which should not end by itself) in a new pod of {@code namespace}. */
    public TestContainer run(String name, String podName, String namespace, String... command)
            throws IOException, InterruptedException {
        TestContainer container = newContainer(name, podName, namespace);
        ctr(runCommand(container, true, List.of(command)));
        running.add(container);
        return container;
    }

    /** Runs a container whose only process is {@code command}, to its end; containerd removes it after. */
    public TestContainer runToCompletion(String name, String podName, String namespace, String... command)
            throws IOException, InterruptedException {
        TestContainer container = newContainer(name, podName, namespace);
        ctr(runCommand(container, false, List.of(command)));
        removeSlices(container.cgroup());
        return container;
    }

    /** Runs {@code command} inside a running container (ctr task exec) and returns its output. */
    public String exec(TestContainer container, String... command) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("task", "exec", "--exec-id", "exec-" + ++execs, container.id()));
        args.addAll(List.of(command));
        return ctr(args);
    }

    /**
     * Copies an executable into a running container's root file system, at /name, through its init's
     * /proc/PID/root: for programs of the test's own (static, as the image has no C library).
     */
    public String copyInto(TestContainer container, Path executable, String name) throws IOException, InterruptedException {
        for (String line : ctr(List.of("task", "ls")).lines().toList()) {
            String[] columns = line.strip().split("\\s+");
            if (columns.length >= 2 && columns[0].equals(container.id())) {
                Path target = Path.of("/proc", columns[1], "root", name);
                Files.copy(executable, target, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                return "/" + name;
            }
        }
        throw new AssertionError("container " + container.id() + " has no running task");
    }

    public void stop(TestContainer container) throws IOException, InterruptedException {
        ctr(List.of("task", "kill", "--signal", "SIGKILL", container.id()));
        // The task must have exited before it can be deleted.
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
        while (true) {
            try {
                ctr(List.of("task", "delete", container.id()));
                break;
            } catch (AssertionError stillRunning) {
                if (System.nanoTime() > giveUp) {
                    throw stillRunning;
                }
                Thread.sleep(50);
            }
        }
        ctr(List.of("container", "delete", container.id()));
        running.remove(container);
        removeSlices(container.cgroup());
    }

    @Override
    public void close() throws IOException, InterruptedException {
        for (TestContainer container : List.copyOf(running)) {
            stop(container);
        }
        containerd.destroy();
        if (!containerd.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS)) {
            containerd.destroyForcibly().waitFor();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** A new container id in a new besteffort pod, at the path kubelet's systemd driver would choose. */
    private static TestContainer newContainer(String name, String podName, String namespace) {
        String podUid = UUID.randomUUID().toString();
        byte[] id = new byte[32];
        ThreadLocalRandom.current().nextBytes(id);
        String containerId = HexFormat.of().formatHex(id);
        String cgroup = "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" + podUid.replace('-', '_')
                + ".slice/cri-containerd-" + containerId + ".scope";
        return new TestContainer(containerId, name, podName, namespace, podUid, cgroup);
    }

    private List<String> runCommand(TestContainer c, boolean detached, List<String> command) {
        List<String> args = new ArrayList<>(List.of("run", detached ? "-d" : "--rm", "--cgroup", c.cgroup(),
                "--runc-root", runcRoot.toString(),
                "--annotation", "io.kubernetes.cri.container-type=container",
                "--annotation", "io.kubernetes.cri.container-name=" + c.name(),
                "--annotation", "io.kubernetes.cri.sandbox-name=" + c.podName(),
                "--annotation", "io.kubernetes.cri.sandbox-namespace=" + c.namespace(),
                "--annotation", "io.kubernetes.cri.sandbox-uid=" + c.podUid(),
                "--annotation", "io.kubernetes.cri.image-name=" + IMAGE,
                IMAGE, c.id()));
        args.addAll(command);
        return args;
    }

    /** runc removes a container's own cgroup; the pod slices above it, in every hierarchy, are ours to remove. */
    public static void removeSlices(String cgroup) throws IOException {
        List<String> slices = new ArrayList<>();
        String parent = cgroup.substring(0, cgroup.lastIndexOf('/'));
        for (String path = parent; !path.isEmpty(); path = path.substring(0, path.lastIndexOf('/'))) {
            slices.add(path);
        }
        try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path hierarchy : hierarchies.filter(Files::isDirectory).toList()) {
                for (String slice : slices) {
                    hierarchy.resolve(slice.substring(1)).toFile().delete(); // rmdir; fails while other pods use it
                }
            }
        }
    }

    private void awaitReady() throws IOException, InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
        while (true) {
            try {
                ctr(List.of("version"));
                return;
            } catch (AssertionError notYet) {
                if (!containerd.isAlive() || System.nanoTime() > giveUp) {
                    throw new AssertionError("containerd did not start: see " + dir.resolve("containerd.log"), notYet);
                }
                Thread.sleep(100);
            }
        }
    }

    /** An OCI image layout (one layer: busybox and its applets) as a tar, imported with ctr. */
    private void importBusybox() throws IOException, InterruptedException {
        Path rootfs = Files.createDirectories(dir.resolve("rootfs/bin"));
        Files.copy(Path.of(run(dir, "sh", "-c", "command -v busybox").strip()), rootfs.resolve("busybox"));
        for (String applet : APPLETS) {
            Files.createSymbolicLink(rootfs.resolve(applet), Path.of("busybox"));
        }
        Path layout = Files.createDirectories(dir.resolve("image/blobs/sha256"));
        Path layer = dir.resolve("layer.tar");
        run(dir, "tar", "--owner=0", "--group=0", "--numeric-owner", "-C", dir.resolve("rootfs").toString(),
                "-cf", layer.toString(), ".");
        Blob layerBlob = blob(layout, Files.readAllBytes(layer));
        Blob config = blob(layout, ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Env\":[\"PATH=/bin\"]},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + layerBlob.digest() + "\"]}}").getBytes(StandardCharsets.UTF_8));
        Blob manifest = blob(layout, ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + config.digest()
                + "\",\"size\":" + config.size() + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\","
                + "\"digest\":\"" + layerBlob.digest() + "\",\"size\":" + layerBlob.size() + "}]}").getBytes(StandardCharsets.UTF_8));
        Files.writeString(layout.getParent().getParent().resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{"
                + "\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + manifest.digest()
                + "\",\"size\":" + manifest.size() + ",\"annotations\":{\"io.containerd.image.name\":\"" + IMAGE + "\"}}]}");
        Files.writeString(layout.getParent().getParent().resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Path image = dir.resolve("image.tar");
        run(dir, "tar", "-C", dir.resolve("image").toString(), "-cf", image.toString(), ".");
        importImage(image);
    }

    private record Blob(String digest, long size) {
    }

    private static Blob blob(Path layout, byte[] content) throws IOException {
        try {
            String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
            Files.write(layout.resolve(hex), content);
            return new Blob("sha256:" + hex, content.length);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String run(Path dir, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }

    /** containerd's default configuration, moved into {@code dir}; CRI is off (the tests act as the kubelet). */
    private static String config(Path dir, String defaults) {
        return defaults
                .replaceFirst("(?m)^disabled_plugins = \\[\\]", "disabled_plugins = [\"io.containerd.grpc.v1.cri\"]")
                .replaceFirst("(?m)^root = .*$", "root = \"" + dir.resolve("root") + "\"")
                .replaceFirst("(?m)^state = .*$", "state = \"" + dir.resolve("state") + "\"")
                .replaceFirst("(?m)^(\\s*)address = \"/run/containerd/containerd.sock\"",
                        "$1address = \"" + dir.resolve("containerd.sock") + "\"")
                .replace("restrict_oom_score_adj = false", "restrict_oom_score_adj = true");
    }

    private static boolean onPath(String tool) {
        return Stream.of(System.getenv("PATH").split(":")).anyMatch(p -> Files.isExecutable(Path.of(p, tool)));
    }
}
