package dev.gadget.bpf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The memory limit of this process's memory cgroup (v2 memory.max, or v1 memory.limit_in_bytes), as
 * a pod's memory limit sets it. BPF maps are charged there on kernels since 5.11, not to
 * RLIMIT_MEMLOCK, so it is what a failed map allocation (ENOMEM) runs into.
 */
final class MemoryCgroup {
    /** A v1 limit this high (the page-aligned LONG_MAX) means none. */
    private static final long NO_LIMIT = 1L << 62;

    private MemoryCgroup() {
    }

    /** "limited to 400 MiB (/sys/fs/cgroup/.../memory.max)", or empty when there is no limit or it cannot be read. */
    static Optional<String> describeLimit() {
        return limit().map(limit -> "limited to " + (limit.bytes() >> 20) + " MiB (" + limit.file() + ")");
    }

    /** Bytes the cgroup may still be charged before it reaches its limit; empty when there is no limit. */
    static OptionalLong headroom() {
        Optional<Limit> limit = limit();
        if (limit.isEmpty()) {
            return OptionalLong.empty();
        }
        String usage = limit.get().file().getFileName().toString().equals("memory.max") ? "memory.current"
                : "memory.usage_in_bytes";
        try {
            long used = Long.parseLong(Files.readString(limit.get().file().resolveSibling(usage)).strip());
            return OptionalLong.of(Math.max(0, limit.get().bytes() - used));
        } catch (IOException | NumberFormatException unreadable) {
            return OptionalLong.empty();
        }
    }

    private record Limit(long bytes, Path file) {
    }

    private static Optional<Limit> limit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
                String[] parts = line.split(":", 3);
                if (parts.length != 3) {
                    continue;
                }
                Optional<Path> file = Optional.empty();
                if (List.of(parts[1].split(",")).contains("memory")) {
                    file = Optional.of(Path.of("/sys/fs/cgroup/memory" + parts[2], "memory.limit_in_bytes"));
                } else if (parts[0].equals("0") && parts[1].isEmpty()) {
                    file = Optional.of(Path.of("/sys/fs/cgroup" + parts[2], "memory.max"));
                }
                if (file.isPresent() && Files.isReadable(file.get())) {
                    String limit = Files.readString(file.get()).strip();
                    if (limit.equals("max") || Long.parseLong(limit) >= NO_LIMIT) {
                        return Optional.empty();
                    }
                    return Optional.of(new Limit(Long.parseLong(limit), file.get()));
                }
            }
        } catch (IOException | NumberFormatException unreadable) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
