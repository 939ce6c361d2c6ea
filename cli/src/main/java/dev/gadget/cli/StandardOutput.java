package dev.gadget.cli;

import dev.gadget.cli.output.Utf8Writer;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Standard output as the commands write it, and what became of it: a PrintWriter hides write errors,
 * so the first one is kept here to be told apart: a reader that went away (| head: a normal end) from
 * a real failure (a full disk: an error). A pipe whose reader is gone is also noticed without writing,
 * so a trace that prints nothing does not run on forever for nobody; that is looked at once a second,
 * as a reader that goes away is not worth a system call for each of a trace's reads.
 */
public final class StandardOutput implements Output {
    private static final short POLLERR = 0x008;
    private static final MethodHandle POLL = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("poll").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final MemoryLayout POLLFD = MemoryLayout.structLayout(ValueLayout.JAVA_INT.withName("fd"),
            ValueLayout.JAVA_SHORT.withName("events"), ValueLayout.JAVA_SHORT.withName("revents"));

    private static final long READER_CHECK_NANOS = 1_000_000_000L;

    private final PrintWriter writer;
    private volatile IOException failure;
    /** poll()'s argument, made once: {@link #gone} is asked in every round of a trace's reading loop. */
    private final MemorySegment pollfd = Arena.ofAuto().allocate(POLLFD);
    private long nextReaderCheck = System.nanoTime();
    private boolean readerWentAway;

    public StandardOutput() {
        OutputStream watched = new OutputStream() {
            private final FileOutputStream out = new FileOutputStream(FileDescriptor.out);

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                try {
                    out.write(bytes, offset, length);
                } catch (IOException e) {
                    if (failure == null) {
                        failure = e;
                    }
                    throw e;
                }
            }
        };
        writer = new PrintWriter(new Utf8Writer(watched, 1 << 16));
    }

    @Override
    public PrintWriter writer() {
        return writer;
    }

    /** A failed write is known at once (every write goes through {@code watched}), a reader gone within a second. */
    @Override
    public synchronized boolean gone() {
        if (failure != null) {
            return true;
        }
        long now = System.nanoTime();
        if (!readerWentAway && now - nextReaderCheck >= 0) {
            readerWentAway = readerGone();
            nextReaderCheck = now + READER_CHECK_NANOS;
        }
        return readerWentAway;
    }

    @Override
    public synchronized String failure() {
        IOException e = failure;
        if (e == null || readerGone() || String.valueOf(e.getMessage()).contains("Broken pipe")) {
            return null;
        }
        return "writing to standard output: " + e.getMessage() + " — free space where the output goes, or send it"
                + " elsewhere";
    }

    /** A pipe or socket on fd 1 whose reading end is closed: poll reports POLLERR without a write. */
    private boolean readerGone() {
        pollfd.set(ValueLayout.JAVA_INT, 0, 1);
        pollfd.set(ValueLayout.JAVA_SHORT, 4, (short) 0);
        pollfd.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
        try {
            int ready = (int) POLL.invokeExact(pollfd, 1L, 0);
            return ready > 0 && (pollfd.get(ValueLayout.JAVA_SHORT, 6) & POLLERR) != 0;
        } catch (Throwable e) {
            throw new IllegalStateException("polling standard output", e);
        }
    }
}
