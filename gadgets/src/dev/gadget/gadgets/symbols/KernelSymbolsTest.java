package dev.gadget.gadgets.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gadget.gadgets.containers.HostRoot;
import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** KernelSymbols on kallsyms text, and on this machine's. */
class KernelSymbolsTest {

    @Test
    void anAddressIsNamedByTheTextSymbolBelowIt() throws Exception {
        KernelSymbols symbols = KernelSymbols.parse(new BufferedReader(new StringReader("""
                ffffffff81000000 T _stext
                ffffffff81001000 t local_text
                ffffffff81002000 D some_data
                ffffffffc0a01000 t module_function\t[some_module]
                ffffffff81003000 W weak_text
                """)));

        assertFalse(symbols.hidden());
        assertEquals("_stext", symbols.frame(0xffffffff81000010L));
        assertEquals("local_text", symbols.frame(0xffffffff81002010L), "data is not code: the text below it counts");
        assertEquals("weak_text", symbols.frame(0xffffffff81003000L));
        assertEquals("module_function", symbols.frame(0xffffffffc0a01234L));
        assertEquals("[unknown:0xffffffff80000000]", symbols.frame(0xffffffff80000000L));
    }

    @Test
    void addressesTheKernelHidesSaySo() throws Exception {
        KernelSymbols symbols = KernelSymbols.parse(new BufferedReader(new StringReader("""
                0000000000000000 T _stext
                0000000000000000 T vfs_read
                """)));

        assertTrue(symbols.hidden());
        assertEquals("[unknown:0xffffffff816d5b70]", symbols.frame(0xffffffff816d5b70L));
    }

    @Test
    void thisKernelsFunctionsAreNamedAtTheirAddresses() throws Exception {
        KernelSymbols symbols = KernelSymbols.load(HostRoot.SELF);
        String vfsRead = Files.readAllLines(Path.of("/proc/kallsyms")).stream().filter(l -> l.endsWith(" T vfs_read"))
                .findFirst().orElseThrow();
        long address = Long.parseUnsignedLong(vfsRead.substring(0, vfsRead.indexOf(' ')), 16);

        assertFalse(symbols.hidden(), "tests run as root, with kernel.kptr_restrict below 2");
        assertEquals("vfs_read", symbols.frame(address));
        assertEquals("vfs_read", symbols.frame(address + 1));
    }
}
