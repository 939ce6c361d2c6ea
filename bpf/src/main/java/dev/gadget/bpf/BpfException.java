package dev.gadget.bpf;

import java.util.List;

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
        List<String> missing = Capabilities.missingForBpf();
        return switch (errno) {
            case Errno.EPERM, Errno.EACCES -> LibC.geteuid() != 0 && !missing.isEmpty()
                    ? "run as root: loading BPF needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN)"
                    : !missing.isEmpty()
                            ? "this process lacks " + String.join(" and ", missing) + ": loading BPF needs CAP_BPF and"
                                    + " CAP_PERFMON (or CAP_SYS_ADMIN); grant them (e.g. the container's"
                                    + " capabilities add list)"
                            : errno == Errno.EACCES
                                    ? "the kernel's verifier rejected a program: run with --verbose to see libbpf's log"
                                    : "refused although this process has CAP_BPF and CAP_PERFMON: check kernel lockdown"
                                            + " (/sys/kernel/security/lockdown) and that this program type is enabled";
            case Errno.EMFILE -> "this process may open no more files: raise the open-files limit (ulimit -n; for a"
                    + " pod, the container runtime's LimitNOFILE), at least 1024";
            case Errno.ENFILE -> "the system may open no more files: raise fs.file-max or close files";
            case Errno.EINVAL, Errno.E2BIG, Errno.ENOTSUPP ->
                    "the kernel rejected it: run with --verbose to see libbpf's log";
            case Errno.ENOMEM -> MemoryCgroup.describeLimit()
                    .map(limit -> "the kernel could not allocate the BPF maps, which count against this process's memory"
                            + " cgroup, " + limit + ": raise that limit (a pod's memory limit) or ask for smaller maps")
                    .orElse("the kernel could not allocate the BPF maps: free memory or ask for smaller maps");
            case Errno.ESRCH -> "kernel BTF not found: the kernel needs CONFIG_DEBUG_INFO_BTF (/sys/kernel/btf/vmlinux)";
            case Errno.ENOENT -> "not found in this kernel: run with --verbose to see libbpf's log";
            default -> "run with --verbose to see libbpf's log";
        };
    }
}
