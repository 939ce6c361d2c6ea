package dev.gadget.daemon;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The BPF programs, links and maps this process holds, as the kernel sees them: its file descriptors
 * (/proc/self/fd) that are BPF objects, counted once per object id (/proc/self/fdinfo). Asked of the
 * kernel rather than counted by the code that loads them, so a leak shows.
 */
record OwnBpf(Set<Integer> programs, Set<Integer> links, Set<Integer> maps) {
    private static final Path FDS = Path.of("/proc/self/fd");
    private static final Path FDINFO = Path.of("/proc/self/fdinfo");

    static OwnBpf now() {
        Set<Integer> programs = new HashSet<>();
        Set<Integer> links = new HashSet<>();
        Set<Integer> maps = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(FDS)) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException closedMeanwhile) {
                    continue;
                }
                switch (target) {
                    case "anon_inode:bpf-prog" -> id(fd, "prog_id:", programs);
                    case "anon_inode:bpf_link" -> id(fd, "link_id:", links);
                    case "anon_inode:bpf-map" -> id(fd, "map_id:", maps);
                    default -> {
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("listing /proc/self/fd: " + e.getMessage() + " (is /proc mounted?)", e);
        }
        return new OwnBpf(Set.copyOf(programs), Set.copyOf(links), Set.copyOf(maps));
    }

    private static void id(Path fd, String key, Set<Integer> ids) {
        try {
            for (String line : Files.readAllLines(FDINFO.resolve(fd.getFileName()))) {
                if (line.startsWith(key)) {
                    ids.add(Integer.parseInt(line.substring(key.length()).strip()));
                    return;
                }
            }
        } catch (IOException | NumberFormatException closedMeanwhile) {
            // the descriptor was closed between the listing and this read: it no longer counts
        }
    }
}
