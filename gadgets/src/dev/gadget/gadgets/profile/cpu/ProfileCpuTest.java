package dev.gadget.gadgets.profile.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gadget.bpf.BpfInventory;
import dev.gadget.bpf.RequiresBpf;
import dev.gadget.gadgets.model.ParamException;
import dev.gadget.gadgets.model.RowView;
import dev.gadget.gadgets.testing.GadgetRecorder;
import dev.gadget.gadgets.testing.Programs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** profile cpu against the real kernel: C programs burn CPU in named functions and the profile must name them. */
@ExtendWith(RequiresBpf.class)
class ProfileCpuTest {
    private static final ProfileCpu GADGET = new ProfileCpu();
    /** Frame pointers, and no inlining, so that the user stack walk sees every function. */
    private static final String[] FRAME_POINTERS = {"-O0", "-fno-omit-frame-pointer"};
    private static final Map<String, String> OFTEN = Map.of(ProfileCpu.FREQUENCY, "199");
    /** At 199 Hz, about 200 samples of the program however slow the machine. */
    private static final Duration ENOUGH_CPU = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    @Test
    void aBusyFunctionIsNamedInTheUserStacksOfItsProcess() throws Exception {
        String spin = unique("gt_spin");
        Path program = Programs.compileC(dir, spin, spinner(spin), FRAME_POINTERS);
        List<RowView> rows;
        long pid;
        try (GadgetRecorder profile = new GadgetRecorder(GADGET, OFTEN)) {
            Process process = new ProcessBuilder(program.toString()).start();
            pid = process.pid();
            try {
                Programs.awaitCpuTime(pid, ENOUGH_CPU);
            } finally {
                process.destroyForcibly().waitFor();
            }
            profile.stop();
            rows = report(profile);
            assertEquals(0, profile.lost());
        }
        // The pid's samples before its exec (the JVM's spawn helper) carry the helper's name: not the program's.
        List<RowView> ours = rows.stream().filter(r -> r.number("pid") == pid && r.string("comm").equals(comm(spin)))
                .toList();
        long inSpin = ours.stream().filter(r -> innermost(r.strings("userStack"), spin, "main"))
                .mapToLong(r -> r.number("samples")).sum();
        long all = ours.stream().mapToLong(r -> r.number("samples")).sum();
        assertTrue(inSpin > all / 2, inSpin + " of " + all + " samples in " + spin + ": " + ours);
        assertTrue(ours.stream().allMatch(r -> r.string("runtime.containerName").isEmpty()), "a host process");
        assertTrue(rows.stream().noneMatch(r -> r.number("pid") == 0), "the idle task is left out");
    }

    @Test
    void aKernelFunctionOfASyscallLoopIsNamedInTheKernelStacks() throws Exception {
        Path program = Programs.compileC(dir, unique("gt_read"), """
                #include <fcntl.h>
                #include <unistd.h>
                static char buffer[65536];
                int main(void) {
                    int fd = open("/dev/zero", O_RDONLY);
                    for (;;)
                        if (read(fd, buffer, sizeof buffer) < 0)
                            return 1;
                }
                """, FRAME_POINTERS);
        List<RowView> rows = profileWhileRunning(program, Map.of(ProfileCpu.FREQUENCY, "199"));

        List<String> kernelStack = rows.stream().map(r -> r.strings("kernelStack"))
                .filter(stack -> stack.contains("vfs_read")).findFirst()
                .orElseThrow(() -> new AssertionError("no kernel stack through vfs_read: " + rows));
        assertTrue(kernelStack.contains("read_zero") || kernelStack.contains("read_iter_zero"), kernelStack.toString());
        assertTrue(kernelStack.indexOf("vfs_read") < kernelStack.indexOf("ksys_read"), "innermost first: " + kernelStack);
    }

    @Test
    void kernelStacksOnlyLeavesUserStacksEmpty() throws Exception {
        Path program = Programs.compileC(dir, unique("gt_getppid"), """
                #include <unistd.h>
                int main(void) { for (;;) getppid(); }
                """, FRAME_POINTERS);
        List<RowView> rows = profileWhileRunning(program, Map.of(ProfileCpu.FREQUENCY, "199",
                ProfileCpu.KERNEL_STACKS_ONLY, "true"));

        assertTrue(rows.stream().allMatch(r -> r.strings("userStack").isEmpty()), rows.toString());
        assertTrue(rows.stream().anyMatch(r -> r.strings("kernelStack").contains("do_syscall_64")), rows.toString());
    }

