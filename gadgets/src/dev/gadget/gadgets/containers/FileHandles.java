package dev.gadget.gadgets.containers;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Opens a cgroup by its id: a cgroup v2 id is also a kernfs file handle (FILEID_KERNFS), so
 * open_by_handle_at finds the directory even when nothing else names it for us. Called through
 * java.lang.foreign: three libc calls need no JNA (and no native library unpacked anywhere).
 */
final class FileHandles {
    private static final int O_RDONLY = 0;
    private static final int O_DIRECTORY = 0x10000;
    private static final int O_PATH = 0x200000;
    private static final int O_CLOEXEC = 0x80000;
    private static final int FILEID_KERNFS = 0xfe;
    private static final StructLayout ERRNO = Linker.Option.captureStateLayout();
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final MethodHandle OPEN = libc("open", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT), CAPTURE_ERRNO);
    private static final int EPERM = 1;
    private static final MethodHandle OPEN_BY_HANDLE_AT = libc("open_by_handle_at", FunctionDescriptor.of(
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle CLOSE = libc("close", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT));

    private FileHandles() {
    }

    /** open_by_handle_at is not allowed here: it needs CAP_DAC_READ_SEARCH (and a seccomp profile that lets it through). */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused() {
            super("open_by_handle_at: EPERM", null, false, false);
        }
    }

    private static MethodHandle libc(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        Linker linker = Linker.nativeLinker();
        return linker.downcallHandle(linker.defaultLookup().find(name).orElseThrow(), descriptor, options);
    }

    /** An fd on a directory of the file system to open handles in; the caller closes it. */
    static int openMount(Path mount) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(ERRNO);
            int fd = (int) OPEN.invokeExact(errno, arena.allocateFrom(mount.toString()),
                    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (fd < 0) {
                throw new IOException("opening " + mount + ": errno " + errno(errno));
            }
            return fd;
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("calling open", e);
        }
    }

    static void closeMount(int fd) {
        close(fd);
    }

    /**
     * The path (as seen from this process) of the cgroup with this id, if it still exists.
     *
     * @throws Refused when this process may not open file handles at all
     */
    static Optional<Path> cgroupPath(int mountFd, long cgroupId) throws Refused {
        int fd;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(ERRNO);
            MemorySegment handle = arena.allocate(16);
            handle.set(ValueLayout.JAVA_INT, 0, 8);               // handle_bytes
            handle.set(ValueLayout.JAVA_INT, 4, FILEID_KERNFS);   // handle_type
            handle.set(ValueLayout.JAVA_LONG, 8, cgroupId);       // f_handle: the kernfs node id
            fd = (int) OPEN_BY_HANDLE_AT.invokeExact(errno, mountFd, handle, O_PATH | O_DIRECTORY | O_CLOEXEC);
            if (fd < 0 && errno(errno) == EPERM) {
                throw new Refused();
            }
        } catch (Refused | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("calling open_by_handle_at", e);
        }
        if (fd < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)));
        } catch (IOException e) {
            return Optional.empty();
        } finally {
            close(fd);
        }
    }

    private static int errno(MemorySegment state) {
        return state.get(ValueLayout.JAVA_INT, ERRNO.byteOffset(StructLayout.PathElement.groupElement("errno")));
    }

    private static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("calling close", e);
        }
    }
}
