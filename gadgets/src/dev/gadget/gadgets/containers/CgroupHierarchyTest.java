package dev.gadget.gadgets.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Finding a cgroup by its id, both ways: through a file handle (what root on the host does) and by
 * walking the hierarchy (what the daemon's pod does, where open_by_handle_at needs a capability it
 * is not given). Both must name the same directory.
 */
class CgroupHierarchyTest {
    @Test
    void aNewCgroupIsFoundByHandleAndByWalkingAtTheSamePath() throws Exception {
        try (CgroupHierarchy hierarchy = CgroupHierarchy.find(HostRoot.SELF).orElseThrow()) {
            Path mount = Files.isRegularFile(Path.of("/sys/fs/cgroup/unified/cgroup.controllers"))
                    ? Path.of("/sys/fs/cgroup/unified") : Path.of("/sys/fs/cgroup");
            String name = "gadget-test-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
            Path parent = Files.createDirectory(mount.resolve(name));
            Path child = Files.createDirectory(parent.resolve("leaf.scope"));
            long id = (Long) Files.getAttribute(child, "unix:ino");
            try {
                String expected = "/" + name + "/leaf.scope";

                assertEquals(Optional.of(expected), hierarchy.pathOf(id));
                assertEquals(Optional.of(expected), hierarchy.walkTo(id));
                assertEquals(Optional.of("/" + name), hierarchy.walkTo((Long) Files.getAttribute(parent, "unix:ino")));
            } finally {
                Files.delete(child);
                Files.delete(parent);
            }
            assertEquals(Optional.empty(), hierarchy.pathOf(id), "a removed cgroup is none");
            assertEquals(Optional.empty(), hierarchy.walkTo(id));
        }
    }
}
