package dev.gadget.gadgets.containers;

/**
 * A container as its runtime describes it. Strings the runtime does not know are "" (a container
 * started outside Kubernetes has no pod).
 */
public record Container(ContainerRuntime runtime, String id, String name, String image, String podName,
        String podNamespace, String podUid) {
}
