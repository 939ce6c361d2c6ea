package dev.gadget.gadgets.containers;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Opens a cgroup by its id: a cgroup v2 id is also a kernfs file handle (FILEID_KERNFS), so
 * open_by_handle_at finds the directory even when nothing else names it for us.
 */
final class FileHandles {
    private static final int O_RDONLY = 0;
    private static final int O_DIRECTORY = 0x10000;
    private static final int O_PATH = 0x200000;
    private static final int O_CLOEXEC = 0x80000;
    private static final int FILEID_KERNFS = 0xfe;

    static {
        Native.register(FileHandles.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private FileHandles() {
    }

    private static native int open(String path, int flags);

    private static native int open_by_handle_at(int mountFd, Memory handle, int flags);

    private static native int close(int fd);

    /** An fd on a directory of the file system to open handles in; the caller closes it. */
    static int openMount(Path mount) throws IOException {
        int fd = open(mount.toString(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) {
            throw new IOException("opening " + mount + ": errno " + Native.getLastError());
        }
        return fd;
    }

    static void closeMount(int fd) {
        close(fd);
    }

    /** The path (as seen from this process) of the cgroup with this id, if it still exists. */
    static Optional<Path> cgroupPath(int mountFd, long cgroupId) {
        try (Memory handle = new Memory(16)) {
            handle.setInt(0, 8);                 // handle_bytes
            handle.setInt(4, FILEID_KERNFS);     // handle_type
            handle.setLong(8, cgroupId);         // f_handle: the kernfs node id
            int fd = open_by_handle_at(mountFd, handle, O_PATH | O_DIRECTORY | O_CLOEXEC);
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
    }
}
