package dev.gadget.gadgets.testing;

import dev.gadget.bpf.BpfInventory;
import dev.gadget.bpf.HeldBpf;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntPredicate;

/**
 * Watches what BPF programs, links and maps a process holds (its descriptors, asked of the kernel)
 * for as long as it lives, then tells whether each is gone from the kernel: the proof that a process
 * killed at any moment leaves nothing of its BPF behind. Ids count up in the kernel, so one that no
 * longer exists was not replaced by another's.
 */
public final class BpfLeakCheck implements AutoCloseable {
    private static final long SAMPLE_NANOS = 2_000_000;
    /** The kernel frees programs after an RCU grace period; a few seconds is plenty, even on a busy machine. */
    private static final long PATIENCE_NANOS = 20_000_000_000L;

    private final Path process;
    private final Set<Integer> programs = new HashSet<>();
    private final Set<Integer> links = new HashSet<>();
    private final Set<Integer> maps = new HashSet<>();
    private final Thread sampler;
    private volatile boolean closed;

    private BpfLeakCheck(long pid) {
        this.process = Path.of("/proc", String.valueOf(pid));
        this.sampler = Thread.ofPlatform().daemon().name("bpf-leak-check-" + pid).start(this::sample);
    }

    /** Starts watching the process {@code pid} on a thread of its own. */
    public static BpfLeakCheck watch(long pid) {
        return new BpfLeakCheck(pid);
    }

    private void sample() {
        while (!closed) {
            HeldBpf held;
            try {
                held = HeldBpf.of(process);
            } catch (IllegalStateException gone) {
                return;
            }
            synchronized (this) {
                programs.addAll(held.programs());
                links.addAll(held.links());
                maps.addAll(held.maps());
            }
            LockSupport.parkNanos(SAMPLE_NANOS);
        }
    }

    /** Everything it was seen holding. */
    public synchronized HeldBpf seen() {
        return new HeldBpf(Set.copyOf(programs), Set.copyOf(links), Set.copyOf(maps));
    }

    /**
     * Once the process has ended (or let go of them): waits for each object it was seen holding to be
     * gone from the kernel, and fails naming those that stay.
     */
    public HeldBpf assertAllReleased() throws InterruptedException {
        close();
        HeldBpf seen = seen();
        long giveUp = System.nanoTime() + PATIENCE_NANOS;
        Set<String> left;
        do {
            left = new TreeSet<>();
            left.addAll(existing("program", seen.programs(), BpfInventory::programExists));
            left.addAll(existing("link", seen.links(), BpfInventory::linkExists));
            left.addAll(existing("map", seen.maps(), BpfInventory::mapExists));
            if (left.isEmpty()) {
                return seen;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < giveUp);
        throw new AssertionError("still in the kernel after " + process + " let go: " + left);
    }

    private static Set<String> existing(String kind, Set<Integer> ids, IntPredicate exists) {
        Set<String> left = new TreeSet<>();
        for (int id : ids) {
            if (exists.test(id)) {
                left.add(kind + " " + id);
            }
        }
        return left;
    }

    /** Stops watching (what was seen stays). */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        sampler.join();
    }
}
