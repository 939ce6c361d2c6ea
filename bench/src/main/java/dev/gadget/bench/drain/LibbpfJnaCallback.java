package dev.gadget.bench.drain;

import com.sun.jna.Callback;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import dev.gadget.bench.PinnedThread;
import dev.gadget.bpf.Errno;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.Future;

/**
 * libbpf's consumer driven from Java: ring_buffer__poll calling back into Java for every record, the
 * usual way to read a ring from a JVM, and the per-record cost gadget's reader avoids.
 */
final class LibbpfJnaCallback implements DrainConsumer {
    private static final int POLL_MILLIS = 100;
    private static final int EINTR = 4;
    /** All of memory, to read a record at the address libbpf passes. */
    private static final MemorySegment MEMORY = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    static {
        Native.register(LibbpfJnaCallback.class, NativeLibrary.getInstance("libbpf.so.1"));
    }

    /** ring_buffer_sample_fn: int (*)(void *ctx, void *data, size_t size); pointers as plain longs, the cheapest. */
    interface SampleFn extends Callback {
        int invoke(long context, long data, long size);
    }

    private static native Pointer ring_buffer__new(int mapFd, SampleFn sample, Pointer context, Pointer opts);

    private static native int ring_buffer__poll(Pointer ring, int timeoutMillis);

    private static native int ring_buffer__consume(Pointer ring);

    private static native void ring_buffer__free(Pointer ring);

    private final PinnedThread thread;
    private final Pointer ring;
    /** Referenced as long as libbpf may call it. */
    private final SampleFn callback;
    private SequenceCheck check = new SequenceCheck();
    private volatile boolean stopping;
    private Future<Tally> streaming;

    LibbpfJnaCallback(int mapFd, PinnedThread thread) {
        this.thread = thread;
        this.callback = (context, data, size) -> {
            check.accept(MEMORY.get(ValueLayout.JAVA_LONG_UNALIGNED, data));
            return 0;
        };
        this.ring = ring_buffer__new(mapFd, callback, null, null);
        if (ring == null) {
            throw new IllegalStateException("ring_buffer__new on map fd " + mapFd + ": "
                    + Errno.name(Native.getLastError()) + " — libbpf could not map the ring");
        }
    }

    @Override
    public String label() {
        return "libbpf + JNA callback";
    }

    @Override
    public void startStreaming() {
        stopping = false;
        streaming = thread.submit(() -> {
            check = new SequenceCheck();
            while (!stopping) {
                checked(ring_buffer__poll(ring, POLL_MILLIS), "ring_buffer__poll");
            }
            consumeAll(); // what the producer left
            return check.sampled();
        });
    }

    @Override
    public Tally stopStreaming() {
        stopping = true;
        return PinnedThread.await(streaming);
    }

    @Override
    public Tally drainOnce() {
        return thread.call(() -> {
            check = new SequenceCheck();
            long start = System.nanoTime();
            consumeAll();
            return check.timed(System.nanoTime() - start);
        });
    }

    private void consumeAll() {
        int handled;
        do {
            handled = checked(ring_buffer__consume(ring), "ring_buffer__consume");
        } while (handled > 0);
    }

    @Override
    public void close() {
        ring_buffer__free(ring);
    }

    private static int checked(int rc, String operation) {
        if (rc < 0 && rc != -EINTR) {
            throw new IllegalStateException(operation + ": " + Errno.name(rc) + " — the ring's epoll or map failed");
        }
        return rc;
    }
}
