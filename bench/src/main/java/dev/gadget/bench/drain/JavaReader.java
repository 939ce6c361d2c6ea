package dev.gadget.bench.drain;

import dev.gadget.bench.PinnedThread;
import dev.gadget.bpf.RecordHandler;
import dev.gadget.bpf.RingBuffer;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.Future;

/** gadget's own reader: the ring mmap'd and read from Java ({@link RingBuffer}), as every gadget reads it. */
final class JavaReader implements DrainConsumer {
    private static final int POLL_MILLIS = 100;

    private final RingBuffer ring;
    private final PinnedThread thread;
    private volatile boolean stopping;
    private Future<Tally> streaming;

    JavaReader(RingBuffer ring, PinnedThread thread) {
        this.ring = ring;
        this.thread = thread;
    }

    @Override
    public String label() {
        return "gadget Java reader";
    }

    @Override
    public void startStreaming() {
        stopping = false;
        streaming = thread.submit(() -> {
            Handler handler = new Handler();
            while (!stopping) {
                ring.poll(POLL_MILLIS, handler);
            }
            consumeAll(handler); // what the producer left
            return handler.check.sampled();
        });
    }

    @Override
    public Tally stopStreaming() {
        stopping = true;
        ring.wakeup();
        return PinnedThread.await(streaming);
    }

    @Override
    public Tally drainOnce() {
        return thread.call(() -> {
            Handler handler = new Handler();
            long start = System.nanoTime();
            consumeAll(handler);
            return handler.check.timed(System.nanoTime() - start);
        });
    }

    private void consumeAll(Handler handler) {
        int handled;
        do {
            handled = ring.consume(handler);
        } while (handled > 0);
    }

    @Override
    public void close() {
        // The ring belongs to the benchmark's object, the thread to the benchmark.
    }

    private static final class Handler implements RecordHandler {
        final SequenceCheck check = new SequenceCheck();

        @Override
        public void onRecord(MemorySegment data, long offset, int length) {
            check.accept(data.get(ValueLayout.JAVA_LONG_UNALIGNED, offset));
        }
    }
}
