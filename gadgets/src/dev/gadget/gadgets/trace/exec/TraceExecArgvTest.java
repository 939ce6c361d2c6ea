package dev.gadget.gadgets.trace.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gadget.bpf.RequiresBpf;
import dev.gadget.gadgets.testing.Programs;
import dev.gadget.gadgets.model.RowView;
import dev.gadget.gadgets.testing.GadgetRecorder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * trace exec against execs as C programs make them: from a forked child whose argv literals are not in
 * its page tables yet, through execveat, system(), scripts, and with arguments that cannot be read.
 */
@ExtendWith(RequiresBpf.class)
class TraceExecArgvTest {
    private static final TraceExec GADGET = new TraceExec();

    /**
     * Each mode execs the program named by its second argument. A forked child execs at once, touching no
     * memory but its stack, as a shell's child does: its argv literals stay out of its page tables until
     * the kernel reads them during the exec.
     */
    private static final String EXECS = """
            #define _GNU_SOURCE
            #include <errno.h>
            #include <fcntl.h>
            #include <stdio.h>
            #include <stdlib.h>
            #include <string.h>
            #include <sys/mman.h>
            #include <sys/syscall.h>
            #include <sys/wait.h>
            #include <unistd.h>

            extern char **environ;

            static int status_of(pid_t child) {
                int status;
                if (child < 0 || waitpid(child, &status, 0) != child)
                    return 100;
                return WIFEXITED(status) ? WEXITSTATUS(status) : 101;
            }

            /* A page holding bytes this process never touches: file-backed, so not in its page tables. */
            static void *untouched(const void *bytes, size_t size, void *at) {
                char path[] = "/tmp/gt-untouched-XXXXXX";
                int fd = mkstemp(path);
                if (fd < 0 || write(fd, bytes, size) != (ssize_t) size)
                    exit(102);
                unlink(path);
                void *page = mmap(at, 4096, PROT_READ, MAP_PRIVATE | (at ? MAP_FIXED : 0), fd, 0);
                if (page == MAP_FAILED)
                    exit(103);
                close(fd);
                return page;
            }

            /* A failed exec must fail with ENOENT: the kernel then never reads argv itself. */
            static int failed(const char *path, char **args) {
                execve(path, args, environ);
                return errno == ENOENT ? 0 : 104;
            }

            int main(int argc, char **argv) {
                const char *mode = argv[1], *prog = argv[2];
                pid_t child;

                if (!strcmp(mode, "literal")) {
                    if ((child = fork()) == 0) {
                        execl(prog, "literal-zero", "literal-arg", "another literal", (char *) 0);
                        _exit(127);
                    }
                    return status_of(child);
                }
                if (!strcmp(mode, "heap")) {
                    if ((child = fork()) == 0) {
                        execl(prog, strdup("heap-zero"), strdup("heap-arg"), (char *) 0);
                        _exit(127);
                    }
                    return status_of(child);
                }
                if (!strcmp(mode, "heap-then-literal")) {
                    if ((child = fork()) == 0) {
                        execl(prog, strdup("heap-zero"), "literal-after-heap", (char *) 0);
                        _exit(127);
                    }
                    return status_of(child);
                }
                if (!strcmp(mode, "fexecve")) {
                    if ((child = fork()) == 0) {
                        char *const args[] = {"fd-zero", "fd-arg", 0};
                        if (dup2(open(prog, O_RDONLY), 42) == 42)
                            syscall(SYS_execveat, 42, "", args, environ, AT_EMPTY_PATH);
                        _exit(127);
                    }
                    return status_of(child);
                }
                if (!strcmp(mode, "no-args")) {
                    if ((child = fork()) == 0) {
                        char *const none[] = {0};
                        execve(prog, none, environ);
                        _exit(127);
                    }
                    return status_of(child);
                }
                if (!strcmp(mode, "system"))
                    return system(prog) == 0 ? 0 : 105;
                if (!strcmp(mode, "storm")) {
                    int runs = atoi(argv[3]);
                    for (int i = 0; i < runs; i++) {
                        char arg[32];
                        snprintf(arg, sizeof(arg), "storm-%d", i);
                        if ((child = fork()) == 0) {
                            execl(prog, "storm", "literal-arg", arg, (char *) 0);
                            _exit(127);
                        }
                        if (status_of(child) != 0)
                            return 106;
                    }
                    return 0;
                }
                if (!strcmp(mode, "unreadable-arg")) {
                    char *args[] = {strdup("first"), untouched("never touched", 14, 0), strdup("last"), 0};
                    return failed(prog, args);
                }
                if (!strcmp(mode, "unreadable-argv")) {
                    char *pointers[] = {strdup("first"), strdup("second"), 0};
                    void *spot = mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
                    return failed(prog, untouched(pointers, sizeof(pointers), spot));
                }
                if (!strcmp(mode, "bad-path")) {
                    char *args[] = {strdup("bad-path-zero"), 0};
                    execve((char *) 1, args, environ);
                    return errno == EFAULT ? 0 : 107;
                }
                if (!strcmp(mode, "named")) {
                    char *args[] = {strdup("not-the-path"), strdup("arg"), 0};
                    return failed(prog, args);
                }
                return 2;
            }
            """;

