package dev.gadget.bpf;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The BPF programs, links and maps a process holds, as the kernel sees them: its file descriptors
 * (/proc/PID/fd) that are BPF objects, counted once per object id (/proc/PID/fdinfo). Asked of the
 * kernel rather than counted by the code that loads them, so a leak shows.
 */
public record HeldBpf(Set<Integer> programs, Set<Integer> links, Set<Integer> maps) {

    /** What this process holds now. */
    public static HeldBpf now() {
        return of(Path.of("/proc/self"));
    }

    /** What the process whose /proc directory is {@code process} holds now. */
    public static HeldBpf of(Path process) {
        Set<Integer> programs = new HashSet<>();
        Set<Integer> links = new HashSet<>();
        Set<Integer> maps = new HashSet<>();
        Path fdinfo = process.resolve("fdinfo");
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(process.resolve("fd"))) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException closedMeanwhile) {
                    continue;
                }
                switch (target) {
                    case "anon_inode:bpf-prog" -> id(fdinfo.resolve(fd.getFileName()), "prog_id:", programs);
                    case "anon_inode:bpf_link" -> id(fdinfo.resolve(fd.getFileName()), "link_id:", links);
                    case "anon_inode:bpf-map" -> id(fdinfo.resolve(fd.getFileName()), "map_id:", maps);
                    default -> {
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("listing " + process.resolve("fd") + ": " + e.getMessage() + " (is /proc mounted?)", e);
        }
        return new HeldBpf(Set.copyOf(programs), Set.copyOf(links), Set.copyOf(maps));
    }

    private static void id(Path info, String key, Set<Integer> ids) {
        try {
            for (String line : Files.readAllLines(info)) {
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
