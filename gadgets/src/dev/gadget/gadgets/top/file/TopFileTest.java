package dev.gadget.gadgets.top.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gadget.bpf.RequiresBpf;
import dev.gadget.gadgets.model.RowView;
import dev.gadget.gadgets.testing.GadgetRecorder;
import dev.gadget.gadgets.testing.Programs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** top file against the real kernel: programs read and write known amounts and the tables must count them exactly. */
@ExtendWith(RequiresBpf.class)
class TopFileTest {
    private static final TopFile GADGET = new TopFile();
    /** Short intervals, so that a program's calls usually span several tables, which must add up. */
    private static final Map<String, String> PARAMS = Map.of("interval", "100ms", "max-rows", "100000");

    /**
     * "file PATH": 5 writes of 4000 bytes and 6 reads of 1610 bytes (the last at the end of the file,
     * 0 bytes), each kind of read and write call once at least. "many PATH": 100000 writes of a byte,
     * pausing halfway, so they span intervals. "pipe": writes the name of its stdout
     * to it. "socket": 123 bytes through a socket pair, then the names of both ends to stdout.
     */
    private static final String IO = """
            #define _GNU_SOURCE
            #include <fcntl.h>
            #include <stdio.h>
            #include <string.h>
            #include <sys/socket.h>
            #include <sys/uio.h>
            #include <unistd.h>

            static char buf[4096];

            static int must(long done, long wanted) { if (done != wanted) _exit(1); return 0; }

            static void name(int fd, char *out) {
                char link[64];
                snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
                out[readlink(link, out, 63)] = 0;
            }

            int main(int argc, char **argv) {
                if (!strcmp(argv[1], "file")) {
                    int fd = open(argv[2], O_RDWR | O_CREAT | O_TRUNC, 0600);
                    struct iovec two[2] = { { buf, 200 }, { buf, 300 } };
                    struct iovec small[2] = { { buf, 50 }, { buf, 50 } };
                    struct iovec one[1] = { { buf, 10 } };
                    for (int i = 0; i < 3; i++) must(write(fd, buf, 1000), 1000);
                    must(pwrite(fd, buf, 500, 3000), 500);
                    must(writev(fd, two, 2), 500);
                    lseek(fd, 0, SEEK_SET);
                    for (int i = 0; i < 2; i++) must(read(fd, buf, 700), 700);
                    must(pread(fd, buf, 100, 0), 100);
                    must(readv(fd, small, 2), 100);
                    must(preadv2(fd, one, 1, 0, 0), 10);
                    lseek(fd, 0, SEEK_END);
                    must(read(fd, buf, 10), 0);
                    close(fd);
                } else if (!strcmp(argv[1], "many")) {
                    int fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0600);
                    for (int i = 0; i < 100000; i++) {
                        must(write(fd, buf, 1), 1);
                        if (i == 50000) usleep(300000);
                    }
                    close(fd);
                } else if (!strcmp(argv[1], "pipe")) {
                    char out[80];
                    name(1, out);
                    strcat(out, "\\n");
                    must(write(1, out, strlen(out)), strlen(out));
                } else if (!strcmp(argv[1], "socket")) {
                    int ends[2];
                    char a[64], b[64];
                    socketpair(AF_UNIX, SOCK_STREAM, 0, ends);
                    must(write(ends[0], buf, 123), 123);
                    must(read(ends[1], buf, sizeof buf), 123);
                    name(ends[0], a);
                    name(ends[1], b);
                    printf("%s %s\\n", a, b);
                }
                return 0;
            }
            """;

    @TempDir
    static Path bin;
    private static Path io;

    @TempDir
    Path dir;

    @BeforeAll
    static void compile() throws Exception {
        io = Programs.compileC(bin, "gt-io", IO);
    }

