package dev.gadget.gadgets.trace.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gadget.bpf.BpfInventory;
import dev.gadget.bpf.RequiresBpf;
import dev.gadget.gadgets.testing.Programs;
import dev.gadget.gadgets.model.RowView;
import dev.gadget.gadgets.testing.GadgetRecorder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** trace exec against the real kernel: the tests exec programs and check what the gadget saw. */
@ExtendWith(RequiresBpf.class)
class TraceExecTest {
    private static final TraceExec GADGET = new TraceExec();
    private static final long SELF = ProcessHandle.current().pid();

    @TempDir
    Path dir;

    @BeforeAll
    static void argumentsReachExecAsUtf8() {
        assertEquals("UTF-8", System.getProperty("sun.jnu.encoding"),
                "the JVM must run under a UTF-8 locale (LC_ALL=C.UTF-8) to pass UTF-8 arguments to exec");
    }

    @Test
    void unusualArgumentsArriveExactly() throws Exception {
        Path program = Programs.uniqueTrue(dir);
        List<String> command = List.of(program.toString(), "two words", "ünïcödé ✓ 日本", "", "--flag=x y",
                "tab\there", "line\nbreak", "'quoted'");
        try (GadgetRecorder trace = new GadgetRecorder(GADGET, Map.of())) {
            long pid = Programs.run(dir, command);
            RowView event = trace.awaitEvent(e -> e.number("pid") == pid && isExecOf(command.getFirst(), e));

            assertWhole(command, event);
            assertEquals(command.getFirst(), event.string("filename"));
            assertEquals(SELF, event.number("ppid"));
            assertEquals(0, event.number("uid"));
            assertEquals(0, event.number("gid"));
            assertEquals(program.getFileName().toString(), event.string("comm"));
            assertEquals("java", event.string("pcomm"));
            assertTrue(event.number("timestamp") > 1_700_000_000_000_000_000L, "wall-clock nanoseconds");
            assertEquals(0, trace.lost());
        }
    }

    @Test
    void aHundredArgumentsOfMoreThanEightKibibytesAllArrive() throws Exception {
        Path program = Programs.uniqueTrue(dir);
        List<String> command = new ArrayList<>(List.of(program.toString()));
        IntStream.range(0, 100).mapToObj(i -> i + ":" + "x".repeat(90 + i)).forEach(command::add);
        assertTrue(String.join("", command).length() > 8 * 1024);
        try (GadgetRecorder trace = new GadgetRecorder(GADGET, Map.of())) {
            long pid = Programs.run(dir, command);
            RowView event = trace.awaitEvent(e -> e.number("pid") == pid && isExecOf(command.getFirst(), e));

            assertEquals(101, event.strings("args").size());
            assertWhole(command, event);
        }
    }

    @Test
    void aThousandArgumentsAllArrive() throws Exception {
        Path program = Programs.uniqueTrue(dir);
        List<String> command = new ArrayList<>(List.of(program.toString()));
        IntStream.range(0, 1000).mapToObj(i -> "arg-" + i).forEach(command::add);
        try (GadgetRecorder trace = new GadgetRecorder(GADGET, Map.of())) {
            long pid = Programs.run(dir, command);
            RowView event = trace.awaitEvent(e -> e.number("pid") == pid && isExecOf(command.getFirst(), e));

            assertWhole(command, event);
        }
    }

    @Test
    void argvBeyondTheLimitIsCutThereWithItsTrueCountAndSize() throws Exception {
        Path program = Programs.uniqueTrue(dir);
        List<String> command = beyondTheLimit(program.toString());
        try (GadgetRecorder trace = new GadgetRecorder(GADGET, Map.of())) {
            long pid = Programs.run(dir, command);
            RowView event = trace.awaitEvent(e -> e.number("pid") == pid && isExecOf(command.getFirst(), e));

            assertCutAtTheLimit(command, event);
        }
    }

    @Test
    void aFailedExecsArgvBeyondTheLimitIsCutThereWithItsTrueCountAndSize() throws Exception {
        String missing = dir.resolve("gt-missing-" + System.nanoTime()).toString();
        List<String> command = beyondTheLimit(missing);
        try (GadgetRecorder trace = new GadgetRecorder(GADGET, Map.of())) {
            startMissing(command);
            RowView event = trace.awaitEvent(e -> e.string("filename").equals(missing));

            assertEquals(-2, event.number("ret"));
            assertCutAtTheLimit(command, event);
        }
    }

    @Test
    void argumentsThatExactlyFillTheLimitAreNotMarkedTruncated() throws Exception {
        Path program = Programs.uniqueTrue(dir);
        List<String> command = fillingTheLimit(program.toString());
        try (GadgetRecorder trace = new GadgetRecorder(GADGET, Map.of())) {
            long pid = Programs.run(dir, command);
            RowView event = trace.awaitEvent(e -> e.number("pid") == pid && isExecOf(command.getFirst(), e));

            assertWhole(command, event);
            assertEquals(ExecEventDecoder.ARGS_MAX, event.number("argsSize"));
        }
    }

