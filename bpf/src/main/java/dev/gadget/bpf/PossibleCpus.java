package dev.gadget.bpf;

/** The number of possible CPUs: per-CPU map values have this many slots, CPU ids stay below it. */
public final class PossibleCpus {
    private static int count;

    private PossibleCpus() {
    }

    public static synchronized int count() {
        if (count == 0) {
            Libbpf.register();
            int n = Libbpf.libbpf_num_possible_cpus();
            if (n <= 0) {
                throw BpfException.of("reading /sys/devices/system/cpu/possible", n);
            }
            count = n;
        }
        return count;
    }
}