    @Test
    void userStacksOnlyLeavesKernelStacksEmpty() throws Exception {
        String spin = unique("gt_spin");
        List<RowView> rows = profileWhileRunning(Programs.compileC(dir, spin, spinner(spin), FRAME_POINTERS),
                Map.of(ProfileCpu.FREQUENCY, "199", ProfileCpu.USER_STACKS_ONLY, "true"));

        assertTrue(rows.stream().allMatch(r -> r.strings("kernelStack").isEmpty()), rows.toString());
        assertTrue(rows.stream().anyMatch(r -> innermost(r.strings("userStack"), spin, "main")), rows.toString());
    }

    @Test
    void programsThatExecAndExitBeforeTheReportAreNamedByTheirOwnFiles() throws Exception {
        String second = unique("gt_second");
        Path secondProgram = Programs.compileC(dir, second, """
                #include <time.h>
                volatile unsigned long sink;
                void %1$s(void) {
                    clock_t start = clock();
                    for (unsigned long i = 0; (i & 0xfffff) || clock() - start < 2 * CLOCKS_PER_SEC; i++)
                        sink++;
                }
                int main(void) { %1$s(); return 0; }
                """.formatted(second), FRAME_POINTERS);
        String first = unique("gt_first");
        Path firstProgram = Programs.compileC(dir, first, """
                #include <time.h>
                #include <unistd.h>
                volatile unsigned long sink;
                void %1$s(void) {
                    clock_t start = clock();
                    for (unsigned long i = 0; (i & 0xfffff) || clock() - start < 2 * CLOCKS_PER_SEC; i++)
                        sink++;
                }
                int main(int argc, char **argv) { %1$s(); execv(argv[1], argv + 1); return 1; }
                """.formatted(first), FRAME_POINTERS);
        List<RowView> rows;
        long pid;
        try (GadgetRecorder profile = new GadgetRecorder(GADGET, OFTEN)) {
            pid = Programs.run(dir, List.of(firstProgram.toString(), secondProgram.toString()));
            profile.stop();
            rows = report(profile);
        }
        List<RowView> ours = rows.stream().filter(r -> r.number("pid") == pid).toList();
        assertTrue(ours.stream().anyMatch(r -> r.string("comm").equals(comm(first))
                && innermost(r.strings("userStack"), first, "main")), ours.toString());
        assertTrue(ours.stream().anyMatch(r -> r.string("comm").equals(comm(second))
                && innermost(r.strings("userStack"), second, "main")), ours.toString());
    }

    @Test
    void stacksBeyondTheRoomForThemShowAsLostAndAreWarnedOf() throws Exception {
        // Each pass calls down 16 levels through a() or b() as the bits of n say: 65536 distinct stacks.
        Path program = Programs.compileC(dir, unique("gt_paths"), """
                volatile unsigned long sink;
                static void leaf(void) { for (int i = 0; i < 20000; i++) sink++; }
                static void b(unsigned n, unsigned depth);
                static void a(unsigned n, unsigned depth) {
                    if (depth == 0) leaf(); else if (n & 1) a(n >> 1, depth - 1); else b(n >> 1, depth - 1);
                }
                static void b(unsigned n, unsigned depth) {
                    if (depth == 0) leaf(); else if (n & 1) a(n >> 1, depth - 1); else b(n >> 1, depth - 1);
                }
                int main(void) { for (unsigned n = 0;; n++) a(n, 16); }
                """, FRAME_POINTERS);
        try (GadgetRecorder profile = new GadgetRecorder(GADGET, Map.of(ProfileCpu.FREQUENCY, "4999",
                ProfileCpu.MAX_STACKS, "1024"))) {
            List<RowView> ours = runUntilStopped(profile, program);

            assertTrue(ours.stream().anyMatch(r -> r.strings("userStack").equals(List.of("[lost:stack-map-full]"))),
                    "a sample whose stack found no room keeps its place, marked");
            assertTrue(profile.notices().stream().anyMatch(n -> n.message().contains("samples could not be kept")
                    && n.message().contains("raise --max-stacks (now 1024)")), profile.notices().toString());
        }
    }

