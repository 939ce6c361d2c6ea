package dev.gadget.gadgets.symbols;

import dev.gadget.gadgets.containers.HostRoot;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The symbols of the files processes map, each file read once however many processes map it. Files
 * are told apart by device, inode and path, as /proc/PID/maps shows them; they are opened through the
 * process ({@code /proc/PID/root/...}, so a container's files are its own, or {@code /proc/PID/map_files}
 * for a file deleted since it was mapped). Not thread-safe.
 */
public final class ElfFiles {
    private static final String DELETED = " (deleted)";
    private static final String VDSO = "[vdso]";

    private final HostRoot host;
    private final Map<String, ElfSymbols> byFile = new HashMap<>();
    private ElfSymbols vdso;

    public ElfFiles(HostRoot host) {
        this.host = host;
    }

    HostRoot host() {
        return host;
    }

    /** The symbols of what a process maps at {@code range} ("start-end" as in maps); NONE for anonymous memory. */
    ElfSymbols of(long pid, String range, String path, String device, long inode) {
        if (path.equals(VDSO)) {
            return vdso();
        }
        if (!path.startsWith("/") || inode == 0) {
            return ElfSymbols.NONE;
        }
        return byFile.computeIfAbsent(device + " " + inode + " " + path, unused -> read(pid, range, path));
    }

    private ElfSymbols read(long pid, String range, String path) {
        List<String> candidates = new ArrayList<>();
        if (!path.endsWith(DELETED)) {
            candidates.add("/proc/" + pid + "/root" + path);
        }
        candidates.add("/proc/" + pid + "/map_files/" + range);
        for (String candidate : candidates) {
            try {
                return ElfSymbols.read(host.resolve(candidate));
            } catch (IOException | InvalidPathException unreadable) {
                // gone with its process, or not ours to read: try the next way in
            }
        }
        return ElfSymbols.NONE;
    }

    /** The kernel's vDSO, the same image in every 64-bit process: read from this one's own memory. */
    private ElfSymbols vdso() {
        if (vdso == null) {
            vdso = ElfSymbols.NONE;
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                    if (line.endsWith(" " + VDSO)) {
                        String[] range = line.substring(0, line.indexOf(' ')).split("-");
                        long start = Long.parseUnsignedLong(range[0], 16);
                        byte[] image = new byte[(int) (Long.parseUnsignedLong(range[1], 16) - start)];
                        try (RandomAccessFile memory = new RandomAccessFile("/proc/self/mem", "r")) {
                            memory.seek(start);
                            memory.readFully(image);
                        }
                        vdso = ElfSymbols.parse(MemorySegment.ofArray(image));
                    }
                }
            } catch (IOException | RuntimeException unreadable) {
                // vDSO frames then show as [unknown:[vdso]+0x...]
            }
        }
        return vdso;
    }
}
