package dev.gadget.gadgets.containers;

import java.util.Optional;

/**
 * What a cgroup path alone tells about the container inside: its id, the runtime when the path's
 * naming shows it (cri-containerd-, crio-, docker-, libpod-), the pod UID when a kubelet made the path.
 *
 * @param podUid "" outside Kubernetes
 */
public record ContainerCgroup(Optional<ContainerRuntime> runtime, String containerId, String podUid) {
}
