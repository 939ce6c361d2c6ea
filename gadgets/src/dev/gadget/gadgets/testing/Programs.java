package dev.gadget.gadgets.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Uniquely named programs for tests to exec, so their events cannot be confused with anyone else's. */
public final class Programs {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private Programs() {
    }

    /** A copy of /bin/true named gt-<random>: it ignores its arguments and exits 0. */
    public static Path uniqueTrue(Path dir) throws IOException {
        Path program = dir.resolve("gt-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
        Files.copy(Path.of("/bin/true"), program, StandardCopyOption.COPY_ATTRIBUTES);
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
        return program;
    }

    /** Runs a command to completion and returns its pid; fails unless it exits 0. */
    public static long run(Path workingDirectory, List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(workingDirectory.toFile())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        int status = process.waitFor();
        if (status != 0) {
            throw new AssertionError(command.getFirst() + " exited " + status + ": " + output);
        }
        return process.pid();
    }

    /**
     * A static storm for containers (whose image has no C library): "storm run MARKER COUNT PAD" execs
     * itself as "storm MARKER i PADDING" for i in 0..COUNT-1, one after the other; that one exits at once.
     * In a container it makes exactly COUNT + 1 execs: its own, then the marked ones.
     */
    public static Path staticStorm(Path dir) throws IOException, InterruptedException {
        return compileC(dir, "gt-storm", execLoop("if (argc != 5 || strcmp(argv[1], \"run\") != 0) return 0;", "argv[0]"),
                "-O1", "-static");
    }

    /** "burst PROGRAM MARKER COUNT PAD": execs "PROGRAM MARKER i PADDING" for i in 0..COUNT-1, one after the other. */
    public static Path burst(Path dir) throws IOException, InterruptedException {
        return compileC(dir, "gt-burst", execLoop("", "argv[1]"));
    }

    /** Runs a burst of {@code count} execs of {@code program} marked {@code marker}, each with {@code pad} bytes more. */
    public static void runBurst(Path dir, Path burst, Path program, String marker, int count, int pad)
            throws IOException, InterruptedException {
        run(dir, List.of(burst.toString(), program.toString(), marker, String.valueOf(count), String.valueOf(pad)));
    }

    /** C that fork()s and execv()s {@code program} (a C expression) COUNT times, after {@code guard}. */
    private static String execLoop(String guard, String program) {
        return """
                #include <stdio.h>
                #include <stdlib.h>
                #include <string.h>
                #include <sys/wait.h>
                #include <unistd.h>
                int main(int argc, char **argv) {
                    GUARD
                    int count = atoi(argv[3]), pad = atoi(argv[4]);
                    char *padding = malloc(pad + 1), number[16];
                    memset(padding, 'p', pad);
                    padding[pad] = 0;
                    for (int i = 0; i < count; i++) {
                        snprintf(number, sizeof number, "%d", i);
                        pid_t child = fork();
                        if (child == 0) {
                            char *args[] = {PROGRAM, argv[2], number, padding, NULL};
                            execv(PROGRAM, args);
                            _exit(127);
                        }
                        int status;
                        if (child < 0 || waitpid(child, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
                            return 1;
                    }
                    return 0;
                }
                """.replace("GUARD", guard).replace("PROGRAM", program);
    }

    /** A storm that runs until killed: fork and exec /bin/true, one after the other, as fast as they go. */
    public static Path endlessStorm(Path dir) throws IOException, InterruptedException {
        return compileC(dir, "gt-endless-storm", """
                #include <sys/wait.h>
                #include <unistd.h>
                int main(void) {
                    for (;;) {
                        pid_t child = fork();
                        if (child == 0) {
                            execl("/bin/true", "true", "gt-endless-storm", (char *) 0);
                            _exit(127);
                        }
                        if (child > 0)
                            waitpid(child, 0, 0);
                    }
                }
                """);
    }

    /** Compiles a C program with gcc into {@code dir}, for behaviour no stock binary shows. */
    public static Path compileC(Path dir, String name, String source) throws IOException, InterruptedException {
        return compileC(dir, name, source, "-O1", "-pthread");
    }

    /** Compiles a C program with gcc and these options (-O0 -fno-omit-frame-pointer, say). */
    public static Path compileC(Path dir, String name, String source, String... options)
            throws IOException, InterruptedException {
        Path c = dir.resolve(name + ".c");
        Files.writeString(c, source);
        Path binary = dir.resolve(name);
        List<String> gcc = new ArrayList<>(List.of("gcc"));
        gcc.addAll(List.of(options));
        gcc.addAll(List.of("-o", binary.toString(), c.toString()));
        run(dir, gcc);
        return binary;
    }

    /** The CPU time a process used so far, user and system (from /proc/PID/stat, in clock ticks of 10 ms). */
    public static Duration cpuTime(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        // comm, in parentheses, may hold spaces: count the fields after its closing one
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Duration.ofMillis(10 * (Long.parseLong(fields[11]) + Long.parseLong(fields[12])));
    }

    /**
     * Waits until a running process has used {@code cpu} of CPU time: a profile then holds its samples
     * however slow the machine. Fails if it exits first or never gets that far.
     */
    public static void awaitCpuTime(long pid, Duration cpu) throws IOException, InterruptedException {
        long giveUp = System.nanoTime() + PATIENCE.toNanos();
        while (cpuTime(pid).compareTo(cpu) < 0) {
            if (System.nanoTime() > giveUp) {
                throw new AssertionError("process " + pid + " used only " + cpuTime(pid) + " of CPU in " + PATIENCE);
            }
            Thread.sleep(50);
        }
    }
}
