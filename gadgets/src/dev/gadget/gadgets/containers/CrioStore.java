package dev.gadget.gadgets.containers;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * CRI-O keeps each container's OCI spec at
 * {@code /run/containers/storage/overlay-containers/<id>/userdata/config.json}; the kubelet's labels
 * (io.kubernetes.pod.name, ...) sit in its annotations, also as the JSON of io.kubernetes.cri-o.Labels.
 */
final class CrioStore implements ContainerStore {
    private final HostRoot host;

    CrioStore(HostRoot host) {
        this.host = host;
    }

    @Override
    public ContainerRuntime runtime() {
        return ContainerRuntime.CRIO;
    }

    @Override
    public Optional<Container> find(String id) {
        return ContainerStore.readJson(host.resolve("/run/containers/storage/overlay-containers")
                .resolve(id).resolve("userdata/config.json"))
                .map(spec -> container(id, spec.path("annotations")));
    }

    static Container container(String id, JsonNode annotations) {
        JsonNode labels = ContainerStore.embeddedJson(annotations, "io.kubernetes.cri-o.Labels");
        boolean sandbox = "sandbox".equals(ContainerStore.text(annotations, "io.kubernetes.cri-o.ContainerType"));
        return new Container(ContainerRuntime.CRIO, id, sandbox ? "" : kube(annotations, labels, "io.kubernetes.container.name"),
                ContainerStore.text(annotations, "io.kubernetes.cri-o.ImageName"),
                kube(annotations, labels, "io.kubernetes.pod.name"),
                kube(annotations, labels, "io.kubernetes.pod.namespace"),
                kube(annotations, labels, "io.kubernetes.pod.uid"));
    }

    private static String kube(JsonNode annotations, JsonNode labels, String key) {
        String value = ContainerStore.text(labels, key);
        return value.isEmpty() ? ContainerStore.text(annotations, key) : value;
    }
}
