package dev.gadget.gadgets.containers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/** What a container runtime keeps on the node about its running containers, read from its files. */
sealed interface ContainerStore permits ContainerdStore, CrioStore, DockerStore, PodmanStore {
    ObjectMapper JSON = new ObjectMapper();
    Logger LOG = Logger.getLogger(ContainerStore.class.getName());

    ContainerRuntime runtime();

    /** The container with this id, if this runtime runs it. */
    Optional<Container> find(String id);

    /** A JSON file, or empty when it is missing or unreadable (a container may vanish while we read). */
    static Optional<JsonNode> readJson(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(file.toFile()));
        } catch (IOException e) {
            LOG.log(Level.FINE, "cannot read " + file + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    /** A string member, "" when absent. */
    static String text(JsonNode node, String member) {
        JsonNode value = node.path(member);
        return value.isTextual() ? value.asText() : "";
    }

    /** JSON a runtime keeps inside a string member (CRI-O's labels, podman's metadata); empty if absent or garbled. */
    static JsonNode embeddedJson(JsonNode node, String member) {
        String json = text(node, member);
        try {
            return json.isEmpty() ? JSON.createObjectNode() : JSON.readTree(json);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    /** The first non-empty string among members of {@code node}. */
    static String firstText(JsonNode node, String... members) {
        for (String member : members) {
            String value = text(node, member);
            if (!value.isEmpty()) {
                return value;
            }
        }
        return "";
    }
}
