package dev.gadget.bpf;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reads a BPF ring buffer map from Java: the consumer page mapped read-write, the producer page and
 * the data pages (mapped twice) read-only, epoll on the map fd for wake-ups. See {@link RingConsumer}
 * for the record protocol. {@link #poll} and {@link #await} are for one consumer thread; {@link #wakeup}
 * and {@link #close} may come from any thread, and close waits for a running poll before unmapping.
 *
 * <p>The map fd is watched edge-triggered: a wait ends on the kernel's wake-ups only, not because records
 * are waiting. A reader may so pause while a batch gathers (records that do not wake it), and still be
 * woken by one that does (a producer's forced wake-up).
 */
public final class RingBuffer implements AutoCloseable {
    /** Records per poll at most, so a producer that never pauses cannot keep a poll from returning. */
    private static final int MAX_RECORDS_PER_POLL = 1 << 16;
    private static final int EPOLL_EVENT_SIZE = 12;
    private static final int EINTR = 4;
    private static final long WAKE_TOKEN = 1;

    private final String name;
    private final long pageSize;
    private final long size;
    private final Pointer consumerMapping;
    private final Pointer producerMapping;
    private final RingConsumer consumer;
    private final int epollFd;
    private final int wakeFd;
    private final Memory events = new Memory(2L * EPOLL_EVENT_SIZE);
    /** eventfd I/O: a wake-up writes one, the poll thread reads the count back into its own buffer. */
    private final Memory wakeValue = new Memory(8);
    private final Memory wakeCount = new Memory(8);
    private final ReentrantLock pollLock = new ReentrantLock();
    private final Object fdLock = new Object();
    private volatile boolean closed;
    private boolean released;

    private RingBuffer(String name, long pageSize, long size, Pointer consumerMapping, Pointer producerMapping,
            int epollFd, int wakeFd) {
        this.name = name;
        this.pageSize = pageSize;
        this.size = size;
        this.consumerMapping = consumerMapping;
        this.producerMapping = producerMapping;
        this.epollFd = epollFd;
        this.wakeFd = wakeFd;
        wakeValue.setLong(0, 1);
        long producer = Pointer.nativeValue(producerMapping);
        this.consumer = new RingConsumer(name,
                MemorySegment.ofAddress(Pointer.nativeValue(consumerMapping)).reinterpret(pageSize),
                MemorySegment.ofAddress(producer).reinterpret(pageSize),
                MemorySegment.ofAddress(producer + pageSize).reinterpret(2 * size),
                size);
    }

    static RingBuffer open(String name, int mapFd, int size) {
        long pageSize = LibC.sysconf(LibC.SC_PAGESIZE);
        Pointer consumerMapping = LibC.mmap(null, pageSize, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED,
                mapFd, 0);
        if (LibC.mapFailed(consumerMapping)) {
            throw BpfException.of("mapping the consumer page of ring buffer " + name, LibC.errno());
        }
        Pointer producerMapping = LibC.mmap(null, pageSize + 2L * size, LibC.PROT_READ, LibC.MAP_SHARED, mapFd,
                pageSize);
        if (LibC.mapFailed(producerMapping)) {
            int errno = LibC.errno();
            LibC.munmap(consumerMapping, pageSize);
            throw BpfException.of("mapping the data pages of ring buffer " + name, errno);
        }
        int epollFd = LibC.epoll_create1(LibC.EPOLL_CLOEXEC);
        int wakeFd = epollFd < 0 ? -1 : LibC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
        int errno = LibC.errno();
        if (wakeFd < 0 || !watch(epollFd, mapFd, LibC.EPOLLIN | LibC.EPOLLET, 0)
                || !watch(epollFd, wakeFd, LibC.EPOLLIN, WAKE_TOKEN)) {
            errno = LibC.errno();
            closeFd(wakeFd);
            closeFd(epollFd);
            LibC.munmap(producerMapping, pageSize + 2L * size);
            LibC.munmap(consumerMapping, pageSize);
            throw BpfException.of("setting up epoll for ring buffer " + name, errno);
        }
        return new RingBuffer(name, pageSize, size, consumerMapping, producerMapping, epollFd, wakeFd);
    }

    /**
     * Hands the available records to {@code handler}; if there are none, first waits up to
     * {@code timeoutMillis} for the kernel's wake-up or {@link #wakeup}. Returns the records handled;
     * 0 after close.
     */
    public int poll(int timeoutMillis, RecordHandler handler) {
        pollLock.lock();
        try {
            if (closed) {
                return 0;
            }
            int handled = consumer.drain(handler, MAX_RECORDS_PER_POLL);
            if (handled > 0) {
                return handled;
            }
            awaitLocked(timeoutMillis);
            return closed ? 0 : consumer.drain(handler, MAX_RECORDS_PER_POLL);
        } finally {
            pollLock.unlock();
        }
    }

    /**
     * Waits up to {@code timeoutMillis} for a wake-up (the kernel's, since the last one, or {@link #wakeup})
     * without reading. Returns whether one came; true after close.
     */
    public boolean await(int timeoutMillis) {
        pollLock.lock();
        try {
            return closed || awaitLocked(timeoutMillis);
        } finally {
            pollLock.unlock();
        }
    }

    private boolean awaitLocked(int timeoutMillis) {
        int ready = LibC.epoll_wait(epollFd, events, 2, timeoutMillis);
        if (ready < 0 && LibC.errno() != EINTR) {
            throw BpfException.of("waiting on ring buffer " + name, LibC.errno());
        }
        for (int i = 0; i < ready; i++) {
            if (events.getLong(i * (long) EPOLL_EVENT_SIZE + 4) == WAKE_TOKEN) {
                LibC.read(wakeFd, wakeCount, 8);
            }
        }
        return ready > 0;
    }

    /** Hands the available records to {@code handler} without waiting. */
    public int consume(RecordHandler handler) {
        pollLock.lock();
        try {
            return closed ? 0 : consumer.drain(handler, MAX_RECORDS_PER_POLL);
        } finally {
            pollLock.unlock();
        }
    }

    /** Makes a waiting {@link #poll} return now. */
    public void wakeup() {
        synchronized (fdLock) {
            if (!released) {
                LibC.write(wakeFd, wakeValue, 8);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        wakeup();
        pollLock.lock();
        try {
            synchronized (fdLock) {
                if (released) {
                    return;
                }
                released = true;
                LibC.munmap(producerMapping, pageSize + 2 * size);
                LibC.munmap(consumerMapping, pageSize);
                closeFd(epollFd);
                closeFd(wakeFd);
            }
        } finally {
            pollLock.unlock();
        }
    }

    private static boolean watch(int epollFd, int fd, int eventMask, long token) {
        try (Memory event = new Memory(EPOLL_EVENT_SIZE)) {
            event.setInt(0, eventMask);
            event.setLong(4, token);
            return LibC.epoll_ctl(epollFd, LibC.EPOLL_CTL_ADD, fd, event) == 0;
        }
    }

    private static void closeFd(int fd) {
        if (fd >= 0) {
            LibC.close(fd);
        }
    }
}
