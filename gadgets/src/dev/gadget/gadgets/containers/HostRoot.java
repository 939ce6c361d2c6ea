package dev.gadget.gadgets.containers;

import java.nio.file.Path;

/**
 * Where the host's file systems are seen from here: "/" when running on the host itself, or a mount
 * such as /host for a daemon in a pod. Host paths (/run/containerd, /proc, /sys/fs/cgroup) resolve under it.
 */
public record HostRoot(Path root) {
    public static final HostRoot SELF = new HostRoot(Path.of("/"));

    public HostRoot {
        root = root.toAbsolutePath().normalize();
    }

    /** An absolute host path as seen from here. */
    public Path resolve(String hostPath) {
        return root.resolve(hostPath.startsWith("/") ? hostPath.substring(1) : hostPath);
    }
}
