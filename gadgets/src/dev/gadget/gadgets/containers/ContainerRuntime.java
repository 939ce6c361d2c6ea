package dev.gadget.gadgets.containers;

/** The container runtimes whose containers we can name, as Inspektor Gadget names them (runtimeName). */
public enum ContainerRuntime {
    CONTAINERD("containerd"),
    CRIO("cri-o"),
    DOCKER("docker"),
    PODMAN("podman");

    private final String runtimeName;

    ContainerRuntime(String runtimeName) {
        this.runtimeName = runtimeName;
    }

    public String runtimeName() {
        return runtimeName;
    }
}
