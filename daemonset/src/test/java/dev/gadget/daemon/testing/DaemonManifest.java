package dev.gadget.daemon.testing;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * daemonset/manifests/gadget.yaml read as the Kubernetes objects it declares (fabric8's model), as the
 * API server would store them. {@link #with} gives a changed copy, e.g. a pod missing a capability.
 */
public record DaemonManifest(Path file, List<HasMetadata> objects) {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    /** The project's manifest: system property gadget.daemon.manifest, else daemonset/manifests/ seen from a module. */
    public static DaemonManifest project() throws IOException {
        String given = System.getProperty("gadget.daemon.manifest");
        return read(given != null ? Path.of(given) : Path.of("../daemonset/manifests/gadget.yaml"));
    }

    public static DaemonManifest read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            Object parsed = SERIALIZATION.unmarshal(in);
            List<HasMetadata> objects = parsed instanceof List<?> list
                    ? list.stream().map(HasMetadata.class::cast).toList()
                    : List.of((HasMetadata) parsed);
            return new DaemonManifest(file, objects);
        }
    }

    /** The one object of this kind. */
    public <T extends HasMetadata> T only(Class<T> kind) {
        List<T> found = objects.stream().filter(kind::isInstance).map(kind::cast).toList();
        if (found.size() != 1) {
            throw new AssertionError(file + " declares " + found.size() + " " + kind.getSimpleName() + " objects, not one");
        }
        return found.getFirst();
    }

    public DaemonSet daemonSet() {
        return only(DaemonSet.class);
    }

    public PodSpec podSpec() {
        return daemonSet().getSpec().getTemplate().getSpec();
    }

    /** The daemon's container, the pod's only one. */
    public Container container() {
        List<Container> containers = podSpec().getContainers();
        if (containers.size() != 1) {
            throw new AssertionError(file + ": the daemon's pod has " + containers.size() + " containers, not one");
        }
        return containers.getFirst();
    }

    /** A deep copy whose DaemonSet {@code change} has edited. */
    public DaemonManifest with(Consumer<DaemonSet> change) {
        List<HasMetadata> copies = objects.stream()
                .map(object -> SERIALIZATION.unmarshal(SERIALIZATION.asJson(object), HasMetadata.class)).toList();
        DaemonManifest copy = new DaemonManifest(file, copies);
        change.accept(copy.daemonSet());
        return copy;
    }
}
