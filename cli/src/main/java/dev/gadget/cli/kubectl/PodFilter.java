package dev.gadget.cli.kubectl;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Set;

/**
 * Which pods' containers a run traces, from kubectl's flags: a namespace or all of them and a label
 * selector (both given to the API server, which applies them), a pod name, container names and nodes
 * (applied here, to what the API server sent).
 *
 * @param namespace null: all namespaces
 * @param selector null: no label selector; else as kubectl takes it ("app=x,tier in (a,b)")
 * @param pod null: any pod
 * @param containers empty: any container
 * @param nodes empty: any node
 */
record PodFilter(String namespace, String selector, String pod, Set<String> containers, Set<String> nodes) {
    PodFilter {
        containers = Set.copyOf(containers);
        nodes = Set.copyOf(nodes);
    }

    boolean allNamespaces() {
        return namespace == null;
    }

    /** Whether the pod is one of those asked for (what the API server did not filter already). */
    boolean matches(Pod pod) {
        return (this.pod == null || this.pod.equals(pod.getMetadata().getName()))
                && (nodes.isEmpty() || nodes.contains(pod.getSpec() == null ? null : pod.getSpec().getNodeName()));
    }

    boolean matchesContainer(String name) {
        return containers.isEmpty() || containers.contains(name);
    }

}
