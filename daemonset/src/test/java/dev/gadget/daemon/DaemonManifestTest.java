package dev.gadget.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gadget.daemon.testing.DaemonManifest;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * daemonset/manifests/gadget.yaml, read as the Kubernetes objects it declares: the least privilege
 * docs/security.md argues for, setting by setting, so that a change to any of them is a decision.
 */
class DaemonManifestTest {
    private static DaemonManifest manifest;
    private static Container container;
    private static PodSpec pod;

    @BeforeAll
    static void read() throws IOException {
        manifest = DaemonManifest.project();
        container = manifest.container();
        pod = manifest.podSpec();
    }

    @Test
    void aNamespaceAServiceAccountAndADaemonSetAndNoRbacAtAll() {
        assertEquals(List.of("Namespace", "ServiceAccount", "DaemonSet"),
                manifest.objects().stream().map(HasMetadata::getKind).toList(),
                "no Role, ClusterRole or binding: the daemon never calls the API server");
        for (HasMetadata object : manifest.objects()) {
            assertEquals("gadget", object.getMetadata().getLabels().get("k8s-app"), object.getKind());
        }
        assertEquals("gadget", manifest.only(Namespace.class).getMetadata().getName());
        assertEquals("privileged", manifest.only(Namespace.class).getMetadata().getLabels()
                .get("pod-security.kubernetes.io/enforce"), "hostPath volumes are beyond the baseline standard");
        assertEquals("gadget", manifest.daemonSet().getMetadata().getNamespace());
    }

    @Test
    void noServiceAccountTokenIsMounted() {
        ServiceAccount account = manifest.only(ServiceAccount.class);
        assertEquals(Boolean.FALSE, account.getAutomountServiceAccountToken());
        assertEquals(account.getMetadata().getName(), pod.getServiceAccountName());
        assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken());
        assertEquals(Boolean.FALSE, pod.getEnableServiceLinks());
    }

    @Test
    void theContainerIsUnprivilegedWithOnlyBpfPerfmonAndSyslog() {
        SecurityContext security = container.getSecurityContext();
        assertEquals(Boolean.FALSE, security.getPrivileged());
        assertEquals(Boolean.FALSE, security.getAllowPrivilegeEscalation());
        assertEquals(Boolean.TRUE, security.getReadOnlyRootFilesystem());
        assertEquals(List.of("ALL"), security.getCapabilities().getDrop());
        assertEquals(List.of("BPF", "PERFMON", "SYSLOG"), security.getCapabilities().getAdd(),
                "no SYS_ADMIN, SYS_PTRACE, DAC_READ_SEARCH, SYS_RESOURCE, NET_ADMIN (docs/security.md)");
        assertEquals(0L, security.getRunAsUser(), "capabilities reach only uid 0: Kubernetes gives no ambient ones");
        assertEquals("RuntimeDefault", security.getSeccompProfile().getType());
        assertEquals(null, pod.getSecurityContext() == null ? null : pod.getSecurityContext().getSeccompProfile(),
                "the container's profile is the only one");
    }

    @Test
    void noHostNamespaces() {
        assertEquals(Boolean.FALSE, pod.getHostPID());
        assertEquals(Boolean.FALSE, pod.getHostNetwork());
        assertEquals(Boolean.FALSE, pod.getHostIPC());
    }

    @Test
    void everyVolumeIsAHostPathMountedReadOnlyRecursively() {
        Map<String, String> hostPaths = pod.getVolumes().stream()
                .collect(Collectors.toMap(Volume::getName, v -> v.getHostPath().getPath()));
        assertEquals(Map.of("proc", "/proc", "cgroup", "/sys/fs/cgroup", "tracefs", "/sys/kernel/tracing",
                "containerd-runc-state", "/run/containerd/runc",
                "crio-containers", "/run/containers/storage/overlay-containers"), hostPaths);
        assertEquals(hostPaths.keySet(), container.getVolumeMounts().stream().map(VolumeMount::getName)
                .collect(Collectors.toSet()));
        for (VolumeMount mount : container.getVolumeMounts()) {
            assertEquals(Boolean.TRUE, mount.getReadOnly(), mount.getName());
            assertEquals("IfPossible", mount.getRecursiveReadOnly(), mount.getName());
            assertEquals(null, mount.getMountPropagation(), mount.getName());
        }
        Set<String> underHost = container.getVolumeMounts().stream().map(VolumeMount::getMountPath)
                .filter(path -> !path.startsWith("/host/")).collect(Collectors.toSet());
        assertEquals(Set.of("/sys/kernel/tracing"), underHost, "only tracefs is where libbpf looks for it");
    }

    @Test
    void theDaemonReadsTheHostUnderHostAndServesProbesAndMetricsOnThePodsAddress() {
        assertEquals(List.of("--host-root", "/host", "--metrics-listen", "0.0.0.0:2224"), container.getArgs());
        EnvVar node = container.getEnv().stream().filter(e -> e.getName().equals("NODE_NAME")).findFirst().orElseThrow();
        assertEquals("spec.nodeName", node.getValueFrom().getFieldRef().getFieldPath());
        assertEquals(2224, container.getPorts().getFirst().getContainerPort());
        for (Probe probe : List.of(container.getLivenessProbe(), container.getReadinessProbe())) {
            assertEquals("/healthz", probe.getHttpGet().getPath());
            assertEquals(container.getPorts().getFirst().getName(), probe.getHttpGet().getPort().getStrVal());
        }
    }

    @Test
    void resourcesAreRequestedAndMemoryIsLimited() {
        assertNotNull(container.getResources().getRequests().get("cpu"));
        assertNotNull(container.getResources().getRequests().get("memory"));
        assertNotNull(container.getResources().getLimits().get("memory"));
        assertFalse(container.getResources().getLimits().containsKey("cpu"), "throttled readers would lose events");
    }

    @Test
    void itRunsOnEveryNodeWhateverItsTaints() {
        List<Toleration> tolerations = pod.getTolerations();
        assertEquals(1, tolerations.size());
        assertEquals("Exists", tolerations.getFirst().getOperator());
        assertEquals(null, tolerations.getFirst().getKey());
        DaemonSet daemonSet = manifest.daemonSet();
        assertEquals(Map.of("k8s-app", "gadget"), daemonSet.getSpec().getSelector().getMatchLabels());
        assertEquals("gadget", daemonSet.getSpec().getTemplate().getMetadata().getLabels().get("k8s-app"));
    }

    @Test
    void theImageIsTheProjectVersionsUnderItsOneName() {
        String version = System.getProperty("gadget.version");
        assertNotNull(version, "surefire passes the project version");
        assertEquals("gadget.dev/gadget-daemon:" + version, container.getImage(),
                "the manifest names the image build-image makes (and the plugin's deploy defaults to)");
        assertTrue(container.getImagePullPolicy().equals("IfNotPresent"), "an imported image is used as it is");
    }
}
