package dev.gadget.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gadget.bpf.RequiresBpf;
import dev.gadget.gadgets.model.Text;
import dev.gadget.gadgets.testing.MemoryLimit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Host mode where users' machines differ from a developer's: full disks, closed pipes, read-only
 * file systems, missing capabilities, tight limits, early signals, bytes that are not UTF-8. Each
 * ends in one line that names the cause and the fix, never a stack trace, or works.
 */
@ExtendWith(RequiresBpf.class)
class FailureModesIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aFullDiskIsAnErrorNotANormalEnd() throws Exception {
        GadgetProcess gadget = GadgetProcess.script("exec \"$GADGET\" trace exec -t 20 > /dev/full");

        assertEquals(1, gadget.waitForExit());
        assertOneLine("Error: writing to standard output: No space left on device — ", gadget.stderr());
    }

    @Test
    void aClosedPipeEndsATraceThatPrintsNothing() throws Exception {
        // Nothing matches -c nosuch, so no event ever gets written: the closed pipe must be noticed anyway.
        GadgetProcess gadget = GadgetProcess.script("\"$GADGET\" trace exec -c nosuch -t 50 | true; exit ${PIPESTATUS[0]}");

        assertEquals(0, gadget.waitForExit(), gadget.stderr());
    }

    @Test
    void readOnlyTmpAndHomeAsInAPodStillWork() throws Exception {
        GadgetProcess gadget = GadgetProcess.script("exec unshare -m sh -c 'mount -t tmpfs -o ro none /tmp && "
                + "mount -t tmpfs -o ro none \"$HOME\" && exec \"$GADGET\" trace exec -t 1 -o columns=pid,comm'");

        assertEquals(0, gadget.waitForExit(), gadget.stderr());
        assertEquals("    PID COMM", gadget.stdoutLines().getFirst());
        assertEquals("", gadget.stderr());
    }

    @Test
    void withoutTheJarsNativePartUnpackedAReadOnlyTmpIsOneLineWithTheFix() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        GadgetProcess gadget = GadgetProcess.script("exec unshare -m sh -c 'mount -t tmpfs -o ro none /tmp && "
                + "mount -t tmpfs -o ro none \"$HOME\" && exec " + java + " --enable-native-access=ALL-UNNAMED -jar "
                + "$(dirname \"$GADGET\")/cli/target/gadget.jar trace exec -t 1'");

        assertEquals(1, gadget.waitForExit());
        assertOneLine("Error: loading JNA's native library: ", gadget.stderr());
        assertTrue(gadget.stderr().contains("-Djna.tmpdir=DIR"), gadget.stderr());
    }

    @Test
    void rootWithoutTheBpfCapabilitiesIsToldWhichItLacks() throws Exception {
        GadgetProcess gadget = GadgetProcess.script(
                "exec setpriv --bounding-set=-sys_admin,-bpf,-perfmon --inh-caps=-sys_admin,-bpf,-perfmon"
                        + " \"$GADGET\" trace exec -t 1");

        assertEquals(1, gadget.waitForExit());
        assertOneLine("Error: loading ", gadget.stderr());
        assertTrue(gadget.stderr().contains("EPERM — this process lacks CAP_BPF and CAP_PERFMON"), gadget.stderr());
    }

    @Test
    void tooFewFileDescriptorsSayWhichLimitToRaise() throws Exception {
        GadgetProcess gadget = GadgetProcess.script("ulimit -n 20 && exec \"$GADGET\" trace exec -t 1");

        assertEquals(1, gadget.waitForExit());
        assertOneLine("Error: ", gadget.stderr());
        assertTrue(gadget.stderr().contains("EMFILE — this process may open no more files: raise the open-files limit"),
                gadget.stderr());
    }

    @Test
    void tooLittleVirtualMemoryIsOneLineOnStderrWhateverTheLimit() throws Exception {
        for (String kib : List.of("1000000", "200000")) {
            GadgetProcess gadget = GadgetProcess.script("ulimit -v " + kib + " && exec \"$GADGET\" trace exec -t 1");

            assertEquals(1, gadget.waitForExit());
            assertEquals(List.of(), gadget.stdoutLines());
            assertOneLine("gadget: the virtual memory limit (ulimit -v) is " + kib + " KiB", gadget.stderr());
        }
    }

    @Test
    void tooLittleHeapIsOneLineNamingTheLaunchersOption() throws Exception {
        GadgetProcess gadget = GadgetProcess.script("GADGET_JAVA_OPTIONS='-Xms2m -Xmx2m' exec \"$GADGET\" trace exec -t 1");

        assertEquals(1, gadget.waitForExit());
        assertOneLine("Error: out of Java heap (at most ", gadget.stderr());
        assertTrue(gadget.stderr().contains("MiB) — give the JVM more: GADGET_JAVA_OPTIONS=-Xmx1g gadget ..."),
                gadget.stderr());
    }

    @Test
    void noLockedMemoryIsNeededBecauseTheKernelChargesBpfToTheMemoryCgroup() throws Exception {
        GadgetProcess gadget = GadgetProcess.script("ulimit -l 0 && exec \"$GADGET\" trace exec -t 1 -o columns=pid");

        assertEquals(0, gadget.waitForExit(), gadget.stderr());
        assertEquals("", gadget.stderr());
    }

    @Test
    void mapsTooLargeForTheMemoryCgroupNameItsLimit() throws Exception {
        try (MemoryLimit limit = MemoryLimit.of(400L << 20)) {
            // About a GiB of stacks, allocated as the map is created: more than the cgroup allows.
            GadgetProcess gadget = GadgetProcess.script(limit.join()
                    + " && exec \"$GADGET\" profile cpu --max-stacks 1048576 -t 1");

            assertEquals(1, gadget.waitForExit());
            assertOneLine("Error: loading profile_cpu: ENOMEM — the kernel could not allocate the BPF maps, which count"
                    + " against this process's memory cgroup, limited to 400 MiB (", gadget.stderr());
            assertTrue(gadget.stderr().strip().endsWith("): raise that limit (a pod's memory limit) or ask for smaller maps"),
                    gadget.stderr());
        }
    }

    @Test
    void sigtermRightAfterStartEndsNormally() throws Exception {
        GadgetProcess gadget = GadgetProcess.start(List.of("trace", "exec"));
        // The earliest the JVM could take it: once it opened the jar whose main installs the handling.
        long giveUp = System.nanoTime() + 30_000_000_000L;
        while (!opened(gadget.pid(), "gadget.jar") && System.nanoTime() < giveUp) {
            Thread.sleep(5);
        }
        Thread.sleep(100); // main is about to run, long before the command has parsed its arguments
        gadget.signal("TERM");

        assertEquals(0, gadget.waitForExit(), gadget.stderr());
    }

    @Test
    void argumentBytesThatAreNotUtf8ArriveExactlyInJsonAndShellQuotedInColumns() throws Exception {
        Path script = dir.resolve("odd-args.sh");
        Files.writeString(script, "exec /bin/echo \"$(printf 'gt-odd-\\377\\376')\" > /dev/null\n");
        GadgetProcess json = GadgetProcess.start(List.of("trace", "exec", "-o", "json"));
        String line = json.awaitLine(l -> l.contains("gt-odd-"), () -> runScript(script));
        json.signal("INT");
        assertEquals(0, json.waitForExit());

        JsonNode event = JSON.readTree(line);
        assertTrue(line.contains("\"gt-odd-\\udcff\\udcfe\""), line);
        byte[] passed = Text.encode(event.get("args").get(1).asText());
        assertEquals("gt-odd-", new String(passed, 0, 7));
        assertEquals(List.of((byte) 0xff, (byte) 0xfe), List.of(passed[7], passed[8]));

        GadgetProcess columns = GadgetProcess.start(List.of("trace", "exec", "-o", "columns=args"));
        String row = columns.awaitLine(l -> l.contains("gt-odd-"), () -> runScript(script));
        columns.signal("INT");
        assertEquals(0, columns.waitForExit());
        assertEquals("/bin/echo $'gt-odd-\\xff\\xfe'", row);
    }

    private void runScript(Path script) {
        try {
            new ProcessBuilder("sh", script.toString()).start().waitFor();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static boolean opened(long pid, String file) {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().endsWith(file);
                } catch (IOException gone) {
                    return false;
                }
            });
        } catch (IOException gone) {
            return false;
        }
    }

    private static void assertOneLine(String start, String stderr) {
        assertEquals(1, stderr.lines().count(), stderr);
        assertTrue(stderr.startsWith(start), stderr);
    }
}
