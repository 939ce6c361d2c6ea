package dev.gadget.gadgets.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gadget.gadgets.testing.Programs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ElfSymbols against what binutils (readelf) says of files gcc made here. */
class ElfSymbolsTest {
    private static final String LIBRARY = """
            int gt_exported(int x) { return x + 1; }
            static int gt_hidden(int x) { return x * 2; }
            int gt_calls(int x) { return gt_hidden(x) + gt_exported(x); }
            """;

    @TempDir
    Path dir;

    @Test
    void everyFunctionReadelfListsIsFoundAtItsAddressAndThroughout() throws Exception {
        Path library = Programs.compileC(dir, "libgt.so", LIBRARY, "-O0", "-shared", "-fPIC");
        ElfSymbols symbols = ElfSymbols.read(library);
        Map<Long, Set<String>> functions = readelfFunctions(library, ".symtab");

        assertTrue(functions.size() >= 3, functions.toString());
        functions.forEach((address, names) -> assertTrue(names.contains(symbols.functionAt(address)),
                "0x" + Long.toHexString(address) + ": " + symbols.functionAt(address) + " is not one of " + names));
        long exported = address(functions, "gt_exported");
        assertEquals("gt_exported", symbols.functionAt(exported + 3), "inside the function");
        assertEquals("gt_hidden", symbols.functionAt(address(functions, "gt_hidden")));
        assertNull(symbols.functionAt(0x10), "below every function");
    }

    @Test
    void aStrippedLibraryStillNamesItsExportedFunctionsFromDynsym() throws Exception {
        Path library = Programs.compileC(dir, "libgt.so", LIBRARY, "-O0", "-shared", "-fPIC");
        Path stripped = dir.resolve("libgt-stripped.so");
        Programs.run(dir, List.of("strip", "--strip-all", "-o", stripped.toString(), library.toString()));
        Map<Long, Set<String>> functions = readelfFunctions(library, ".symtab");
        assertTrue(readelfFunctions(stripped, ".symtab").isEmpty(), "strip left no .symtab");

        ElfSymbols symbols = ElfSymbols.read(stripped);
        assertEquals("gt_exported", symbols.functionAt(address(functions, "gt_exported")));
        assertEquals("gt_calls", symbols.functionAt(address(functions, "gt_calls")));
        assertNotEquals("gt_hidden", symbols.functionAt(address(functions, "gt_hidden")), "a static function is gone");
    }

    @Test
    void fileOffsetsMapToVirtualAddressesThroughTheLoadableSegments() throws Exception {
        Path program = Programs.compileC(dir, "gt-fixed", "int main(void) { return 0; }", "-O0", "-no-pie");
        ElfSymbols symbols = ElfSymbols.read(program);
        List<long[]> loads = readelfLoads(program);

        assertTrue(loads.stream().anyMatch(load -> load[1] != load[0]), "a non-PIE program loads away from its offsets");
        for (long[] load : loads) { // offset, virtual address, file size
            if (load[2] > 0) {
                assertEquals(load[1], symbols.virtualAddress(load[0]));
                assertEquals(load[1] + load[2] - 1, symbols.virtualAddress(load[0] + load[2] - 1));
            }
        }
        assertEquals(-1, symbols.virtualAddress(1L << 40));
    }

    @Test
    void whatIsNotElfNamesNothing() throws Exception {
        Path text = Files.writeString(dir.resolve("not-elf"), "#!/bin/sh\necho hello, this is not ELF at all: just text\n");
        Path truncated = dir.resolve("truncated.so");
        byte[] library = Files.readAllBytes(Programs.compileC(dir, "libgt.so", LIBRARY, "-O0", "-shared", "-fPIC"));
        Files.write(truncated, Arrays.copyOf(library, 200));

        assertEquals(0, ElfSymbols.read(text).size());
        assertEquals(0, ElfSymbols.read(truncated).size());
        assertEquals(0, ElfSymbols.read(dir).size(), "a directory");
    }

    private static long address(Map<Long, Set<String>> functions, String name) {
        return functions.entrySet().stream().filter(e -> e.getValue().contains(name)).findFirst()
                .orElseThrow(() -> new AssertionError("readelf lists no " + name)).getKey();
    }

    /** FUNC symbols readelf shows in one table, by address (several names may share one). */
    private Map<Long, Set<String>> readelfFunctions(Path file, String table) throws IOException, InterruptedException {
        Map<Long, Set<String>> functions = new HashMap<>();
        boolean inTable = false;
        for (String line : readelf(file, "-sW")) {
            if (line.startsWith("Symbol table ")) {
                inTable = line.contains("'" + table + "'");
                continue;
            }
            String[] f = line.strip().split("\\s+");
            // Num: Value Size Type Bind Vis Ndx Name
            if (inTable && f.length >= 8 && f[3].equals("FUNC") && !f[6].equals("UND") && Long.parseLong(f[1], 16) != 0) {
                functions.computeIfAbsent(Long.parseLong(f[1], 16), a -> new HashSet<>()).add(f[7].replaceAll("@.*", ""));
            }
        }
        return functions;
    }

    /** LOAD program headers: offset, virtual address, file size. */
    private List<long[]> readelfLoads(Path file) throws IOException, InterruptedException {
        return readelf(file, "-lW").stream().map(String::strip).filter(l -> l.startsWith("LOAD ")).map(l -> {
            String[] f = l.split("\\s+");
            return new long[] {Long.decode(f[1]), Long.decode(f[2]), Long.decode(f[4])};
        }).toList();
    }

    private List<String> readelf(Path file, String option) throws IOException, InterruptedException {
        Process readelf = new ProcessBuilder("readelf", option, file.toString()).redirectErrorStream(true).start();
        String output = new String(readelf.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, readelf.waitFor(), output);
        return output.lines().toList();
    }
}
