package dev.gadget.gadgets.containers;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * Podman (through containers/storage) lists its containers in
 * /var/lib/containers/storage/overlay-containers/containers.json: names, and a metadata JSON with the
 * image name.
 */
final class PodmanStore implements ContainerStore {
    private final HostRoot host;

    PodmanStore(HostRoot host) {
        this.host = host;
    }

    @Override
    public ContainerRuntime runtime() {
        return ContainerRuntime.PODMAN;
    }

    @Override
    public Optional<Container> find(String id) {
        return ContainerStore.readJson(host.resolve("/var/lib/containers/storage/overlay-containers/containers.json"))
                .flatMap(list -> container(id, list));
    }

    static Optional<Container> container(String id, JsonNode list) {
        for (JsonNode entry : list) {
            if (id.equals(ContainerStore.text(entry, "id"))) {
                JsonNode metadata = ContainerStore.embeddedJson(entry, "metadata");
                String name = entry.path("names").path(0).asText(ContainerStore.text(metadata, "name"));
                return Optional.of(new Container(ContainerRuntime.PODMAN, id, name,
                        ContainerStore.text(metadata, "image-name"), "", "", ""));
            }
        }
        return Optional.empty();
    }
}
