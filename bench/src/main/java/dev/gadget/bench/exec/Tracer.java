package dev.gadget.bench.exec;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An exec tracer the benchmark runs: its command, and how it reports losses. Every tracer prints each
 * exec's program and arguments, so the storm's unique arguments show what it saw.
 */
sealed interface Tracer permits Tracer.Gadget, Tracer.Execsnoop, Tracer.Bpftrace {

    String label();

    /**
     * The command as the storms run it: standard output into a pipe, so the C tools buffer it the way
     * stdio does (4 KiB at a time), their cheapest way to print.
     */
    List<String> command();

    /** The command as a person watching it runs it: every line printed as it comes, as on a terminal. */
    List<String> lineBufferedCommand();

    /** Events it says it lost, from one line of its standard output or error; 0 for other lines. */
    long lost(String line);

    /** gadget trace exec, through the launcher of the checkout; it flushes its output after every batch. */
    record Gadget(Path launcher, List<String> options) implements Tracer {
        private static final Pattern LOST = Pattern.compile("^warning: trace exec lost (\\d+) events");

        @Override
        public String label() {
            return String.join(" ", Stream.concat(Stream.of("gadget trace exec"), options.stream()).toList());
        }

        @Override
        public List<String> command() {
            return Stream.concat(Stream.of(launcher.toString(), "trace", "exec"), options.stream()).toList();
        }

        @Override
        public List<String> lineBufferedCommand() {
            return command();
        }

        @Override
        public long lost(String line) {
            return number(LOST, line);
        }
    }

    /** libbpf-tools' execsnoop (Debian package libbpf-tools): PCOMM PID PPID RET ARGS. */
    record Execsnoop() implements Tracer {
        static final String LABEL = "execsnoop (libbpf-tools)";
        private static final Pattern LOST = Pattern.compile("^Lost (\\d+) events on CPU");

        @Override
        public String label() {
            return LABEL;
        }

        @Override
        public List<String> command() {
            return List.of("/usr/sbin/execsnoop");
        }

        @Override
        public List<String> lineBufferedCommand() {
            return List.of("stdbuf", "-oL", "/usr/sbin/execsnoop");
        }

        @Override
        public long lost(String line) {
            return number(LOST, line);
        }
    }

    /** A bpftrace one-liner on execve printing pid, file name and first argument; it flushes every line. */
    record Bpftrace() implements Tracer {
        static final String LABEL = "bpftrace one-liner";
        static final String PROGRAM = "tracepoint:syscalls:sys_enter_execve { printf(\"%d %s %s\\n\", pid, "
                + "str(args->filename), str(args->argv[1])); }";
        private static final Pattern LOST = Pattern.compile("^Lost (\\d+) events");

        @Override
        public String label() {
            return LABEL;
        }

        @Override
        public List<String> command() {
            return List.of("bpftrace", "-e", PROGRAM);
        }

        @Override
        public List<String> lineBufferedCommand() {
            return command();
        }

        @Override
        public long lost(String line) {
            return number(LOST, line);
        }
    }

    private static long number(Pattern pattern, String line) {
        Matcher matcher = pattern.matcher(line);
        return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
    }
}