    /** Copies /proc/self/cmdline, its arguments as the kernel gave them, to a file next to itself. */
    private static final String CMDLINE = """
            #include <fcntl.h>
            #include <string.h>
            #include <unistd.h>

            int main(void) {
                static char buf[1 << 20];
                char out[4200];
                ssize_t n = readlink("/proc/self/exe", out, sizeof(out) - 9);
                if (n < 0)
                    return 1;
                strcpy(out + n, ".cmdline");
                int from = open("/proc/self/cmdline", O_RDONLY);
                int to = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
                if (from < 0 || to < 0)
                    return 1;
                while ((n = read(from, buf, sizeof(buf))) > 0)
                    if (write(to, buf, n) != n)
                        return 1;
                return n < 0;
            }
            """;

    @TempDir
    static Path tools;
    private static Path execs;
    private static Path cmdline;

    @TempDir
    Path dir;

    @BeforeAll
    static void compile() throws IOException, InterruptedException {
        execs = Programs.compileC(tools, "gt-execs", EXECS);
        cmdline = Programs.compileC(tools, "gt-cmdline", CMDLINE);
    }

    @Test
    void aForkedChildsLiteralArgvArrivesExactly() throws Exception {
        Path program = uniqueCopy(cmdline);
        try (GadgetRecorder trace = new GadgetRecorder(GADGET, Map.of())) {
            long helper = Programs.run(dir, List.of(execs.toString(), "literal", program.toString()));
            RowView event = trace.awaitEvent(e -> e.number("ret") == 0 && e.string("filename").equals(program.toString()));

            assertArgv(List.of("literal-zero", "literal-arg", "another literal"), event);
            assertEquals(cmdlineOf(program), event.strings("args"), "what the program itself sees");
            assertEquals(helper, event.number("ppid"));
            assertEquals("gt-execs", event.string("pcomm"));
            assertEquals(program.getFileName().toString(), event.string("comm"));
            assertEquals(0, trace.lost());
        }
    }

    @Test
    void aForkedChildsHeapArgvArrivesExactly() throws Exception {
        Path program = uniqueCopy(cmdline);
        try (GadgetRecorder trace = new GadgetRecorder(GADGET, Map.of())) {
            Programs.run(dir, List.of(execs.toString(), "heap", program.toString()));
            RowView event = trace.awaitEvent(e -> e.number("ret") == 0 && e.string("filename").equals(program.toString()));

            assertArgv(List.of("heap-zero", "heap-arg"), event);
            assertEquals(cmdlineOf(program), event.strings("args"));
        }
    }

    @Test
    void aLiteralAfterAHeapArgumentIsNotLost() throws Exception {
        Path program = uniqueCopy(cmdline);
        try (GadgetRecorder trace = new GadgetRecorder(GADGET, Map.of())) {
            Programs.run(dir, List.of(execs.toString(), "heap-then-literal", program.toString()));
            RowView event = trace.awaitEvent(e -> e.number("ret") == 0 && e.string("filename").equals(program.toString()));

            assertArgv(List.of("heap-zero", "literal-after-heap"), event);
        }
    }