    @Test
    void everyReadAndWriteOfAFileIsCountedExactlyOverTheIntervals() throws Exception {
        Path file = dir.toRealPath().resolve("gt-file-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
        try (GadgetRecorder top = new GadgetRecorder(GADGET, PARAMS)) {
            Ran ran = run("file", file.toString());
            List<RowView> rows = rowsAfter(top, r -> r.number("pid") == ran.pid() && r.string("filename").equals(file.toString()));

            assertEquals(5, sum(rows, "writes"));
            assertEquals(4000, sum(rows, "wbytes"));
            assertEquals(6, sum(rows, "reads"));
            assertEquals(1610, sum(rows, "rbytes"));
            assertEquals(5610, sum(rows, "bytes"));
            for (RowView row : rows) {
                assertEquals(ran.pid(), row.number("tid"));
                assertEquals("gt-io", row.string("comm"));
                assertEquals("R", row.string("fileType"));
                assertFalse(row.flag("filenameTruncated"));
                assertEquals(((Number) Files.getAttribute(file, "unix:ino")).longValue(), row.number("inode"));
                assertEquals(((Number) Files.getAttribute(file, "unix:dev")).longValue(), row.number("dev"));
                assertEquals("", row.string("runtime.containerName"));
            }
            assertEquals(0, top.lost());
        }
    }

    @Test
    void aStreamOfCallsAcrossIntervalsIsCountedExactlyOnce() throws Exception {
        Path file = dir.toRealPath().resolve("gt-many-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
        try (GadgetRecorder top = new GadgetRecorder(GADGET, PARAMS)) {
            Ran ran = run("many", file.toString());
            List<RowView> rows = rowsAfter(top, r -> r.number("pid") == ran.pid() && r.string("filename").equals(file.toString()));

            assertEquals(100_000, sum(rows, "writes"), "over " + rows.size() + " intervals");
            assertEquals(100_000, sum(rows, "wbytes"));
            assertEquals(0, top.lost());
        }
    }

    @Test
    void aPipeIsNamedAsProcShowsIt() throws Exception {
        try (GadgetRecorder top = new GadgetRecorder(GADGET, PARAMS)) {
            Ran ran = run("pipe");
            String pipe = ran.output().strip();
            assertTrue(pipe.startsWith("pipe:["), pipe);
            List<RowView> rows = rowsAfter(top, r -> r.number("pid") == ran.pid() && r.string("filename").equals(pipe));

            assertEquals(1, sum(rows, "writes"));
            assertEquals(pipe.length() + 1, sum(rows, "wbytes"));
            assertEquals(0, sum(rows, "reads"));
            assertTrue(rows.stream().allMatch(r -> r.string("fileType").equals("P")));
        }
    }

    @Test
    void bothEndsOfASocketPairAreCounted() throws Exception {
        try (GadgetRecorder top = new GadgetRecorder(GADGET, PARAMS)) {
            Ran ran = run("socket");
            String[] ends = ran.output().strip().split(" ");
            List<RowView> writer = rowsAfter(top, r -> r.number("pid") == ran.pid() && r.string("filename").equals(ends[0]));
            List<RowView> reader = rowsAfter(top, r -> r.number("pid") == ran.pid() && r.string("filename").equals(ends[1]));

            assertTrue(ends[0].startsWith("socket:[") && !ends[0].equals(ends[1]), ran.output());
            assertEquals(List.of(1L, 123L, 0L), List.of(sum(writer, "writes"), sum(writer, "wbytes"), sum(writer, "reads")));
            assertEquals(List.of(1L, 123L, 0L), List.of(sum(reader, "reads"), sum(reader, "rbytes"), sum(reader, "writes")));
            assertTrue(writer.stream().allMatch(r -> r.string("fileType").equals("S")));
        }
    }

    @Test
    void theBusiestFileComesFirst() throws Exception {
        try (GadgetRecorder top = new GadgetRecorder(GADGET, Map.of("interval", "1s"))) {
            top.awaitRow(r -> r.number("bytes") > 0);
            for (List<RowView> table : top.tables()) {
                for (int i = 1; i < table.size(); i++) {
                    assertTrue(table.get(i - 1).number("bytes") >= table.get(i).number("bytes"), "sorted by -bytes");
                }
            }
        }
    }

    private record Ran(long pid, String output) {
    }

    private Ran run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(io.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), "gt-io " + args[0] + " did all its calls");
        return new Ran(process.pid(), output);
    }

    /**
     * The matching rows of every table up to two tables after now: the second was collected wholly
     * after the program ended, so everything it did is in them.
     */
    private static List<RowView> rowsAfter(GadgetRecorder top, Predicate<RowView> match) throws InterruptedException {
        int tables = top.tables().size();
        for (int wait = 0; top.tables().size() < tables + 2; wait++) {
            assertTrue(wait < 600, "two more tables within a minute");
            Thread.sleep(100);
        }
        List<RowView> rows = top.tables().stream().flatMap(List::stream).filter(match).toList();
        assertFalse(rows.isEmpty(), "a row for it");
        return rows;
    }

    private static long sum(List<RowView> rows, String field) {
        return rows.stream().mapToLong(r -> r.number(field)).sum();
    }
}
