package dev.gadget.gadgets.symbols;

import dev.gadget.gadgets.model.Text;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Names the user-space frames of one process from its executable mappings, as /proc/PID/maps listed
 * them when captured, each with its file's symbols read then: by the time the frames are named the
 * process, its files and its container may be gone.
 */
public final class ProcessSymbols {
    private record Mapping(long start, long end, long offset, String path, ElfSymbols symbols) {
    }

    private final List<Mapping> mappings;

    private ProcessSymbols(List<Mapping> mappings) {
        this.mappings = mappings;
    }

    /** Reads the process's maps and the symbols of the files it runs code from; empty if it is gone. */
    public static Optional<ProcessSymbols> capture(long pid, ElfFiles files) {
        String maps;
        try {
            maps = Text.decode(Files.readAllBytes(files.host().resolve("/proc/" + pid + "/maps")));
        } catch (IOException gone) {
            return Optional.empty();
        }
        List<Mapping> mappings = new ArrayList<>();
        for (String line : maps.split("\n")) {
            // start-end perms offset device inode [path]; the path may hold spaces
            String[] fields = line.split(" +", 6);
            if (fields.length < 5 || fields[1].length() < 3 || fields[1].charAt(2) != 'x') {
                continue;
            }
            String range = fields[0];
            int dash = range.indexOf('-');
            String path = fields.length == 6 ? fields[5] : "";
            long inode = Long.parseLong(fields[4]);
            mappings.add(new Mapping(Long.parseUnsignedLong(range, 0, dash, 16),
                    Long.parseUnsignedLong(range, dash + 1, range.length(), 16), Long.parseUnsignedLong(fields[2], 16),
                    path, files.of(pid, range, path, fields[3], inode)));
        }
        mappings.sort((a, b) -> Long.compareUnsigned(a.start(), b.start()));
        return Optional.of(new ProcessSymbols(List.copyOf(mappings)));
    }

    /** The function {@code address} is in, or "[unknown:file+0x...]", or "[unknown:0x...]" outside any file. */
    public String frame(long address) {
        Mapping mapping = mappingOf(address);
        if (mapping == null) {
            return Frames.unknown(address);
        }
        long fileOffset = address - mapping.start() + mapping.offset();
        long virtualAddress = mapping.symbols().virtualAddress(fileOffset);
        if (virtualAddress >= 0) {
            String name = mapping.symbols().functionAt(virtualAddress);
            if (name != null) {
                return name;
            }
        }
        if (!mapping.path().startsWith("/") && !mapping.path().equals("[vdso]")) {
            return Frames.unknown(address);
        }
        return Frames.unknown(mapping.path(), virtualAddress >= 0 ? virtualAddress : fileOffset);
    }

    private Mapping mappingOf(long address) {
        int low = 0;
        int high = mappings.size() - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            Mapping mapping = mappings.get(middle);
            if (Long.compareUnsigned(address, mapping.start()) < 0) {
                high = middle - 1;
            } else if (Long.compareUnsigned(address, mapping.end()) >= 0) {
                low = middle + 1;
            } else {
                return mapping;
            }
        }
        return null;
    }
}
