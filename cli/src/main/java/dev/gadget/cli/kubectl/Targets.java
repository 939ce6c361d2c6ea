package dev.gadget.cli.kubectl;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The nodes a run is for (all, or those of --node) and the daemon pod of each; nodes without one
 * are named, so that a node left out is never silent. If the user may not list nodes, the nodes are
 * those the daemon pods run on.
 *
 * @param missing nodes with no daemon pod
 * @param unknown nodes of --node the cluster does not have
 */
record Targets(List<DaemonPod> daemons, List<String> missing, List<String> unknown) {

    static Targets of(KubernetesClient client, Set<String> wanted) {
        List<DaemonPod> pods = DaemonPod.list(client);
        Set<String> nodes = new TreeSet<>();
        try {
            client.nodes().list().getItems().stream().map(Node::getMetadata).forEach(m -> nodes.add(m.getName()));
        } catch (KubernetesClientException e) {
            if (e.getCode() != 403) {
                throw e;
            }
        }
        pods.forEach(pod -> nodes.add(pod.node()));
        List<String> unknown = wanted.stream().filter(node -> !nodes.contains(node)).toList();
        Set<String> chosen = wanted.isEmpty() ? nodes : new TreeSet<>(wanted);
        List<DaemonPod> daemons = pods.stream().filter(pod -> chosen.contains(pod.node())).toList();
        List<String> missing = new ArrayList<>(chosen);
        daemons.forEach(pod -> missing.remove(pod.node()));
        missing.removeAll(unknown);
        return new Targets(daemons, List.copyOf(missing), unknown);
    }
}
