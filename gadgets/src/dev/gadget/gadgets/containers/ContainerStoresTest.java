package dev.gadget.gadgets.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each runtime's state as it lays it out on a node, written under a scratch host root: the stores
 * must read what they need from where the runtime keeps it. containerd is also tested live (ContainersTest).
 */
class ContainerStoresTest {
    private static final String ID = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static final String UID = "6a4c5b0e-3f1d-4c2a-9e8b-7d6c5b4a3f2e";

    @TempDir
    Path host;

    @Test
    void containerdCriAnnotations() throws IOException {
        write("run/containerd/io.containerd.runtime.v2.task/k8s.io/" + ID + "/config.json", """
                {"ociVersion": "1.0.2", "annotations": {
                  "io.kubernetes.cri.container-type": "container",
                  "io.kubernetes.cri.container-name": "web",
                  "io.kubernetes.cri.sandbox-name": "web-7d4b9",
                  "io.kubernetes.cri.sandbox-namespace": "shop",
                  "io.kubernetes.cri.sandbox-uid": "%s",
                  "io.kubernetes.cri.image-name": "docker.io/library/nginx:1.27"}}""".formatted(UID));

        assertEquals(Optional.of(new Container(ContainerRuntime.CONTAINERD, ID, "web", "docker.io/library/nginx:1.27",
                "web-7d4b9", "shop", UID)), find(ContainerRuntime.CONTAINERD, ""));
    }

    @Test
    void containerdCriAnnotationsFromRuncStateAlone() throws IOException {
        write("run/containerd/runc/k8s.io/" + ID + "/state.json", """
                {"id": "%s", "init_process_pid": 4242, "config": {"labels": [
                  "io.kubernetes.cri.container-type=container",
                  "io.kubernetes.cri.container-name=web",
                  "io.kubernetes.cri.sandbox-name=web-7d4b9",
                  "io.kubernetes.cri.sandbox-namespace=shop",
                  "io.kubernetes.cri.sandbox-uid=%s",
                  "io.kubernetes.cri.image-name=docker.io/library/nginx:1.27",
                  "bundle=/run/containerd/io.containerd.runtime.v2.task/k8s.io/%s"]}}""".formatted(ID, UID, ID));

        assertEquals(Optional.of(new Container(ContainerRuntime.CONTAINERD, ID, "web", "docker.io/library/nginx:1.27",
                "web-7d4b9", "shop", UID)), find(ContainerRuntime.CONTAINERD, ""),
                "the daemon's pod sees runc's state, not the bundles");
    }

    @Test
    void containerdWithoutKubernetesIsNamedByItsId() throws IOException {
        write("run/k3s/containerd/io.containerd.runtime.v2.task/default/" + ID + "/config.json",
                "{\"annotations\": {}}");

        assertEquals(Optional.of(new Container(ContainerRuntime.CONTAINERD, ID, ID, "", "", "", "")), find(null, ""));
    }

    @Test
    void aPodSandboxHasAPodButNoContainerName() throws IOException {
        write("run/containerd/io.containerd.runtime.v2.task/k8s.io/" + ID + "/config.json", """
                {"annotations": {"io.kubernetes.cri.container-type": "sandbox",
                  "io.kubernetes.cri.sandbox-name": "web-7d4b9", "io.kubernetes.cri.sandbox-namespace": "shop"}}""");

        assertEquals(Optional.of(new Container(ContainerRuntime.CONTAINERD, ID, "", "", "web-7d4b9", "shop", UID)),
                find(ContainerRuntime.CONTAINERD, UID), "the pod UID comes from the cgroup path");
    }

    @Test
    void crioKeepsTheKubeletLabelsInItsAnnotations() throws IOException {
        write("run/containers/storage/overlay-containers/" + ID + "/userdata/config.json", """
                {"annotations": {
                  "io.kubernetes.cri-o.ContainerType": "container",
                  "io.kubernetes.cri-o.ImageName": "quay.io/app/api:2",
                  "io.kubernetes.cri-o.Labels": "{\\"io.kubernetes.container.name\\":\\"api\\",\\"io.kubernetes.pod.name\\":\\"api-0\\",\\"io.kubernetes.pod.namespace\\":\\"prod\\",\\"io.kubernetes.pod.uid\\":\\"%s\\"}"}}
                """.formatted(UID));

        assertEquals(Optional.of(new Container(ContainerRuntime.CRIO, ID, "api", "quay.io/app/api:2", "api-0", "prod",
                UID)), find(ContainerRuntime.CRIO, ""));
    }

    @Test
    void dockerNamesAndCriDockerdLabels() throws IOException {
        write("var/lib/docker/containers/" + ID + "/config.v2.json",
                "{\"Name\": \"/redis\", \"Config\": {\"Image\": \"redis:7\", \"Labels\": {}}}");

        assertEquals(Optional.of(new Container(ContainerRuntime.DOCKER, ID, "redis", "redis:7", "", "", "")),
                find(null, ""), "a bare cgroupfs id is asked of every runtime");
    }

    @Test
    void podmanListsNamesAndImageInContainersJson() throws IOException {
        write("var/lib/containers/storage/overlay-containers/containers.json", """
                [{"id": "ffff", "names": ["other"]},
                 {"id": "%s", "names": ["db"], "metadata": "{\\"image-name\\":\\"docker.io/library/postgres:16\\",\\"name\\":\\"db\\"}"}]
                """.formatted(ID));

        assertEquals(Optional.of(new Container(ContainerRuntime.PODMAN, ID, "db", "docker.io/library/postgres:16", "", "",
                "")), find(ContainerRuntime.PODMAN, ""));
    }

    @Test
    void theRuntimeAPathNamesIsTheOnlyOneAsked() throws IOException {
        write("var/lib/docker/containers/" + ID + "/config.v2.json", "{\"Name\": \"/redis\", \"Config\": {}}");

        assertEquals(Optional.empty(), find(ContainerRuntime.CONTAINERD, ""));
    }

    @Test
    void unknownAndGarbledStateIsNoContainer() throws IOException {
        assertEquals(Optional.empty(), find(null, ""));
        write("run/containers/storage/overlay-containers/" + ID + "/userdata/config.json", "{not json");
        assertEquals(Optional.empty(), find(ContainerRuntime.CRIO, ""));
    }

    private Optional<Container> find(ContainerRuntime runtime, String podUid) {
        return new ContainerStores(new HostRoot(host)).find(new ContainerCgroup(Optional.ofNullable(runtime), ID, podUid));
    }

    private void write(String path, String content) throws IOException {
        Path file = host.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
