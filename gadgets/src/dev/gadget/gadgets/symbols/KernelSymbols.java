package dev.gadget.gadgets.symbols;

import dev.gadget.gadgets.containers.HostRoot;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;

/**
 * The kernel's functions, from /proc/kallsyms (modules and BPF programs included). The kernel shows
 * their addresses only to those it trusts (kernel.kptr_restrict): hidden ones all read 0, and then
 * {@link #hidden()} says so and every frame stays an address.
 */
public final class KernelSymbols {
    private final long[] starts;
    private final String[] names;
    private final boolean hidden;

    private KernelSymbols(long[] starts, String[] names, boolean hidden) {
        this.starts = starts;
        this.names = names;
        this.hidden = hidden;
    }

    public static KernelSymbols load(HostRoot host) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(host.resolve("/proc/kallsyms"), StandardCharsets.ISO_8859_1)) {
            return parse(reader);
        }
    }

    /** Parses lines such as "ffffffff816d5b70 T vfs_read" or "ffffffffc0a01000 t foo_init\t[foo]". */
    static KernelSymbols parse(BufferedReader kallsyms) throws IOException {
        int count = 0;
        long[] starts = new long[1 << 17];
        String[] names = new String[starts.length];
        boolean anyAddress = false;
        for (String line; (line = kallsyms.readLine()) != null; ) {
            int space = line.indexOf(' ');
            if (space <= 0 || line.length() < space + 4 || !isText(line.charAt(space + 1))) {
                continue;
            }
            int end = line.indexOf('\t', space + 3);
            long start = Long.parseUnsignedLong(line, 0, space, 16);
            anyAddress |= start != 0;
            if (count == starts.length) {
                starts = Arrays.copyOf(starts, count * 2);
                names = Arrays.copyOf(names, count * 2);
            }
            starts[count] = start;
            names[count] = line.substring(space + 3, end < 0 ? line.length() : end);
            count++;
        }
        if (!anyAddress) {
            return new KernelSymbols(new long[0], new String[0], count > 0);
        }
        Integer[] order = new Integer[count];
        Arrays.setAll(order, i -> i);
        long[] unsorted = starts;
        Arrays.sort(order, (a, b) -> Long.compareUnsigned(unsorted[a], unsorted[b]));
        long[] sortedStarts = new long[count];
        String[] sortedNames = new String[count];
        for (int i = 0; i < count; i++) {
            sortedStarts[i] = starts[order[i]];
            sortedNames[i] = names[order[i]];
        }
        return new KernelSymbols(sortedStarts, sortedNames, false);
    }

    /** Whether the kernel hid its addresses from this process (kptr_restrict, or no CAP_SYSLOG). */
    public boolean hidden() {
        return hidden;
    }

    /** The function {@code address} is in, or "[unknown:0x...]". */
    public String frame(long address) {
        int low = 0;
        int high = starts.length - 1;
        int found = -1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            if (Long.compareUnsigned(starts[middle], address) <= 0) {
                found = middle;
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        return found < 0 ? Frames.unknown(address) : names[found];
    }

    /** Text (code) symbols, global or local, weak ones included. */
    private static boolean isText(char type) {
        return type == 'T' || type == 't' || type == 'W' || type == 'w';
    }
}
