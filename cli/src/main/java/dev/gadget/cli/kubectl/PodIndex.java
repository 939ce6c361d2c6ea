package dev.gadget.cli.kubectl;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.api.model.PodList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The containers of the pods a run traces, kept current by an informer (a list, then a watch) on the
 * API server with the user's credentials: by container id, what to name each event's pod; by node,
 * the container ids each node's daemon is to trace. Pods that come, go, restart a container or stop
 * matching the selector change a node's ids, and {@code onChange} hears which node's.
 */
final class PodIndex implements AutoCloseable {
    /** What an event's container is, in Kubernetes' terms. */
    record PodContainer(String node, String namespace, String pod, String container, Map<String, String> labels,
            Owners.Owner owner) {
    }

    private final KubernetesClient client;
    private final PodFilter filter;
    private final Owners owners;
    private final Consumer<String> onChange;
    /** Bare container id (no "containerd://") to its pod's container. */
    private final Map<String, PodContainer> byContainerId = new ConcurrentHashMap<>();
    /** Pod uid to the bare ids of its containers now indexed. */
    private final Map<String, Set<String>> byPod = new HashMap<>();
    private SharedIndexInformer<Pod> informer;

    PodIndex(KubernetesClient client, PodFilter filter, Owners owners, Consumer<String> onChange) {
        this.client = client;
        this.filter = filter;
        this.owners = owners;
        this.onChange = onChange;
    }

    /** Lists the pods (returns once they are indexed), then follows their changes. */
    void start() {
        FilterWatchListDeletable<Pod, PodList, PodResource> pods = filter.allNamespaces()
                ? client.pods().inAnyNamespace() : client.pods().inNamespace(filter.namespace());
        if (filter.selector() != null) {
            pods = pods.withLabelSelector(filter.selector());
        }
        informer = pods.inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                update(pod);
            }

            @Override
            public void onUpdate(Pod before, Pod pod) {
                update(pod);
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
                remove(pod.getMetadata().getUid());
            }
        });
    }

    /** The pod's container an event came from, by its runtime's container id (bare or with its scheme). */
    PodContainer find(String containerId) {
        return containerId == null || containerId.isEmpty() ? null : byContainerId.get(bare(containerId));
    }

    /** The container ids (as the kubelet reports them) of the matching pods on {@code node}. */
    synchronized Set<String> containerIds(String node) {
        Set<String> ids = new HashSet<>();
        byContainerId.forEach((id, container) -> {
            if (container.node().equals(node)) {
                ids.add(id);
            }
        });
        return ids;
    }

    private synchronized void update(Pod pod) {
        String uid = pod.getMetadata().getUid();
        if (pod.getSpec() == null || pod.getSpec().getNodeName() == null || !filter.matches(pod)) {
            remove(uid);
            return;
        }
        String node = pod.getSpec().getNodeName();
        Map<String, String> labels = new TreeMap<>(pod.getMetadata().getLabels() == null ? Map.of()
                : pod.getMetadata().getLabels());
        Owners.Owner owner = owners.of(pod);
        Map<String, PodContainer> containers = new HashMap<>();
        for (ContainerStatus status : statuses(pod)) {
            if (status.getContainerID() != null && !status.getContainerID().isBlank()
                    && filter.matchesContainer(status.getName())) {
                containers.put(bare(status.getContainerID()), new PodContainer(node, pod.getMetadata().getNamespace(),
                        pod.getMetadata().getName(), status.getName(), labels, owner));
            }
        }
        Set<String> before = byPod.getOrDefault(uid, Set.of());
        boolean changed = !before.equals(containers.keySet());
        before.forEach(byContainerId::remove);
        byContainerId.putAll(containers);
        byPod.put(uid, Set.copyOf(containers.keySet()));
        if (changed) {
            onChange.accept(node);
        }
    }

    private synchronized void remove(String uid) {
        Set<String> before = byPod.remove(uid);
        if (before == null || before.isEmpty()) {
            return;
        }
        Set<String> nodes = new HashSet<>();
        for (String id : before) {
            PodContainer gone = byContainerId.remove(id);
            if (gone != null) {
                nodes.add(gone.node());
            }
        }
        nodes.forEach(onChange);
    }

    private static List<ContainerStatus> statuses(Pod pod) {
        List<ContainerStatus> statuses = new ArrayList<>();
        if (pod.getStatus() != null) {
            for (List<ContainerStatus> some : List.of(nullToEmpty(pod.getStatus().getInitContainerStatuses()),
                    nullToEmpty(pod.getStatus().getContainerStatuses()),
                    nullToEmpty(pod.getStatus().getEphemeralContainerStatuses()))) {
                statuses.addAll(some);
            }
        }
        return statuses;
    }

    private static <T> List<T> nullToEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    /** "containerd://4f5e..." to "4f5e...". */
    static String bare(String containerId) {
        int scheme = containerId.indexOf("://");
        return scheme < 0 ? containerId : containerId.substring(scheme + 3);
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
    }
}
