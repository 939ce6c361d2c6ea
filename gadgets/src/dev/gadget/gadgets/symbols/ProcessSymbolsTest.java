package dev.gadget.gadgets.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import dev.gadget.gadgets.containers.HostRoot;
import dev.gadget.gadgets.testing.Programs;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ProcessSymbols on this very process, whose libc functions JNA can point at. */
class ProcessSymbolsTest {
    private static final long SELF = ProcessHandle.current().pid();

    @TempDir
    Path dir;

    @Test
    void aLibcFunctionOfThisProcessIsNamed() {
        ProcessSymbols self = ProcessSymbols.capture(SELF, new ElfFiles(HostRoot.SELF)).orElseThrow();
        long getppid = Pointer.nativeValue(NativeLibrary.getInstance("c").getFunction("getppid"));

        assertEquals("getppid", self.frame(getppid));
        assertEquals("getppid", self.frame(getppid + 2));
    }

    @Test
    void anAddressInNoMappingIsUnknownWithTheAddress() {
        ProcessSymbols self = ProcessSymbols.capture(SELF, new ElfFiles(HostRoot.SELF)).orElseThrow();

        assertEquals("[unknown:0x10]", self.frame(0x10));
    }

    private long nmAddress(Path program, String function) throws Exception {
        Process nm = new ProcessBuilder("nm", program.toString()).start();
        String symbol = new String(nm.getInputStream().readAllBytes()).lines().filter(l -> l.endsWith(" " + function))
                .findFirst().orElseThrow();
        nm.waitFor();
        return Long.parseUnsignedLong(symbol.substring(0, symbol.indexOf(' ')), 16);
    }

    @Test
    void anAddressInAFileThatDoesNotNameItIsUnknownWithTheFileAndTheAddressInIt() throws Exception {
        Path program = Programs.compileC(dir, "gt-stripped", """
                #include <stdio.h>
                #include <unistd.h>
                static void gt_hidden(void) { pause(); }
                int main(void) { printf("%p\\n", (void *)gt_hidden); fflush(stdout); gt_hidden(); return 0; }
                """, "-O0");
        long inFile = nmAddress(program, "gt_hidden");
        Programs.run(dir, List.of("strip", "--strip-all", program.toString()));
        Process process = new ProcessBuilder(program.toString()).start();
        try {
            long address = Long.decode(new BufferedReader(new InputStreamReader(process.getInputStream())).readLine());
            ProcessSymbols symbols = ProcessSymbols.capture(process.pid(), new ElfFiles(HostRoot.SELF)).orElseThrow();

            assertEquals("[unknown:gt-stripped+0x" + Long.toHexString(inFile + 4) + "]", symbols.frame(address + 4));
        } finally {
            process.destroyForcibly().waitFor();
        }
    }

    @Test
    void aProcessThatIsGoneHasNothingToCapture() throws Exception {
        Process done = new ProcessBuilder("true").start();
        done.waitFor();

        assertEquals(Optional.empty(), ProcessSymbols.capture(done.pid(), new ElfFiles(HostRoot.SELF)));
    }
}
