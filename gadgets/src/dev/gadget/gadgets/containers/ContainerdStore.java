package dev.gadget.gadgets.containers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * containerd keeps each task's OCI spec in its bundle, {@code <state>/io.containerd.runtime.v2.task/<namespace>/<id>/config.json};
 * CRI (kubelet) containers carry their pod and name in its io.kubernetes.cri.* annotations. The state
 * directory is /run/containerd unless configured otherwise (k3s: /run/k3s/containerd): other ones are
 * found through the running shims, whose working directory is a bundle.
 *
 * <p>runc, which containerd's shim runs, keeps the same annotations as "key=value" labels in
 * {@code /run/containerd/runc/<namespace>/<id>/state.json}. That directory holds nothing else, while a
 * bundle directory holds the container's root file system mount: the daemon's pod mounts only runc's.
 */
final class ContainerdStore implements ContainerStore {
    private static final List<String> KNOWN_STATE_DIRS = List.of("/run/containerd", "/run/k3s/containerd");
    /** Where containerd's runc shim keeps runc's state, whatever containerd's state directory. */
    private static final String RUNC_ROOT = "/run/containerd/runc";
    private static final String TASKS = "io.containerd.runtime.v2.task";
    private static final long DISCOVERY_INTERVAL_NANOS = 1_000_000_000L;

    private final HostRoot host;
    private final Set<Path> stateDirs = ConcurrentHashMap.newKeySet();
    private long nextDiscovery = System.nanoTime();

    ContainerdStore(HostRoot host) {
        this.host = host;
        KNOWN_STATE_DIRS.forEach(dir -> stateDirs.add(host.resolve(dir)));
    }

    @Override
    public ContainerRuntime runtime() {
        return ContainerRuntime.CONTAINERD;
    }

    @Override
    public Optional<Container> find(String id) {
        Optional<Container> found = findIn(id);
        if (found.isEmpty() && discoverStateDirs()) {
            found = findIn(id);
        }
        return found;
    }

    private Optional<Container> findIn(String id) {
        Optional<Container> fromRunc = findInRuncState(id);
        if (fromRunc.isPresent()) {
            return fromRunc;
        }
        for (Path stateDir : stateDirs) {
            try (DirectoryStream<Path> namespaces = Files.newDirectoryStream(stateDir.resolve(TASKS))) {
                for (Path namespace : namespaces) {
                    Optional<JsonNode> spec = ContainerStore.readJson(namespace.resolve(id).resolve("config.json"));
                    if (spec.isPresent()) {
                        return Optional.of(container(id, spec.get().path("annotations")));
                    }
                }
            } catch (IOException noSuchStateDir) {
                // this state directory is not in use on this host
            }
        }
        return Optional.empty();
    }

    private Optional<Container> findInRuncState(String id) {
        try (DirectoryStream<Path> namespaces = Files.newDirectoryStream(host.resolve(RUNC_ROOT))) {
            for (Path namespace : namespaces) {
                Optional<JsonNode> state = ContainerStore.readJson(namespace.resolve(id).resolve("state.json"));
                if (state.isPresent()) {
                    return Optional.of(container(id, annotationsOfLabels(state.get().path("config").path("labels"))));
                }
            }
        } catch (IOException noRuncState) {
            // runc's state is not there (another runtime, or not mounted): the bundles say the same
        }
        return Optional.empty();
    }

    /** runc's labels are the spec's annotations as "key=value", plus its own "bundle=...". */
    private static JsonNode annotationsOfLabels(JsonNode labels) {
        ObjectNode annotations = ContainerStore.JSON.createObjectNode();
        for (JsonNode label : labels) {
            String text = label.asText();
            int equals = text.indexOf('=');
            if (equals > 0) {
                annotations.put(text.substring(0, equals), text.substring(equals + 1));
            }
        }
        return annotations;
    }

    static Container container(String id, JsonNode annotations) {
        boolean sandbox = "sandbox".equals(ContainerStore.text(annotations, "io.kubernetes.cri.container-type"));
        String name = sandbox ? ""
                : ContainerStore.firstText(annotations, "io.kubernetes.cri.container-name", "nerdctl/name");
        return new Container(ContainerRuntime.CONTAINERD, id, name.isEmpty() && !sandbox ? id : name,
                ContainerStore.text(annotations, "io.kubernetes.cri.image-name"),
                ContainerStore.text(annotations, "io.kubernetes.cri.sandbox-name"),
                ContainerStore.text(annotations, "io.kubernetes.cri.sandbox-namespace"),
                ContainerStore.text(annotations, "io.kubernetes.cri.sandbox-uid"));
    }

    /** Adds the state directories of running shims; true if it found new ones. At most once a second. */
    private synchronized boolean discoverStateDirs() {
        long now = System.nanoTime();
        if (now - nextDiscovery < 0) {
            return false;
        }
        nextDiscovery = now + DISCOVERY_INTERVAL_NANOS;
        int before = stateDirs.size();
        try (Stream<Path> processes = Files.list(host.resolve("/proc"))) {
            processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(ContainerdStore::isShim)
                    .forEach(p -> stateDirOfShim(p).ifPresent(stateDirs::add));
        } catch (IOException e) {
            LOG.fine("cannot list " + host.resolve("/proc") + ": " + e.getMessage());
        }
        return stateDirs.size() > before;
    }

    private static boolean isShim(Path process) {
        try {
            return Files.readString(process.resolve("comm")).startsWith("containerd-shim");
        } catch (IOException exited) {
            return false;
        }
    }

    private Optional<Path> stateDirOfShim(Path process) {
        try {
            String bundle = Files.readSymbolicLink(process.resolve("cwd")).toString();
            int tasks = bundle.indexOf("/" + TASKS + "/");
            return tasks < 0 ? Optional.empty() : Optional.of(host.resolve(bundle.substring(0, tasks)));
        } catch (IOException exited) {
            return Optional.empty();
        }
    }
}