    @Test
    void fexecveShowsItsArgvAndTheFileDescriptorAsFilename() throws Exception {
        Path program = uniqueCopy(cmdline);
        try (GadgetRecorder trace = new GadgetRecorder(GADGET, Map.of())) {
            long helper = Programs.run(dir, List.of(execs.toString(), "fexecve", program.toString()));
            RowView event = trace.awaitEvent(e -> e.number("ret") == 0 && e.number("ppid") == helper
                    && e.string("filename").equals("/dev/fd/42"));

            assertArgv(List.of("fd-zero", "fd-arg"), event);
            assertEquals(cmdlineOf(program), event.strings("args"));
        }
    }

    @Test
    void anExecWithoutArgumentsShowsTheEmptyOneTheKernelAdds() throws Exception {
        Path program = uniqueCopy(cmdline);
        try (GadgetRecorder trace = new GadgetRecorder(GADGET, Map.of())) {
            Programs.run(dir, List.of(execs.toString(), "no-args", program.toString()));
            RowView event = trace.awaitEvent(e -> e.number("ret") == 0 && e.string("filename").equals(program.toString()));

            assertArgv(List.of(""), event); // since Linux 5.18, for programs that expect argv[0]
            assertEquals(cmdlineOf(program), event.strings("args"));
        }
    }

    @Test
    void aScriptShowsTheArgvTheKernelMadeForItsInterpreter() throws Exception {
        Path interpreter = uniqueCopy(cmdline);
        Path script = dir.resolve(uniqueName());
        Files.writeString(script, "#!" + interpreter + " opt-arg\n");
        script.toFile().setExecutable(true);
        try (GadgetRecorder trace = new GadgetRecorder(GADGET, Map.of())) {
            Programs.run(dir, List.of(execs.toString(), "literal", script.toString()));
            RowView event = trace.awaitEvent(e -> e.number("ret") == 0 && e.string("filename").equals(script.toString()));

            assertArgv(List.of(interpreter.toString(), "opt-arg", script.toString(), "literal-arg", "another literal"),
                    event);
            assertEquals(cmdlineOf(interpreter), event.strings("args"), "as /proc/PID/cmdline shows it");
            assertEquals(script.getFileName().toString(), event.string("comm"));
        }
    }

    @Test
    void theShellOfAFirstSystemCallShowsItsArgv() throws Exception {
        String command = Programs.uniqueTrue(dir) + " from-system";
        try (GadgetRecorder trace = new GadgetRecorder(GADGET, Map.of())) {
            long helper = Programs.run(dir, List.of(execs.toString(), "system", command));
            RowView event = trace.awaitEvent(e -> e.number("ret") == 0 && e.number("ppid") == helper
                    && e.string("filename").equals("/bin/sh"));

            assertArgv(List.of("sh", "-c", command), event);
        }
    }

    @Test
    void everyExecOfAForkStormArrivesExactlyOrIsCountedLost() throws Exception {
        int runs = 3000;
        Path program = Programs.uniqueTrue(dir);
        Path marker = Programs.uniqueTrue(dir);
        GadgetRecorder trace = new GadgetRecorder(GADGET, Map.of());
        List<RowView> storm;
        try {
            long helper = Programs.run(dir, List.of(execs.toString(), "storm", program.toString(),
                    String.valueOf(runs)));
            // Exec events enter the ring in the order the execs happened: the marker's comes after the storm's.
            Programs.run(dir, List.of(marker.toString()));
            trace.awaitEvent(e -> e.number("ret") == 0 && e.string("filename").equals(marker.toString()));
            storm = trace.events().stream().filter(e -> e.number("ppid") == helper).toList();
        } finally {
            trace.close(); // reports what the ring lost until now
        }

        Set<String> seen = new HashSet<>();
        for (RowView event : storm) {
            assertEquals(program.toString(), event.string("filename"));
            String unique = event.strings("args").getLast();
            assertArgv(List.of("storm", "literal-arg", unique), event);
            assertTrue(unique.matches("storm-\\d+") && Integer.parseInt(unique.substring(6)) < runs, unique);
            assertTrue(seen.add(unique), "reported once: " + unique);
        }
        assertTrue(seen.size() + trace.lost() >= runs,
                runs + " execs run, " + seen.size() + " captured, " + trace.lost() + " reported lost");
    }

