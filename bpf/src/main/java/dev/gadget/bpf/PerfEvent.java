package dev.gadget.bpf;

import com.sun.jna.Memory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A perf event opened with perf_event_open(2), for a perf_event BPF program to attach to
 * ({@link BpfObject#attachPerfEvent}). It is the software cpu-clock, sampling at a frequency: it works
 * where hardware counters do not (most VMs). Closing it closes its file descriptor, unless attaching
 * handed that over to the link, which then closes it when destroyed.
 */
public final class PerfEvent implements AutoCloseable {
    /** PERF_ATTR_SIZE_VER7; every field past the ones set here is zero, which any kernel accepts. */
    private static final int ATTR_SIZE = 128;
    private static final int TYPE_SOFTWARE = 1;
    private static final long CONFIG_SW_CPU_CLOCK = 0;
    /** Off until attached: libbpf enables it once the program is on it, so no sample goes unseen. */
    private static final long FLAG_DISABLED = 1L;
    /** sample_freq rather than sample_period. */
    private static final long FLAG_FREQ = 1L << 10;
    private static final long PERF_FLAG_FD_CLOEXEC = 8;
    private static final int ATTR_TYPE = 0;
    private static final int ATTR_SIZE_FIELD = 4;
    private static final int ATTR_CONFIG = 8;
    private static final int ATTR_SAMPLE_FREQ = 16;
    private static final int ATTR_FLAGS = 40;
    private static final Path PARANOID = Path.of("/proc/sys/kernel/perf_event_paranoid");
    private static final Path MAX_SAMPLE_RATE = Path.of("/proc/sys/kernel/perf_event_max_sample_rate");

    private final String name;
    private int fd;

    private PerfEvent(String name, int fd) {
        this.name = name;
        this.fd = fd;
    }

    /**
     * The cpu-clock of one CPU, whatever runs there, sampled {@code frequency} times a second. A CPU that
     * is offline fails with ENODEV ({@link BpfException#errno()}).
     */
    public static PerfEvent cpuClockOfCpu(int cpu, long frequency) {
        return cpuClock("the cpu-clock perf event of CPU " + cpu, -1, cpu, frequency);
    }

    /**
     * The cpu-clock of one thread (0: the calling thread), on whichever CPU it runs, sampled
     * {@code frequency} times a second.
     */
    public static PerfEvent cpuClockOfThread(long tid, long frequency) {
        return cpuClock("the cpu-clock perf event of thread " + tid, tid, -1, frequency);
    }

    private static PerfEvent cpuClock(String name, long pid, int cpu, long frequency) {
        if (frequency <= 0) {
            throw new IllegalArgumentException("sampling frequency " + frequency + " Hz is not above 0");
        }
        Libbpf.register();
        long fd;
        try (Memory attr = new Memory(ATTR_SIZE)) {
            attr.clear();
            attr.setInt(ATTR_TYPE, TYPE_SOFTWARE);
            attr.setInt(ATTR_SIZE_FIELD, ATTR_SIZE);
            attr.setLong(ATTR_CONFIG, CONFIG_SW_CPU_CLOCK);
            attr.setLong(ATTR_SAMPLE_FREQ, frequency);
            attr.setLong(ATTR_FLAGS, FLAG_DISABLED | FLAG_FREQ);
            fd = LibC.syscall(perfEventOpenNumber(), attr, pid, cpu, -1, PERF_FLAG_FD_CLOEXEC);
        }
        if (fd < 0) {
            int errno = LibC.errno();
            throw new BpfException("opening " + name + " at " + frequency + " Hz", errno, fixFor(errno, frequency));
        }
        return new PerfEvent(name, (int) fd);
    }

    public String name() {
        return name;
    }

    /** The file descriptor, for attaching; an error once closed or handed over. */
    synchronized int fd() {
        if (fd < 0) {
            throw new IllegalStateException(name + " is closed or belongs to a link already");
        }
        return fd;
    }

    /** The link took the file descriptor over (libbpf's perf link closes it when destroyed). */
    synchronized void handOver() {
        fd = -1;
    }

    @Override
    public synchronized void close() {
        if (fd >= 0) {
            LibC.close(fd);
            fd = -1;
        }
    }

    private static long perfEventOpenNumber() {
        return switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> 298;
            case "aarch64" -> 241;
            default -> throw new BpfException("opening a perf event: no perf_event_open syscall number known for "
                    + System.getProperty("os.arch") + " — run on x86-64 or arm64");
        };
    }

    private static String fixFor(int errno, long frequency) {
        return switch (errno) {
            case Errno.EACCES, Errno.EPERM -> LibC.geteuid() != 0
                    ? "run as root: sampling every process needs CAP_PERFMON (or CAP_SYS_ADMIN), or"
                            + " kernel.perf_event_paranoid at -1 (it is " + sysctl(PARANOID) + ")"
                    : "refused even to root: kernel lockdown or a security module (SELinux, AppArmor) forbids perf events";
            case Errno.EINVAL -> {
                String max = sysctl(MAX_SAMPLE_RATE);
                yield max.matches("\\d+") && frequency > Long.parseLong(max)
                        ? "above kernel.perf_event_max_sample_rate (" + max + " Hz): sample less often"
                        : "the kernel rejected the event's attributes";
            }
            case Errno.ENODEV -> "the CPU is offline";
            case Errno.ESRCH -> "no such thread";
            case Errno.ENOENT, Errno.EOPNOTSUPP -> "this kernel has no software cpu-clock event (CONFIG_PERF_EVENTS)";
            case Errno.EMFILE -> "this process may open no more files (a perf event per CPU): raise the open-files"
                    + " limit (ulimit -n; for a pod, the container runtime's LimitNOFILE)";
            default -> "perf_event_open failed";
        };
    }

    /** A sysctl's value; read through a buffer, as sysctl files give only a first read its whole value. */
    private static String sysctl(Path file) {
        try {
            return Files.readAllLines(file).getFirst().strip();
        } catch (IOException | RuntimeException e) {
            return "unreadable";
        }
    }
}