    @Test
    void samplesBeyondTheRoomForTheirCountsAreReportedLost() throws Exception {
        // A new thread name every few microseconds: nearly every sample is a count of its own.
        Path program = Programs.compileC(dir, unique("gt_names"), """
                #include <stdio.h>
                #include <sys/prctl.h>
                volatile unsigned long sink;
                int main(void) {
                    char name[16];
                    for (unsigned long n = 0;; n++) {
                        for (int i = 0; i < 4096; i++)
                            sink++;
                        snprintf(name, sizeof name, "gt-%lu", n);
                        prctl(PR_SET_NAME, name);
                    }
                }
                """, FRAME_POINTERS);
        try (GadgetRecorder profile = new GadgetRecorder(GADGET, Map.of(ProfileCpu.FREQUENCY, "4999",
                ProfileCpu.MAX_STACKS, "1024"))) {
            runUntilStopped(profile, program);

            assertTrue(profile.lost() > 0, "samples the map had no room for are counted as lost");
            assertTrue(profile.notices().stream().anyMatch(n -> n.message().contains("samples could not be counted")
                    && n.message().contains("raise --max-stacks (now 1024)")), profile.notices().toString());
            assertTrue(report(profile).size() <= 2 * 1024, "the map holds twice --max-stacks counts");
        }
    }

    @Test
    void userAndKernelStacksOnlyExcludeEachOther() {
        ParamException e = assertThrows(ParamException.class, () -> GADGET.open(GADGET.description().parseParams(
                Map.of(ProfileCpu.USER_STACKS_ONLY, "true", ProfileCpu.KERNEL_STACKS_ONLY, "true"))));
        assertEquals("--user-stacks-only and --kernel-stacks-only exclude each other: give at most one", e.getMessage());
    }

    @Test
    void closingLeavesNoProgramLinkOrPerfEventBehind() throws Exception {
        Set<Integer> before = programIds();
        long perfEventsBefore = perfEventDescriptors();
        GadgetRecorder profile = new GadgetRecorder(GADGET, Map.of());
        Set<Integer> ours = programIds();
        ours.removeAll(before);
        assertEquals(3, ours.size(), "the sampling program and the cgroup watcher's two");
        assertTrue(perfEventDescriptors() >= perfEventsBefore + Runtime.getRuntime().availableProcessors());

        profile.close();
        for (int attempt = 0; attempt < 100 && !stillThere(ours).isEmpty(); attempt++) {
            Thread.sleep(50); // programs go after an RCU grace period
        }
        assertEquals(Set.of(), stillThere(ours));
        assertEquals(List.of(), BpfInventory.links().stream().filter(l -> ours.contains(l.programId())).toList());
        assertEquals(perfEventsBefore, perfEventDescriptors());
    }

    /** Runs the program until it used {@link #ENOUGH_CPU} under the profile; the report's rows of its pid. */
    private List<RowView> profileWhileRunning(Path program, Map<String, String> params) throws Exception {
        try (GadgetRecorder profile = new GadgetRecorder(GADGET, params)) {
            return runUntilStopped(profile, program);
        }
    }

    /** Runs the program until it used {@link #ENOUGH_CPU}, then stops the profile; the report's rows of its pid. */
    private static List<RowView> runUntilStopped(GadgetRecorder profile, Path program) throws Exception {
        Process process = new ProcessBuilder(program.toString()).start();
        try {
            Programs.awaitCpuTime(process.pid(), ENOUGH_CPU);
        } finally {
            process.destroyForcibly().waitFor();
        }
        profile.stop();
        List<RowView> ours = report(profile).stream().filter(r -> r.number("pid") == process.pid()).toList();
        assertFalse(ours.isEmpty(), "no sample of the program");
        return ours;
    }

    private static List<RowView> report(GadgetRecorder profile) {
        assertEquals(1, profile.tables().size(), "one report");
        return profile.tables().getFirst();
    }

    private static String spinner(String function) {
        return """
                volatile unsigned long sink;
                void %1$s(void) { for (;;) sink++; }
                int main(void) { %1$s(); return 0; }
                """.formatted(function);
    }

    private static String unique(String prefix) {
        return prefix + "_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    private static boolean innermost(List<String> stack, String... frames) {
        return stack.size() >= frames.length && stack.subList(0, frames.length).equals(List.of(frames));
    }

    /** The kernel keeps the first 15 bytes of a program's name. */
    private static String comm(String program) {
        return program.substring(0, Math.min(15, program.length()));
    }

    private static Set<Integer> programIds() {
        return BpfInventory.programs().stream().map(BpfInventory.Program::id).collect(Collectors.toCollection(HashSet::new));
    }

    private static Set<Integer> stillThere(Set<Integer> ids) {
        Set<Integer> left = programIds();
        left.retainAll(ids);
        return left;
    }

    /** This JVM's open perf event descriptors. */
    private static long perfEventDescriptors() throws IOException {
        long count = 0;
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    count += Files.readSymbolicLink(fd).toString().equals("anon_inode:[perf_event]") ? 1 : 0;
                } catch (NoSuchFileException closedMeanwhile) {
                    // the listing's own descriptor, gone once listed
                }
            }
        }
        return count;
    }
}
