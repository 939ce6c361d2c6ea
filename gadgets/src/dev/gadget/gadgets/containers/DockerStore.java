package dev.gadget.gadgets.containers;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * Docker keeps each container at /var/lib/docker/containers/<id>/config.v2.json: its name ("/web"),
 * image, and for pods run through cri-dockerd the kubelet's io.kubernetes.* labels.
 */
final class DockerStore implements ContainerStore {
    private final HostRoot host;

    DockerStore(HostRoot host) {
        this.host = host;
    }

    @Override
    public ContainerRuntime runtime() {
        return ContainerRuntime.DOCKER;
    }

    @Override
    public Optional<Container> find(String id) {
        return ContainerStore.readJson(host.resolve("/var/lib/docker/containers").resolve(id).resolve("config.v2.json"))
                .map(config -> container(id, config));
    }

    static Container container(String id, JsonNode config) {
        JsonNode labels = config.path("Config").path("Labels");
        String name = ContainerStore.text(labels, "io.kubernetes.container.name");
        if (name.isEmpty()) {
            name = ContainerStore.text(config, "Name").replaceFirst("^/", "");
        }
        return new Container(ContainerRuntime.DOCKER, id, name,
                ContainerStore.text(config.path("Config"), "Image"),
                ContainerStore.text(labels, "io.kubernetes.pod.name"),
                ContainerStore.text(labels, "io.kubernetes.pod.namespace"),
                ContainerStore.text(labels, "io.kubernetes.pod.uid"));
    }
}
