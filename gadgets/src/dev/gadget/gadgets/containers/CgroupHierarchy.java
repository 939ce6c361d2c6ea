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
import java.util.function.BiPredicate;
import java.util.logging.Logger;

/**
 * The host's cgroup v2 hierarchy: at /sys/fs/cgroup, or at /sys/fs/cgroup/unified on hybrid machines.
 * A cgroup's id (what bpf_get_current_cgroup_id returns) is its directory's inode number.
 */
final class CgroupHierarchy implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CgroupHierarchy.class.getName());

    private final Path mount;
    private final int mountFd;
    /** Set once open_by_handle_at was refused: from then on a cgroup is found by walking the hierarchy. */
    private volatile boolean handlesRefused;

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
        walk((id, path) -> {
            cgroups.put(id, path);
            return true;
        });
        return cgroups;
    }

    /**
     * The path of a cgroup by id, if it exists: found through the kernel with a file handle, or, where
     * this process may not open handles (no CAP_DAC_READ_SEARCH, as in the daemon's pod), by walking
     * the hierarchy: a few milliseconds for a node's thousand cgroups, and only for ids the cgroup
     * watcher has not named yet.
     */
    Optional<String> pathOf(long id) {
        if (!handlesRefused) {
            try {
                return FileHandles.cgroupPath(mountFd, id).filter(p -> p.startsWith(mount)).map(this::relative);
            } catch (FileHandles.Refused e) {
                handlesRefused = true;
                LOG.fine("open_by_handle_at is refused (EPERM, no CAP_DAC_READ_SEARCH): cgroups are looked up by walking "
                        + mount);
            }
        }
        return walkTo(id);
    }

    /** The path of a cgroup by id, found by walking the hierarchy until its directory. */
    Optional<String> walkTo(long id) {
        String[] found = {null};
        walk((inode, path) -> {
            if (inode == id) {
                found[0] = path;
            }
            return found[0] == null;
        });
        return Optional.ofNullable(found[0]);
    }

    /** Visits every cgroup directory (id, relative path) until {@code visit} returns false. */
    private void walk(BiPredicate<Long, String> visit) {
        try {
            Files.walkFileTree(mount, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                    try {
                        return visit.test((Long) Files.getAttribute(dir, "unix:ino"), relative(dir))
                                ? FileVisitResult.CONTINUE : FileVisitResult.TERMINATE;
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
            throw new UncheckedIOException("walking the cgroups under " + mount, e);
        }
    }

    @Override
    public void close() {
        FileHandles.closeMount(mountFd);
    }

    private String relative(Path dir) {
        return "/" + mount.relativize(dir);
    }
}
