package dev.gadget.bench;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** One platform thread pinned to one CPU, running the tasks handed to it in turn. */
public final class PinnedThread implements AutoCloseable {
    private final ExecutorService executor;
    private final Thread thread;

    public PinnedThread(String name, int cpu) {
        executor = Executors.newSingleThreadExecutor(task -> Thread.ofPlatform().name(name).daemon().unstarted(task));
        thread = call(() -> {
            Affinity.pinCurrentThread(cpu);
            return Thread.currentThread();
        });
    }

    /** The thread itself, e.g. for a profiler to follow. */
    public Thread thread() {
        return thread;
    }

    public <T> Future<T> submit(Callable<T> task) {
        return executor.submit(task);
    }

    /** Runs {@code task} on the pinned thread and waits for its result; its exceptions are rethrown. */
    public <T> T call(Callable<T> task) {
        return await(submit(task));
    }

    public static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a pinned thread", e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
