package dev.gadget.cli.kubectl;

import dev.gadget.cli.Version;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The objects that make the gadget DaemonSet, from daemonset/manifests/ (the build copies them into
 * this jar), with the image and node selector a deploy asks for.
 */
final class Manifests {
    static final String FILE = "manifests/gadget.yaml";
    /** The image of this plugin's own version. */
    static final String IMAGE = "gadget.dev/gadget-daemon";

    private Manifests() {
    }

    static String defaultImage() {
        return IMAGE + ":" + (Version.number().equals(Version.DEVELOPMENT) ? "latest" : Version.number());
    }

    /** The objects in the order they are applied (namespace first). */
    static List<HasMetadata> load(String image, Map<String, String> nodeSelector) {
        List<HasMetadata> objects = new ArrayList<>();
        try (InputStream in = Manifests.class.getResourceAsStream(FILE)) {
            if (in == null) {
                throw new IllegalStateException("this build of kubectl-gadget has no " + FILE + ": rebuild it");
            }
            Object loaded = Serialization.unmarshal(in);
            for (Object document : loaded instanceof List<?> documents ? documents : List.of(loaded)) {
                objects.add((HasMetadata) document);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + FILE + ": " + e.getMessage(), e);
        }
        for (HasMetadata object : objects) {
            if (object instanceof DaemonSet daemonSet) {
                var pod = daemonSet.getSpec().getTemplate().getSpec();
                pod.getContainers().forEach(container -> container.setImage(image));
                if (!nodeSelector.isEmpty()) {
                    pod.setNodeSelector(Map.copyOf(nodeSelector));
                }
            }
        }
        return objects;
    }

    /** The objects as one YAML stream (what --print-only shows, what kubectl apply -f takes). */
    static String yaml(List<HasMetadata> objects) {
        StringBuilder yaml = new StringBuilder();
        for (HasMetadata object : objects) {
            String document = Serialization.asYaml(object);
            yaml.append(document.startsWith("---") ? "" : "---\n").append(document);
            if (!document.endsWith("\n")) {
                yaml.append('\n');
            }
        }
        return yaml.toString();
    }
}
