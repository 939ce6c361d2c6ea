package dev.gadget.bpf;

/**
 * A failed BPF operation. The message is one line: the operation, the errno by name and what to do,
 * e.g. "loading trace_exec: EPERM — run as root: loading BPF needs CAP_BPF and CAP_PERFMON".
 */
public final class BpfException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    public BpfException(String message) {
        super(message);
        this.errno = 0;
    }

    public BpfException(String operation, int errno, String fix) {
        super(operation + ": " + Errno.name(errno) + " — " + fix);
        this.errno = Math.abs(errno);
    }

    /** The errno (positive) the kernel or libbpf reported, 0 when the failure had none. */
    public int errno() {
        return errno;
    }

    /** The usual fix for an errno from loading or attaching, when the caller knows nothing better. */
    static BpfException of(String operation, int errno) {
        return new BpfException(operation, errno, fixFor(Math.abs(errno)));
    }

    private static String fixFor(int errno) {
        return switch (errno) {
            case Errno.EPERM, Errno.EACCES -> LibC.geteuid() != 0
                    ? "run as root: loading BPF needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN)"
                    : errno == Errno.EACCES
                            ? "the kernel's verifier rejected a program: run with --verbose to see libbpf's log"
                            : "refused even to root: check kernel lockdown and that this program type is enabled";
            case Errno.EINVAL, Errno.E2BIG, Errno.ENOTSUPP ->
                    "the kernel rejected it: run with --verbose to see libbpf's log";
            case Errno.ENOMEM -> "not enough memory for BPF maps: free memory or use a smaller buffer";
            case Errno.ESRCH -> "kernel BTF not found: the kernel needs CONFIG_DEBUG_INFO_BTF (/sys/kernel/btf/vmlinux)";
            case Errno.ENOENT -> "not found in this kernel: run with --verbose to see libbpf's log";
            default -> "run with --verbose to see libbpf's log";
        };
    }
}