    @Test
    void aFailedExecsArgumentsThatExactlyFillTheLimitAreNotMarkedTruncated() throws Exception {
        String missing = dir.resolve("gt-missing-" + System.nanoTime()).toString();
        List<String> command = fillingTheLimit(missing);
        try (GadgetRecorder trace = new GadgetRecorder(GADGET, Map.of())) {
            startMissing(command);
            RowView event = trace.awaitEvent(e -> e.string("filename").equals(missing));

            assertWhole(command, event);
            assertEquals(ExecEventDecoder.ARGS_MAX, event.number("argsSize"));
        }
    }

    @Test
    void aFailedExecReportsItsErrnoAndPath() throws Exception {
        String missing = dir.resolve("gt-missing-" + System.nanoTime()).toString();
        try (GadgetRecorder trace = new GadgetRecorder(GADGET, Map.of())) {
            startMissing(List.of(missing, "arg"));
            RowView event = trace.awaitEvent(e -> e.strings("args").contains(missing));

            assertEquals(-2, event.number("ret"));
            assertEquals(missing, event.string("filename"));
            assertWhole(List.of(missing, "arg"), event);
        }
    }

    @Test
    void pathsShowTheWorkingDirectoryAndTheExecutable() throws Exception {
        Path program = Programs.uniqueTrue(dir);
        Path work = Files.createDirectories(dir.resolve("some dir/deeper"));
        try (GadgetRecorder trace = new GadgetRecorder(GADGET, Map.of("paths", "true"))) {
            long pid = Programs.run(work, List.of(program.toString()));
            RowView event = trace.awaitEvent(e -> e.number("pid") == pid && isExecOf(program.toString(), e));

            assertEquals(work.toRealPath().toString(), event.string("cwd"));
            assertEquals(program.toRealPath().toString(), event.string("exepath"));
            assertFalse(event.flag("cwdTruncated"));
            assertFalse(event.flag("cwdDeleted"));
            assertFalse(event.flag("exepathDeleted"));
        }
    }

    @Test
    void aDeletedWorkingDirectoryIsFlagged() throws Exception {
        Path program = Programs.uniqueTrue(dir);
        Path gone = Files.createDirectories(dir.resolve("gt-gone")).toRealPath();
        try (GadgetRecorder trace = new GadgetRecorder(GADGET, Map.of("paths", "true"))) {
            Programs.run(dir, List.of("sh", "-c", "cd " + gone + " && rmdir " + gone + " && exec " + program));
            RowView event = trace.awaitEvent(e -> isExecOf(program.toString(), e));

            assertEquals(gone.toString(), event.string("cwd"));
            assertTrue(event.flag("cwdDeleted"));
            assertFalse(event.flag("exepathDeleted"));
        }
    }

    @Test
    void aWorkingDirectoryLongerThanThePathBufferKeepsItsEndAndIsFlagged() throws Exception {
        Path program = Programs.uniqueTrue(dir);
        String name = "d".repeat(200);
        int levels = 25; // 25 * 201 bytes: beyond the 4096 a path can have
        // Down step by step, each call naming one component: one naming the whole path would be refused.
        Path descend = Programs.compileC(dir, "gt-descend", """
                #include <stdlib.h>
                #include <sys/stat.h>
                #include <unistd.h>
                int main(int argc, char **argv) {
                    if (mkdir("deep", 0755) || chdir("deep")) return 2;
                    for (int i = 0; i < atoi(argv[1]); i++) {
                        if (mkdir(argv[2], 0755) || chdir(argv[2])) return 2;
                    }
                    execl(argv[3], argv[3], (char *) 0);
                    return 3;
                }
                """);
        try (GadgetRecorder trace = new GadgetRecorder(GADGET, Map.of("paths", "true"))) {
            Programs.run(dir, List.of(descend.toString(), String.valueOf(levels), name, program.toString()));
            RowView event = trace.awaitEvent(e -> isExecOf(program.toString(), e));

            assertTrue(event.flag("cwdTruncated"));
            assertTrue(event.string("cwd").endsWith(("/" + name).repeat(levels - 5)), event.string("cwd"));
            assertTrue(event.string("cwd").length() <= 4096, "at most the buffer: " + event.string("cwd").length());
        } finally {
            Programs.run(dir, List.of("rm", "-rf", "deep")); // rm walks down relatively; a JVM path would be too long
        }
    }

