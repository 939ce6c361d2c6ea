package dev.gadget.gadgets.symbols;

import dev.gadget.gadgets.model.Text;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The functions an ELF file names (in .symtab, and in .dynsym, which stripped files keep) and where its
 * loadable segments go: enough to name an instruction address in a process that maps the file. Reads
 * ELF64 little-endian files (x86-64, arm64); any other file, or a damaged one, names nothing.
 */
public final class ElfSymbols {
    public static final ElfSymbols NONE = new ElfSymbols(new long[0], new long[0], new String[0], List.of());

    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int MAGIC = 0x464c457f; // "\x7fELF"
    private static final int HEADER_SIZE = 64;
    private static final int CLASS_64 = 2;
    private static final int DATA_LITTLE_ENDIAN = 1;
    private static final int PT_LOAD = 1;
    private static final int SHT_SYMTAB = 2;
    private static final int SHT_DYNSYM = 11;
    private static final int STT_FUNC = 2;
    private static final int STT_GNU_IFUNC = 10;
    private static final int STB_GLOBAL = 1;
    private static final int SYMBOL_SIZE = 24;

    /** A PT_LOAD segment: the file bytes [fileOffset, fileOffset + fileSize) load at virtualAddress. */
    private record Segment(long fileOffset, long virtualAddress, long fileSize) {
    }

    private record Symbol(long start, long size, String name, boolean global) {
    }

    /** Sorted by start; sizes[i] is 0 for symbols of unknown size (hand-written assembly). */
    private final long[] starts;
    private final long[] sizes;
    private final String[] names;
    private final List<Segment> segments;

    private ElfSymbols(long[] starts, long[] sizes, String[] names, List<Segment> segments) {
        this.starts = starts;
        this.sizes = sizes;
        this.names = names;
        this.segments = segments;
    }

    /** Reads a file; NONE if it is not an ELF file this reads. */
    public static ElfSymbols read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return NONE;
        }
        try (FileChannel channel = FileChannel.open(file); Arena arena = Arena.ofConfined()) {
            long size = channel.size();
            return size < HEADER_SIZE ? NONE : parse(channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena));
        }
    }

    /** Parses an ELF image in memory (the vDSO, for one); NONE if it is not one this reads. */
    public static ElfSymbols parse(MemorySegment elf) {
        try {
            return parseValid(elf);
        } catch (IndexOutOfBoundsException | IllegalArgumentException damaged) {
            return NONE;
        }
    }

    /** How many functions the file names. */
    public int size() {
        return starts.length;
    }

    /** The function holding {@code virtualAddress} (an address as the file's segments place it), or null. */
    public String functionAt(long virtualAddress) {
        int i = Arrays.binarySearch(starts, virtualAddress);
        if (i < 0) {
            i = -i - 2; // the last function starting below
        }
        if (i < 0 || sizes[i] != 0 && virtualAddress - starts[i] >= sizes[i]) {
            return null;
        }
        return names[i];
    }

    /** The virtual address the byte at {@code fileOffset} loads at, or -1 when no loadable segment holds it. */
    public long virtualAddress(long fileOffset) {
        for (Segment segment : segments) {
            if (fileOffset >= segment.fileOffset() && fileOffset - segment.fileOffset() < segment.fileSize()) {
                return segment.virtualAddress() + (fileOffset - segment.fileOffset());
            }
        }
        return -1;
    }

    private static ElfSymbols parseValid(MemorySegment elf) {
        if (elf.byteSize() < HEADER_SIZE || elf.get(U32, 0) != MAGIC || elf.get(ValueLayout.JAVA_BYTE, 4) != CLASS_64
                || elf.get(ValueLayout.JAVA_BYTE, 5) != DATA_LITTLE_ENDIAN) {
            return NONE;
        }
        long programHeaders = elf.get(U64, 0x20);
        long sectionHeaders = elf.get(U64, 0x28);
        int programHeaderSize = u16(elf, 0x36);
        int programHeaderCount = u16(elf, 0x38);
        int sectionHeaderSize = u16(elf, 0x3a);
        int sectionHeaderCount = u16(elf, 0x3c);

        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i < programHeaderCount; i++) {
            long header = programHeaders + (long) i * programHeaderSize;
            if (elf.get(U32, header) == PT_LOAD) {
                segments.add(new Segment(elf.get(U64, header + 8), elf.get(U64, header + 16), elf.get(U64, header + 32)));
            }
        }
        List<Symbol> symbols = new ArrayList<>();
        for (int i = 0; i < sectionHeaderCount; i++) {
            long header = sectionHeaders + (long) i * sectionHeaderSize;
            int type = elf.get(U32, header + 4);
            if (type == SHT_SYMTAB || type == SHT_DYNSYM) {
                long strings = sectionHeaders + (long) elf.get(U32, header + 40) * sectionHeaderSize;
                readSymbols(elf.asSlice(elf.get(U64, header + 24), elf.get(U64, header + 32)),
                        elf.asSlice(elf.get(U64, strings + 24), elf.get(U64, strings + 32)), symbols);
            }
        }
        return of(symbols, segments);
    }

    private static void readSymbols(MemorySegment table, MemorySegment strings, List<Symbol> into) {
        for (long at = 0; at + SYMBOL_SIZE <= table.byteSize(); at += SYMBOL_SIZE) {
            int info = table.get(ValueLayout.JAVA_BYTE, at + 4) & 0xff;
            int type = info & 0xf;
            int section = u16(table, at + 6);
            long value = table.get(U64, at + 8);
            if ((type == STT_FUNC || type == STT_GNU_IFUNC) && section != 0 && value != 0) {
                into.add(new Symbol(value, table.get(U64, at + 16), name(strings, table.get(U32, at) & 0xffffffffL),
                        info >> 4 == STB_GLOBAL));
            }
        }
    }

    /** Sorted by address; of the names one address has, a sized global one (the same in both tables) wins. */
    private static ElfSymbols of(List<Symbol> symbols, List<Segment> segments) {
        symbols.sort(Comparator.comparingLong(Symbol::start)
                .thenComparing(s -> s.size() == 0)
                .thenComparing(s -> !s.global())
                .thenComparing(Symbol::name));
        int count = 0;
        long[] starts = new long[symbols.size()];
        long[] sizes = new long[symbols.size()];
        String[] names = new String[symbols.size()];
        for (Symbol symbol : symbols) {
            if (count > 0 && starts[count - 1] == symbol.start()) {
                continue;
            }
            starts[count] = symbol.start();
            sizes[count] = symbol.size();
            names[count] = symbol.name();
            count++;
        }
        return new ElfSymbols(Arrays.copyOf(starts, count), Arrays.copyOf(sizes, count), Arrays.copyOf(names, count),
                List.copyOf(segments));
    }

    private static String name(MemorySegment strings, long offset) {
        long end = offset;
        while (end < strings.byteSize() && strings.get(ValueLayout.JAVA_BYTE, end) != 0) {
            end++;
        }
        return Text.decode(strings.asSlice(offset, end - offset).toArray(ValueLayout.JAVA_BYTE));
    }

    private static int u16(MemorySegment segment, long offset) {
        return segment.get(U16, offset) & 0xffff;
    }
}
