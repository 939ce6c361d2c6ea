package dev.gadget.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gadget.bpf.RequiresBpf;
import dev.gadget.daemon.testing.DaemonImage;
import dev.gadget.daemon.testing.DaemonManifest;
import dev.gadget.daemon.testing.DaemonPod;
import dev.gadget.gadgets.catalog.Catalog;
import dev.gadget.gadgets.model.GadgetDescription;
import dev.gadget.gadgets.model.RowView;
import dev.gadget.gadgets.model.RunMessage;
import dev.gadget.gadgets.testing.ContainerdTestbed;
import dev.gadget.gadgets.testing.ContainerdTestbed.TestContainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The daemon in its image, run under its manifest's security settings as a kubelet would run its pod
 * (DaemonPod: containerd, runc, RuntimeDefault seccomp, the manifest's capabilities and mounts, a
 * network namespace and a cgroup of its own), reached only from inside its pod's network namespace.
 */
@ExtendWith(RequiresBpf.class)
class DaemonPodIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** CapEff of a process holding exactly CAP_BPF (39), CAP_PERFMON (38) and CAP_SYSLOG (34). */
    private static final long BPF_PERFMON_SYSLOG = (1L << 39) | (1L << 38) | (1L << 34);

    private static DaemonImage image;
    private static DaemonManifest manifest;
    private static ContainerdTestbed testbed;

    @BeforeAll
    static void importImage() throws Exception {
        image = DaemonImage.built();
        manifest = DaemonManifest.project();
        testbed = ContainerdTestbed.start();
        testbed.importImage(image.archive());
    }

    @AfterAll
    static void stopTestbed() throws Exception {
        if (testbed != null) {
            testbed.close();
        }
    }

    @Test
    void theImageIsAtMost100MbAndRunsTheJarOnItsOwnRuntime() {
        assertTrue(image.uncompressedBytes() <= 100_000_000L, "the image is " + image.uncompressedBytes() + " bytes");
        assertEquals(manifest.container().getImage(), image.name());
        assertEquals("/opt/gadget/java/bin/java", image.entrypoint().getFirst());
        assertEquals(List.of("-jar", "/opt/gadget/gadget-daemon.jar"), image.entrypoint().subList(
                image.entrypoint().size() - 2, image.entrypoint().size()));
        assertTrue(image.entrypoint().containsAll(List.of("-Djna.boot.library.path=/opt/gadget/native",
                "-Djna.nounpack=true", "-XX:-UsePerfData")), "nothing is written at run time: " + image.entrypoint());
        assertTrue(image.env().contains("LANG=C.UTF-8"), image.env().toString());
    }

    @Test
    void twoNodesPodsEachNameAnExecInAnotherPodsContainer() throws Exception {
        TestContainer web = testbed.run("web", "web-pod", "shop");
        try (DaemonPod a = DaemonPod.start(testbed, image, manifest, "node-a");
                DaemonPod b = DaemonPod.start(testbed, image, manifest, "node-b")) {
            a.awaitReady();
            b.awaitReady();
            String marker = "gadget-pod-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
            try (RunStream onA = new ApiClient(a.api()).traceExec(); RunStream onB = new ApiClient(b.api()).traceExec()) {
                testbed.exec(web, "/bin/echo", marker);
                for (RunStream stream : List.of(onA, onB)) {
                    RowView exec = stream.awaitEvent(e -> e.strings("args").equals(List.of("/bin/echo", marker)));
                    assertEquals(List.of("containerd", web.id(), "web", "web-pod", "shop"), List.of(
                            exec.string("runtime.runtimeName"), exec.string("runtime.containerId"),
                            exec.string("runtime.containerName"), exec.string("k8s.podName"),
                            exec.string("k8s.namespace")));
                }
            }
            for (DaemonPod pod : List.of(a, b)) {
                JsonNode info = JSON.readTree(new ApiClient(pod.api()).get("/v1/info").body());
                assertEquals(pod.nodeName(), info.path("node").asText(), "NODE_NAME from the downward API");
                assertTrue(info.path("error").isMissingNode(), info.toString());
                assertEquals("HTTP/1.1 200 OK", pod.probeHealth());
                assertUnderTheManifestsSecuritySettings(pod);
            }
            List<String> log = a.stop();
            assertEquals("gadget-daemon: stopped: every session ended, all BPF released", log.getLast(), log.toString());
        } finally {
            testbed.stop(web);
        }
    }

    @Test
    void everyGadgetOfTheCatalogRunsInThePod() throws Exception {
        try (DaemonPod pod = DaemonPod.start(testbed, image, manifest, "node-d")) {
            pod.awaitReady();
            ApiClient api = new ApiClient(pod.api());
            for (GadgetDescription gadget : Catalog.descriptions()) {
                String request = "{\"category\":\"" + gadget.category() + "\",\"name\":\"" + gadget.name()
                        + "\",\"timeoutSeconds\":1}";
                try (RunStream run = api.run(gadget.category(), gadget.name(), Map.of(), request)) {
                    assertEquals(RunMessage.End.NORMAL, run.awaitEnd(), gadget.id() + ": " + run.messages());
                    assertTrue(run.messages().stream().noneMatch(m -> m instanceof RunMessage.Notice n
                            && n.level() == RunMessage.Notice.Level.WARNING), gadget.id() + ": " + run.messages());
                }
            }
        }
    }

    @Test
    void withoutCapBpfTheDaemonSaysWhyInOneLineAndStaysUp() throws Exception {
        DaemonManifest noBpf = manifest.with(daemonSet -> daemonSet.getSpec().getTemplate().getSpec().getContainers()
                .getFirst().getSecurityContext().getCapabilities().getAdd().remove("BPF"));
        String why = "loading cgroup_watch: EPERM — this process lacks CAP_BPF: loading BPF needs CAP_BPF and CAP_PERFMON"
                + " (or CAP_SYS_ADMIN); grant them (e.g. the container's capabilities add list)";
        try (DaemonPod pod = DaemonPod.start(testbed, image, noBpf, "node-c")) {
            assertEquals("error: no gadget can run on node node-c: " + why,
                    pod.awaitLog(Pattern.compile("no gadget can run")));
            pod.awaitReady();

            assertEquals("HTTP/1.1 200 OK", pod.probeHealth(), "the kubelet's probe finds it alive");
            ApiClient api = new ApiClient(pod.api());
            ApiClient.Response run = api.send("POST", "/v1/runs", "{\"category\":\"trace\",\"name\":\"exec\"}");
            assertEquals(500, run.status());
            assertEquals("starting trace exec on node node-c: " + why, JSON.readTree(run.body()).path("error").asText());
            assertEquals(why, JSON.readTree(api.get("/v1/info").body()).path("error").asText());
            assertEquals((1L << 38) | (1L << 34), status(pod).get("CapEff"), "BPF was removed, the rest is as asked");
        }
    }

    /** The daemon's process holds exactly what the manifest grants: as root, three capabilities, no more. */
    private static void assertUnderTheManifestsSecuritySettings(DaemonPod pod) throws Exception {
        Map<String, Long> status = status(pod);
        assertEquals(BPF_PERFMON_SYSLOG, status.get("CapEff"));
        assertEquals(BPF_PERFMON_SYSLOG, status.get("CapBnd"));
        assertEquals(0L, status.get("CapAmb"));
        assertEquals(1L, status.get("NoNewPrivs"), "allowPrivilegeEscalation: false");
        assertEquals(2L, status.get("Seccomp"), "a seccomp filter: RuntimeDefault");
        assertEquals(0L, status.get("Uid"));
        Path mountinfo = Path.of("/proc", String.valueOf(pod.pid()), "mountinfo");
        Map<String, String> mounts = Files.readAllLines(mountinfo).stream().map(line -> line.split(" "))
                .collect(Collectors.toMap(fields -> fields[4], fields -> fields[5], (first, second) -> second));
        for (String readOnly : List.of("/", "/host/proc", "/host/sys/fs/cgroup", "/sys/kernel/tracing",
                "/host/run/containerd/runc", "/host/run/containers/storage/overlay-containers")) {
            assertTrue(mounts.get(readOnly).startsWith("ro"), readOnly + " is mounted " + mounts.get(readOnly));
        }
        for (Map.Entry<String, String> mount : mounts.entrySet()) {
            if (mount.getKey().startsWith("/host/")) {
                assertTrue(mount.getValue().startsWith("ro"), "beneath /host too: " + mount);
            }
        }
    }

    /** Numbers of /proc/PID/status: capability masks (hex), the rest decimal (Uid: the real one). */
    private static Map<String, Long> status(DaemonPod pod) throws Exception {
        return Files.readAllLines(Path.of("/proc", String.valueOf(pod.pid()), "status")).stream()
                .map(line -> line.split(":\\s+", 2))
                .filter(kv -> List.of("CapEff", "CapBnd", "CapAmb", "NoNewPrivs", "Seccomp", "Uid").contains(kv[0]))
                .collect(Collectors.toMap(kv -> kv[0], kv -> kv[0].startsWith("Cap")
                        ? Long.parseUnsignedLong(kv[1].strip(), 16) : Long.parseLong(kv[1].split("\\s+")[0])));
    }
}
