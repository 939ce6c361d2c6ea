package dev.gadget.bpf;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/** The few libc functions the binding needs around libbpf: memory maps, epoll, clocks, mounts, syscall(2). */
final class LibC {
    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int MAP_SHARED = 1;
    static final int EPOLL_CLOEXEC = 0x80000;
    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLLIN = 1;
    static final int EPOLLET = 1 << 31;
    static final int EFD_CLOEXEC = 0x80000;
    static final int EFD_NONBLOCK = 0x800;
    static final int SC_PAGESIZE = 30;
    static final int CLOCK_REALTIME = 0;
    static final int CLOCK_BOOTTIME = 7;
    static final int O_RDONLY = 0;
    static final int O_CLOEXEC = 0x80000;

    private LibC() {
    }

    static void register() {
        Native.register(LibC.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    static native Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset);

    static native int munmap(Pointer addr, long length);

    static native int epoll_create1(int flags);

    static native int epoll_ctl(int epfd, int op, int fd, Pointer event);

    static native int epoll_wait(int epfd, Pointer events, int maxEvents, int timeoutMillis);

    static native int eventfd(int initval, int flags);

    static native long read(int fd, Pointer buf, long count);

    static native long write(int fd, Pointer buf, long count);

    static native int close(int fd);

    static native long sysconf(int name);

    static native int clock_gettime(int clock, long[] timespec);

    static native int geteuid();

    static native int mount(String source, String target, String type, long flags, Pointer data);

    static native int vsnprintf(Pointer buf, long size, Pointer format, Pointer args);

    /** syscall(2) with five arguments (perf_event_open has no libc wrapper); -1 and errno on failure. */
    static native long syscall(long number, Pointer arg1, long arg2, long arg3, long arg4, long arg5);

    static int errno() {
        return Native.getLastError();
    }

    /** MAP_FAILED is (void *) -1. */
    static boolean mapFailed(Pointer p) {
        return p == null || Pointer.nativeValue(p) == -1L;
    }
}