    @Test
    void anExecFromASecondThreadIsReportedOnceWithTheProcessPid() throws Exception {
        Path program = Programs.uniqueTrue(dir);
        Path threaded = Programs.compileC(dir, "gt-threaded", """
                #include <pthread.h>
                #include <unistd.h>
                static char **args;
                static void *run(void *unused) { execv(args[1], args + 1); return 0; }
                int main(int argc, char **argv) {
                    pthread_t thread;
                    args = argv;
                    pthread_create(&thread, 0, run, 0);
                    pthread_join(thread, 0);
                    return 1;
                }
                """);
        try (GadgetRecorder trace = new GadgetRecorder(GADGET, Map.of())) {
            long pid = Programs.run(dir, List.of(threaded.toString(), program.toString(), "from-a-thread"));
            RowView event = trace.awaitEvent(e -> isExecOf(program.toString(), e));

            assertEquals(pid, event.number("pid"));
            assertTrue(event.number("tid") != pid, "the calling thread's tid is kept");
            assertEquals(0, event.number("ret"));
            assertEquals(program.getFileName().toString(), event.string("comm"));
            assertEquals(List.of(program.toString(), "from-a-thread"), event.strings("args"));
            assertEquals(1, trace.events().stream().filter(e -> isExecOf(program.toString(), e)).count());
        }
    }

    @Test
    void closingLeavesNoProgramOrLinkInTheKernel() throws Exception {
        Set<Integer> before = ids(BpfInventory.programs());
        GadgetRecorder trace = new GadgetRecorder(GADGET, Map.of());
        Set<Integer> ours = ids(BpfInventory.programs());
        ours.removeAll(before);
        assertEquals(5, ours.size(), "trace exec's three programs and the cgroup watcher's two");

        trace.close();
        for (int attempt = 0; attempt < 100 && !stillThere(ours).isEmpty(); attempt++) {
            Thread.sleep(50); // programs go after an RCU grace period
        }
        assertEquals(Set.of(), stillThere(ours));
        assertEquals(List.of(), BpfInventory.links().stream().filter(l -> ours.contains(l.programId())).toList());
    }

    /** The JVM's spawn helper tries execve and gets ENOENT: that is the event wanted. */
    private static void startMissing(List<String> command) throws InterruptedException {
        try {
            new ProcessBuilder(command).start().waitFor();
            throw new AssertionError(command.getFirst() + " should not exist");
        } catch (IOException expected) {
            // the failed exec happened
        }
    }

    /** Arguments of 12 KiB each (the kernel takes up to 128 KiB each) making 1.5 times the limit. */
    private static List<String> beyondTheLimit(String program) {
        List<String> command = new ArrayList<>(List.of(program));
        IntStream.range(0, 32).mapToObj(i -> (char) ('a' + i % 26) + "y".repeat(12 * 1024)).forEach(command::add);
        return command;
    }

    /** Three arguments whose bytes, each with its NUL, add up to the limit exactly. */
    private static List<String> fillingTheLimit(String program) {
        int room = ExecEventDecoder.ARGS_MAX - (program.length() + 1);
        int third = room / 3;
        return List.of(program, "a".repeat(third - 1), "b".repeat(third - 1), "c".repeat(room - 2 * third - 1));
    }

    private static void assertWhole(List<String> command, RowView event) {
        assertEquals(command, event.strings("args"));
        assertEquals(command.size(), event.number("argsCount"));
        assertEquals(passed(command).length, event.number("argsSize"));
        assertEquals(0, event.number("argsUnreadable"));
        assertFalse(event.flag("argsTruncated"));
    }

    /** Every byte up to the limit, the last argument cut, and the true count and size beside. */
    private static void assertCutAtTheLimit(List<String> command, RowView event) {
        byte[] passed = passed(command);
        assertTrue(passed.length > ExecEventDecoder.ARGS_MAX);
        String kept = new String(passed, 0, ExecEventDecoder.ARGS_MAX, StandardCharsets.UTF_8);
        List<String> expected = new ArrayList<>(List.of(kept.split("\0", -1)));
        if (expected.getLast().isEmpty()) {
            expected.removeLast(); // the cut fell right after a NUL
        }
        assertEquals(expected, event.strings("args"));
        assertTrue(event.flag("argsTruncated"));
        assertEquals(command.size(), event.number("argsCount"));
        assertEquals(passed.length, event.number("argsSize"));
    }

    private static byte[] passed(List<String> command) {
        return (String.join("\0", command) + "\0").getBytes(StandardCharsets.UTF_8);
    }

    /** The JVM starts children through its spawn helper: the second exec of the pid is the program's. */
    private static boolean isExecOf(String program, RowView event) {
        List<String> args = event.strings("args");
        return event.number("ret") == 0 && !args.isEmpty() && args.getFirst().equals(program);
    }

    private static Set<Integer> stillThere(Set<Integer> ids) {
        Set<Integer> left = ids(BpfInventory.programs());
        left.retainAll(ids);
        return left;
    }

    private static Set<Integer> ids(List<BpfInventory.Program> programs) {
        return programs.stream().map(BpfInventory.Program::id).collect(Collectors.toCollection(HashSet::new));
    }
}