    @Test
    void anUnreadableArgumentOfAFailedExecIsReplacedAndTheRestRead() throws Exception {
        String missing = dir.resolve("gt-missing-" + System.nanoTime()).toString();
        try (GadgetRecorder trace = new GadgetRecorder(GADGET, Map.of())) {
            Programs.run(dir, List.of(execs.toString(), "unreadable-arg", missing));
            RowView event = trace.awaitEvent(e -> e.string("filename").equals(missing));

            assertEquals(-2, event.number("ret"));
            assertEquals(List.of("first", TraceExec.UNREADABLE, "last"), event.strings("args"));
            assertEquals(3, event.number("argsCount"));
            assertEquals(1, event.number("argsUnreadable"));
            assertEquals(sizeOf(event.strings("args")), event.number("argsSize"), "the placeholder counts as itself");
            assertFalse(event.flag("argsTruncated"));
        }
    }

    @Test
    void anUnreadableArgvOfAFailedExecIsOnePlaceholderAndCut() throws Exception {
        String missing = dir.resolve("gt-missing-" + System.nanoTime()).toString();
        try (GadgetRecorder trace = new GadgetRecorder(GADGET, Map.of())) {
            Programs.run(dir, List.of(execs.toString(), "unreadable-argv", missing));
            RowView event = trace.awaitEvent(e -> e.string("filename").equals(missing));

            assertEquals(-2, event.number("ret"));
            assertEquals(List.of(TraceExec.UNREADABLE), event.strings("args"));
            assertEquals(1, event.number("argsUnreadable"));
            assertTrue(event.flag("argsTruncated"), "how many arguments followed is unknown");
        }
    }

    @Test
    void aFailedExecShowsThePathItWasGivenBesideArgvZero() throws Exception {
        String missing = dir.resolve("gt-missing-" + System.nanoTime()).toString();
        try (GadgetRecorder trace = new GadgetRecorder(GADGET, Map.of())) {
            long helper = Programs.run(dir, List.of(execs.toString(), "named", missing));
            RowView event = trace.awaitEvent(e -> e.string("filename").equals(missing));

            assertEquals(-2, event.number("ret"));
            assertEquals(helper, event.number("pid"));
            assertEquals("gt-execs", event.string("comm"));
            assertArgv(List.of("not-the-path", "arg"), event);
        }
    }

    @Test
    void aFailedExecWhosePathCannotBeReadShowsThePlaceholder() throws Exception {
        try (GadgetRecorder trace = new GadgetRecorder(GADGET, Map.of())) {
            long helper = Programs.run(dir, List.of(execs.toString(), "bad-path", "-"));
            RowView event = trace.awaitEvent(e -> e.number("pid") == helper && e.number("ret") != 0);

            assertEquals(-14, event.number("ret"), "EFAULT");
            assertEquals(TraceExec.UNREADABLE, event.string("filename"));
            assertArgv(List.of("bad-path-zero"), event);
        }
    }

    /** The event carries exactly {@code expected}, whole, with the true count and size. */
    private static void assertArgv(List<String> expected, RowView event) {
        assertEquals(expected, event.strings("args"));
        assertEquals(expected.size(), event.number("argsCount"));
        assertEquals(sizeOf(expected), event.number("argsSize"));
        assertEquals(0, event.number("argsUnreadable"));
        assertFalse(event.flag("argsTruncated"));
    }

    private static long sizeOf(List<String> args) {
        return args.stream().mapToLong(a -> a.getBytes(StandardCharsets.UTF_8).length + 1).sum();
    }

    /** gt-<random>: short enough to be a whole comm (15 bytes). */
    private static String uniqueName() {
        return "gt-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    /** A uniquely named copy of {@code program}, so that its exec is told from anyone else's. */
    private Path uniqueCopy(Path program) throws IOException {
        return Files.copy(program, dir.resolve(uniqueName()), StandardCopyOption.COPY_ATTRIBUTES);
    }

    /** What gt-cmdline (run as {@code program}) wrote: the arguments the kernel gave it. */
    private static List<String> cmdlineOf(Path program) throws IOException {
        byte[] bytes = Files.readAllBytes(Path.of(program + ".cmdline"));
        List<String> args = new ArrayList<>();
        int start = 0;
        for (int i : IntStream.range(0, bytes.length).filter(i -> bytes[i] == 0).toArray()) {
            args.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
            start = i + 1;
        }
        return args;
    }
}
