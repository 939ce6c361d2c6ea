package dev.gadget.gadgets.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A memory cgroup of its own with a limit, as a pod's memory limit makes one (cgroup v1's memory
 * controller where it is mounted, else v2's): a shell joins it with {@link #join()} before it execs
 * what the test runs there. Removed on close, once the processes in it are gone.
 */
public final class MemoryLimit implements AutoCloseable {
    private static final Path V1 = Path.of("/sys/fs/cgroup/memory");
    private static final Path V2 = Path.of("/sys/fs/cgroup");

    private final Path dir;

    private MemoryLimit(Path dir) {
        this.dir = dir;
    }

    public static MemoryLimit of(long bytes) throws IOException {
        boolean v1 = Files.exists(V1.resolve("cgroup.procs"));
        Path parent = v1 ? V1 : V2;
        if (!v1 && !Files.readString(V2.resolve("cgroup.subtree_control")).contains("memory")) {
            throw new AssertionError("no memory controller: neither cgroup v1's " + V1 + " nor v2's memory in " + V2);
        }
        Path dir = Files.createDirectory(parent.resolve("gadget-test-" + HexFormat.of().toHexDigits(
                ThreadLocalRandom.current().nextInt())));
        Files.writeString(dir.resolve(v1 ? "memory.limit_in_bytes" : "memory.max"), String.valueOf(bytes));
        return new MemoryLimit(dir);
    }

    /** A shell command that moves the shell into this cgroup; what it execs next is charged there. */
    public String join() {
        return "echo $$ > " + dir.resolve("cgroup.procs");
    }

    @Override
    public void close() throws IOException, InterruptedException {
        for (int attempt = 0; attempt < 100 && Files.exists(dir); attempt++) {
            if (!dir.toFile().delete()) { // rmdir: fails while a process is still in it
                Thread.sleep(50);
            }
        }
    }
}
