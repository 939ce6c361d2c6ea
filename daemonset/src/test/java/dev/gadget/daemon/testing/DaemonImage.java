package dev.gadget.daemon.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The daemon's image as daemonset/build-image writes it: an OCI archive, read with tar. Its name (the
 * index's ref.name), its process (entrypoint, env, user: what a pod's args are appended to) and its
 * size once unpacked.
 *
 * @param entrypoint the image's ENTRYPOINT (a pod's {@code command} would replace it, its {@code args} follow it)
 */
public record DaemonImage(Path archive, String name, List<String> entrypoint, List<String> env, String user,
        long uncompressedBytes) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The image the build made: system property gadget.daemon.image, else daemonset/target/ seen from a module. */
    public static DaemonImage built() throws IOException, InterruptedException {
        String given = System.getProperty("gadget.daemon.image");
        Path archive = given != null ? Path.of(given) : Path.of("../daemonset/target/gadget-daemon-image.tar");
        if (!Files.isRegularFile(archive)) {
            throw new AssertionError(archive.toAbsolutePath() + " is missing: mvn verify builds it (daemonset/build-image)");
        }
        return read(archive);
    }

    public static DaemonImage read(Path archive) throws IOException, InterruptedException {
        JsonNode index = JSON.readTree(entry(archive, "index.json"));
        JsonNode descriptor = index.path("manifests").path(0);
        JsonNode manifest = JSON.readTree(blob(archive, descriptor.path("digest").asText()));
        JsonNode config = JSON.readTree(blob(archive, manifest.path("config").path("digest").asText())).path("config");
        long bytes = 0;
        for (JsonNode layer : manifest.path("layers")) {
            bytes += layer.path("mediaType").asText().endsWith("+gzip")
                    ? Long.parseLong(Commands.run("sh", "-c", "tar -xOf \"$0\" \"$1\" | gzip -dc | wc -c",
                            archive.toString(), blobPath(layer.path("digest").asText())).strip())
                    : layer.path("size").asLong();
        }
        return new DaemonImage(archive, descriptor.path("annotations").path("org.opencontainers.image.ref.name").asText(),
                strings(config.path("Entrypoint")), strings(config.path("Env")), config.path("User").asText(), bytes);
    }

    private static List<String> strings(JsonNode array) {
        List<String> strings = new ArrayList<>();
        array.forEach(element -> strings.add(element.asText()));
        return List.copyOf(strings);
    }

    private static String blob(Path archive, String digest) throws IOException, InterruptedException {
        return entry(archive, blobPath(digest));
    }

    private static String blobPath(String digest) {
        return "blobs/sha256/" + digest.substring("sha256:".length());
    }

    private static String entry(Path archive, String name) throws IOException, InterruptedException {
        return Commands.run("tar", "-xOf", archive.toString(), name);
    }
}
