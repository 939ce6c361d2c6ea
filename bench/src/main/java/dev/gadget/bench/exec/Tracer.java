package dev.gadget.bench.exec;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An exec tracer the benchmark runs: its command, how to read its output, and how it reports losses. */
sealed interface Tracer permits Tracer.Gadget, Tracer.Execsnoop, Tracer.Bpftrace {

    /** One exec as a tracer printed it: {@code program} is the executable's file name. */
    record Exec(long pid, String program) {
    }

    String label();

    List<String> command();

    /** The exec a line of standard output shows, or null for other lines (headers, warnings). */
    Exec parse(String line);

    /** Events it says it lost, from one line of its standard output or error; 0 for other lines. */
    long lost(String line);

    /** gadget trace exec -o json, through the launcher of the checkout. */
    record Gadget(Path launcher) implements Tracer {
        static final String LABEL = "gadget trace exec -o json";
        private static final Pattern PID = Pattern.compile("\"pid\":(\\d+)");
        private static final Pattern COMM = Pattern.compile("\"comm\":\"([^\"]*)\"");
        private static final Pattern LOST = Pattern.compile("^warning: trace exec lost (\\d+) events");

        @Override
        public String label() {
            return LABEL;
        }

        @Override
        public List<String> command() {
            return List.of(launcher.toString(), "trace", "exec", "-o", "json");
        }

        @Override
        public Exec parse(String line) {
            Matcher pid = PID.matcher(line);
            Matcher comm = COMM.matcher(line);
            return pid.find() && comm.find() ? new Exec(Long.parseLong(pid.group(1)), comm.group(1)) : null;
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
        public Exec parse(String line) {
            String[] columns = line.split("\\s+");
            return columns.length >= 4 && columns[1].matches("\\d+")
                    ? new Exec(Long.parseLong(columns[1]), columns[0]) : null;
        }

        @Override
        public long lost(String line) {
            return number(LOST, line);
        }
    }

    /** A bpftrace one-liner on sched_process_exec printing pid and file name. */
    record Bpftrace() implements Tracer {
        static final String LABEL = "bpftrace one-liner";
        static final String PROGRAM = "tracepoint:sched:sched_process_exec { printf(\"%d %s\\n\", pid, "
                + "str(args->filename)); }";
        private static final Pattern EXEC = Pattern.compile("^(\\d+) (.*)$");
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
        public Exec parse(String line) {
            Matcher exec = EXEC.matcher(line);
            return exec.matches()
                    ? new Exec(Long.parseLong(exec.group(1)), Path.of(exec.group(2)).getFileName().toString()) : null;
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
