package dev.gadget.daemon;

import dev.gadget.gadgets.model.RowView;
import dev.gadget.gadgets.testing.Programs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** C programs that exec, for the daemon's tests: bursts of marked execs, of any size. */
final class ExecPrograms {
    private ExecPrograms() {
    }

    /** burst PROGRAM MARKER COUNT PAD: execs PROGRAM MARKER i PADDING for i in 0..COUNT-1, one after the other. */
    static Path burst(Path dir) throws IOException, InterruptedException {
        return Programs.compileC(dir, "gt-burst", """
                #include <stdio.h>
                #include <stdlib.h>
                #include <string.h>
                #include <sys/wait.h>
                #include <unistd.h>
                int main(int argc, char **argv) {
                    int count = atoi(argv[3]), pad = atoi(argv[4]);
                    char *padding = malloc(pad + 1), number[16];
                    memset(padding, 'p', pad);
                    padding[pad] = 0;
                    for (int i = 0; i < count; i++) {
                        snprintf(number, sizeof number, "%d", i);
                        pid_t child = fork();
                        if (child == 0) {
                            char *args[] = {argv[1], argv[2], number, padding, NULL};
                            execv(argv[1], args);
                            _exit(127);
                        }
                        int status;
                        if (child < 0 || waitpid(child, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
                            return 1;
                    }
                    return 0;
                }
                """);
    }

    /** Runs a burst of {@code count} execs of {@code program} marked {@code marker}, each with {@code pad} bytes more. */
    static void runBurst(Path dir, Path burst, Path program, String marker, int count, int pad)
            throws IOException, InterruptedException {
        Programs.run(dir, List.of(burst.toString(), program.toString(), marker, String.valueOf(count), String.valueOf(pad)));
    }

    static boolean isMarked(RowView event, Path program, String marker) {
        List<String> args = event.strings("args");
        return args.size() == 4 && args.get(0).equals(program.toString()) && args.get(1).equals(marker);
    }

    /** The numbers of the marked execs among {@code events}, failing on one seen twice. */
    static Set<Integer> numbers(List<RowView> events, Path program, String marker) {
        Set<Integer> numbers = new TreeSet<>();
        for (RowView event : events) {
            if (isMarked(event, program, marker) && !numbers.add(Integer.parseInt(event.strings("args").get(2)))) {
                throw new AssertionError("exec " + event.strings("args").get(2) + " of " + marker + " came twice");
            }
        }
        return numbers;
    }
}
