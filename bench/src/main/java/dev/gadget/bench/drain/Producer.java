package dev.gadget.bench.drain;

import dev.gadget.bench.PinnedThread;
import dev.gadget.bpf.BpfObject;
import java.util.concurrent.Future;

/** Runs the programs of ring_producer.bpf.c, through BPF_PROG_TEST_RUN, on a thread pinned to the producer CPU. */
final class Producer {
    /** Records one run tries to submit: enough to make the system call negligible, short enough to stay preemptible often. */
    static final int BATCH = 4096;

    private final BpfObject object;
    private final PinnedThread thread;
    private volatile boolean stopping;
    private Future<Streamed> streaming;

    /**
     * @param offered records the producer tried to submit
     * @param submitted records that found room in the ring; the others were counted as lost
     */
    record Streamed(long offered, long submitted) {
    }

    Producer(BpfObject object, PinnedThread thread) {
        this.object = object;
        this.thread = thread;
    }

    static String program(int recordSize) {
        return "produce_" + recordSize;
    }

    /** Fills the ring: runs until a run finds it full (the rest of that run is counted as lost). Returns the records submitted. */
    long fill(int recordSize) {
        return thread.call(() -> {
            long submitted = 0;
            int last;
            do {
                last = object.testRun(program(recordSize));
                submitted += last;
            } while (last == BATCH);
            return submitted;
        });
    }

    /** Produces flat out until {@link #stopStreaming}: a full ring costs records, counted as lost. */
    void startStreaming(int recordSize) {
        stopping = false;
        streaming = thread.submit(() -> {
            long offered = 0;
            long submitted = 0;
            while (!stopping) {
                submitted += object.testRun(program(recordSize));
                offered += BATCH;
            }
            return new Streamed(offered, submitted);
        });
    }

    Streamed stopStreaming() {
        stopping = true;
        return PinnedThread.await(streaming);
    }
}
