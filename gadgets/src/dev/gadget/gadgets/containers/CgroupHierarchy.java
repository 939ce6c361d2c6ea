package dev.gadget.gadgets.containers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The host's cgroup v2 hierarchy: at /sys/fs/cgroup, or at /sys/fs/cgroup/unified on hybrid machines.
 * A cgroup's id (what bpf_get_current_cgroup_id returns) is its directory's inode number.
 */
final class CgroupHierarchy implements AutoCloseable {
    private final Path mount;
    private final int mountFd;

    private CgroupHierarchy(Path mount, int mountFd) {
        this.mount = mount;
        this.mountFd = mountFd;
    }

    /** The hierarchy under {@code host}, or empty on a machine without cgroup v2. */
    static Optional<CgroupHierarchy> find(HostRoot host) {
        for (String candidate : new String[] {"/sys/fs/cgroup/unified", "/sys/fs/cgroup"}) {
            Path mount = host.resolve(candidate);
            // Only a cgroup v2 root has cgroup.controllers; v1 hierarchies and the hybrid tmpfs do not.
            if (Files.isRegularFile(mount.resolve("cgroup.controllers"))) {
                try {
                    return Optional.of(new CgroupHierarchy(mount, FileHandles.openMount(mount)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return Optional.empty();
    }

    /** Every cgroup now: id to path relative to the root ("/kubepods.slice/..."; the root itself is "/"). */
    Map<Long, String> scan() {
        Map<Long, String> cgroups = new HashMap<>();
        try {
            Files.walkFileTree(mount, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                    try {
                        cgroups.put((Long) Files.getAttribute(dir, "unix:ino"), relative(dir));
                        return FileVisitResult.CONTINUE;
                    } catch (IOException removedMeanwhile) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException removedMeanwhile) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("scanning cgroups under " + mount, e);
        }
        return cgroups;
    }

    /** The path of a cgroup by id, if it exists; found through the kernel, not by scanning. */
    Optional<String> pathOf(long id) {
        return FileHandles.cgroupPath(mountFd, id).filter(p -> p.startsWith(mount)).map(this::relative);
    }

    @Override
    public void close() {
        FileHandles.closeMount(mountFd);
    }

    private String relative(Path dir) {
        return "/" + mount.relativize(dir);
    }
}
