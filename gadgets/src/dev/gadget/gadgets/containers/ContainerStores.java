package dev.gadget.gadgets.containers;

import java.util.List;
import java.util.Optional;

/** Every runtime's store; asks the one a cgroup path names, or each in turn when the path does not say. */
final class ContainerStores {
    /** Docker first: its containers also have containerd bundles (namespace moby), without their names. */
    private final List<ContainerStore> stores;

    ContainerStores(HostRoot host) {
        this.stores = List.of(new DockerStore(host), new ContainerdStore(host), new CrioStore(host),
                new PodmanStore(host));
    }

    Optional<Container> find(ContainerCgroup cgroup) {
        for (ContainerStore store : stores) {
            if (cgroup.runtime().isEmpty() || cgroup.runtime().get() == store.runtime()) {
                Optional<Container> found = store.find(cgroup.containerId());
                if (found.isPresent()) {
                    return found.map(c -> c.podUid().isEmpty() && !cgroup.podUid().isEmpty()
                            ? new Container(c.runtime(), c.id(), c.name(), c.image(), c.podName(), c.podNamespace(),
                                    cgroup.podUid())
                            : c);
                }
            }
        }
        return Optional.empty();
    }
}
