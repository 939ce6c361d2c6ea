package dev.gadget.daemon.testing;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HostPathVolumeSource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a kubelet and containerd's CRI plugin make of a pod's one container, as {@code ctr run} flags
 * for the same containerd: capabilities (containerd's default set, minus drop, plus add), a read-only
 * root, no_new_privs, containerd's RuntimeDefault seccomp profile (generated from the final
 * capabilities, as CRI does), hostPath volumes as rbind mounts (read-only ones recursively so: the
 * runc and kernel here can), the downward API's fields in the environment, the image's entrypoint
 * followed by the pod's args, the resources as cgroup limits, in the cgroup of the pod's QoS class.
 * Whatever it cannot translate faithfully fails the test instead of being left out.
 */
final class KubeletTranslation {
    /** The capabilities containerd gives a container before a pod's drop and add (CRI and ctr alike). */
    static final List<String> CONTAINERD_DEFAULT_CAPABILITIES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID",
            "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
            "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");

    /** The pod as the kubelet knows it once scheduled. */
    record Pod(String name, String namespace, String uid, String nodeName) {
    }

    private KubeletTranslation() {
    }

    /** The pod's cgroup parent, by QoS class, as kubelet's systemd cgroup driver names it. */
    static String podCgroup(Container container, String podUid) {
        String uid = podUid.replace('-', '_');
        return switch (qosClass(container.getResources())) {
            case "Guaranteed" -> "/kubepods.slice/kubepods-pod" + uid + ".slice";
            case "Burstable" -> "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + uid + ".slice";
            default -> "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" + uid + ".slice";
        };
    }

    /**
     * The flags of {@code ctr run} (before the image and the container id) for {@code container}.
     *
     * @param hostPaths where this node keeps what a hostPath names, when not at that path itself
     * @param scratch where a hostPath the node lacks is made, empty, as the runtime would make it
     */
    static List<String> runFlags(PodSpec pod, Container container, Pod identity, Map<String, Path> hostPaths,
            Path scratch) throws IOException {
        if (Boolean.TRUE.equals(pod.getHostNetwork()) || Boolean.TRUE.equals(pod.getHostPID())
                || Boolean.TRUE.equals(pod.getHostIPC())) {
            throw new AssertionError("hostNetwork, hostPID and hostIPC are not translated: the daemon's pod uses none");
        }
        if (container.getCommand() != null && !container.getCommand().isEmpty()) {
            throw new AssertionError("a command replacing the image's entrypoint is not translated");
        }
        List<String> flags = new ArrayList<>();
        security(container.getSecurityContext(), flags);
        for (EnvVar env : container.getEnv()) {
            flags.addAll(List.of("--env", env.getName() + "=" + value(env, identity)));
        }
        for (VolumeMount mount : container.getVolumeMounts()) {
            flags.addAll(List.of("--mount", mount(pod, mount, hostPaths, scratch)));
        }
        resources(container.getResources(), flags);
        flags.addAll(List.of(
                "--annotation", "io.kubernetes.cri.container-type=container",
                "--annotation", "io.kubernetes.cri.container-name=" + container.getName(),
                "--annotation", "io.kubernetes.cri.sandbox-name=" + identity.name(),
                "--annotation", "io.kubernetes.cri.sandbox-namespace=" + identity.namespace(),
                "--annotation", "io.kubernetes.cri.sandbox-uid=" + identity.uid(),
                "--annotation", "io.kubernetes.cri.image-name=" + container.getImage()));
        return flags;
    }

    private static void security(SecurityContext context, List<String> flags) {
        SecurityContext security = context == null ? new SecurityContext() : context;
        if (Boolean.TRUE.equals(security.getPrivileged())) {
            flags.add("--privileged");
        }
        Set<String> capabilities = new LinkedHashSet<>(CONTAINERD_DEFAULT_CAPABILITIES);
        Capabilities asked = security.getCapabilities();
        if (asked != null) {
            for (String drop : asked.getDrop()) {
                if (drop.equals("ALL")) {
                    capabilities.clear();
                } else {
                    capabilities.remove("CAP_" + drop);
                }
            }
            asked.getAdd().forEach(add -> capabilities.add("CAP_" + add));
        }
        for (String capability : CONTAINERD_DEFAULT_CAPABILITIES) {
            if (!capabilities.contains(capability)) {
                flags.addAll(List.of("--cap-drop", capability));
            }
        }
        for (String capability : capabilities) {
            if (!CONTAINERD_DEFAULT_CAPABILITIES.contains(capability)) {
                flags.addAll(List.of("--cap-add", capability));
            }
        }
        if (Boolean.TRUE.equals(security.getReadOnlyRootFilesystem())) {
            flags.add("--read-only");
        }
        // Kubernetes sets no_new_privs only when privilege escalation is refused; ctr sets it unless told.
        if (!Boolean.FALSE.equals(security.getAllowPrivilegeEscalation())) {
            flags.add("--allow-new-privs");
        }
        if (security.getRunAsUser() != null && security.getRunAsUser() != 0) {
            throw new AssertionError("runAsUser " + security.getRunAsUser() + " is not translated (ctr 1.6 run has no --user)");
        }
        SeccompProfile seccomp = security.getSeccompProfile();
        String type = seccomp == null ? "Unconfined" : seccomp.getType();
        switch (type) {
            case "RuntimeDefault" -> flags.add("--seccomp");
            case "Unconfined" -> {
            }
            default -> throw new AssertionError("seccomp profile type " + type + " is not translated");
        }
    }

    private static String value(EnvVar env, Pod identity) {
        if (env.getValueFrom() == null) {
            return Objects.requireNonNullElse(env.getValue(), "");
        }
        String field = env.getValueFrom().getFieldRef() == null ? "" : env.getValueFrom().getFieldRef().getFieldPath();
        return switch (field) {
            case "spec.nodeName" -> identity.nodeName();
            case "metadata.name" -> identity.name();
            case "metadata.namespace" -> identity.namespace();
            case "metadata.uid" -> identity.uid();
            default -> throw new AssertionError("env " + env.getName() + ": only the downward API's node name, pod name,"
                    + " namespace and uid are translated");
        };
    }

    private static String mount(PodSpec pod, VolumeMount mount, Map<String, Path> hostPaths, Path scratch)
            throws IOException {
        Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("volumeMount " + mount.getName() + " has no volume"));
        HostPathVolumeSource hostPath = volume.getHostPath();
        if (hostPath == null) {
            throw new AssertionError("volume " + volume.getName() + ": only hostPath volumes are translated");
        }
        Path source = hostPaths.getOrDefault(hostPath.getPath(), Path.of(hostPath.getPath()));
        String type = Objects.requireNonNullElse(hostPath.getType(), "");
        if (!Files.isDirectory(source)) {
            if (!type.isEmpty() && !type.equals("DirectoryOrCreate")) {
                throw new AssertionError("hostPath type check failed: " + source + " is not a directory (type " + type + ")");
            }
            // The runtime would make it on the node; made here in the pod's scratch directory instead.
            source = Files.createDirectories(scratch.resolve("hostpath" + hostPath.getPath()));
        }
        List<String> options = new ArrayList<>(List.of("rbind"));
        boolean readOnly = Boolean.TRUE.equals(mount.getReadOnly());
        String recursive = Objects.requireNonNullElse(mount.getRecursiveReadOnly(), "Disabled");
        options.add(!readOnly ? "rw" : recursive.equals("Disabled") ? "ro" : "rro");
        String propagation = Objects.requireNonNullElse(mount.getMountPropagation(), "None");
        options.add(switch (propagation) {
            case "None" -> "rprivate";
            case "HostToContainer" -> "rslave";
            case "Bidirectional" -> "rshared";
            default -> throw new AssertionError("mountPropagation " + propagation + " is not known");
        });
        return "type=bind,src=" + source + ",dst=" + mount.getMountPath() + ",options=" + String.join(":", options);
    }

    private static void resources(ResourceRequirements resources, List<String> flags) {
        if (resources == null) {
            return;
        }
        Quantity memory = resources.getLimits() == null ? null : resources.getLimits().get("memory");
        if (memory != null) {
            flags.addAll(List.of("--memory-limit", String.valueOf(Quantity.getAmountInBytes(memory).longValueExact())));
        }
        Quantity cpuLimit = resources.getLimits() == null ? null : resources.getLimits().get("cpu");
        if (cpuLimit != null) {
            flags.addAll(List.of("--cpus", Quantity.getAmountInBytes(cpuLimit).toPlainString()));
        }
        Quantity cpuRequest = resources.getRequests() == null ? null : resources.getRequests().get("cpu");
        if (cpuRequest != null) {
            // The kubelet's shares: 1024 per CPU requested, at least 2.
            long shares = Quantity.getAmountInBytes(cpuRequest).multiply(BigDecimal.valueOf(1024)).longValue();
            flags.addAll(List.of("--cpu-shares", String.valueOf(Math.max(2, shares))));
        }
    }

    private static String qosClass(ResourceRequirements resources) {
        Map<String, Quantity> requests = resources == null || resources.getRequests() == null ? Map.of()
                : resources.getRequests();
        Map<String, Quantity> limits = resources == null || resources.getLimits() == null ? Map.of() : resources.getLimits();
        if (requests.isEmpty() && limits.isEmpty()) {
            return "BestEffort";
        }
        boolean guaranteed = limits.containsKey("cpu") && limits.containsKey("memory")
                && List.of("cpu", "memory").stream().allMatch(r -> !requests.containsKey(r)
                        || Quantity.getAmountInBytes(requests.get(r)).compareTo(Quantity.getAmountInBytes(limits.get(r))) == 0);
        return guaranteed ? "Guaranteed" : "Burstable";
    }
}
