package dev.gadget.cli.kubectl;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A pod of the gadget DaemonSet (namespace gadget, label k8s-app=gadget): the node it runs on, and
 * whether it is ready to be reached, or why not.
 *
 * @param notReady "" when ready; else why, in a few words
 */
record DaemonPod(String name, String node, String notReady) {
    static final String NAMESPACE = "gadget";
    static final String LABEL = "k8s-app";
    static final String LABEL_VALUE = "gadget";
    /** Where the daemon listens inside its pod (loopback only: port-forward is the way in). */
    static final int PORT = 8080;
    static final String WHERE = "namespace " + NAMESPACE + ", label " + LABEL + "=" + LABEL_VALUE;

    boolean ready() {
        return notReady.isEmpty();
    }

    /** The daemon pods, one per node: a node with several (a rollout) is served by a ready one, the newest. */
    static List<DaemonPod> list(KubernetesClient client) {
        List<Pod> pods = client.pods().inNamespace(NAMESPACE).withLabel(LABEL, LABEL_VALUE).list().getItems();
        Map<String, DaemonPod> byNode = new TreeMap<>();
        pods.stream()
                .filter(pod -> pod.getSpec() != null && pod.getSpec().getNodeName() != null)
                .sorted(Comparator.comparing((Pod pod) -> Objects.requireNonNullElse(
                        pod.getMetadata().getCreationTimestamp(), "")).reversed())
                .map(DaemonPod::of)
                .forEach(pod -> byNode.merge(pod.node(), pod, (kept, other) -> kept.ready() || !other.ready() ? kept : other));
        return List.copyOf(byNode.values());
    }

    static DaemonPod of(Pod pod) {
        String name = pod.getMetadata().getName();
        String node = pod.getSpec().getNodeName();
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            return new DaemonPod(name, node, "it is being deleted");
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if (!"Running".equals(phase)) {
            return new DaemonPod(name, node, "its phase is " + Objects.requireNonNullElse(phase, "unknown"));
        }
        List<PodCondition> conditions = pod.getStatus().getConditions() == null ? List.of() : pod.getStatus().getConditions();
        PodCondition ready = conditions.stream().filter(c -> "Ready".equals(c.getType())).findFirst().orElse(null);
        if (ready == null || !"True".equals(ready.getStatus())) {
            String why = ready == null ? "" : Objects.requireNonNullElse(ready.getMessage(),
                    Objects.requireNonNullElse(ready.getReason(), ""));
            return new DaemonPod(name, node, "it is not ready" + (why.isBlank() ? "" : ": " + why));
        }
        return new DaemonPod(name, node, "");
    }
}
