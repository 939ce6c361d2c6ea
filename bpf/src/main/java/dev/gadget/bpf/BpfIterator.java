package dev.gadget.bpf;

import com.sun.jna.Memory;
import java.io.ByteArrayOutputStream;

/** An attached iter/ program: every read runs it over the kernel objects once and returns its output. */
public final class BpfIterator {
    private static final int CHUNK = 64 * 1024;
    private final String name;
    private final int linkFd;

    BpfIterator(String name, int linkFd) {
        this.name = name;
        this.linkFd = linkFd;
    }

    public byte[] read() {
        int fd = Libbpf.bpf_iter_create(linkFd);
        if (fd < 0) {
            throw BpfException.of("starting iterator " + name, fd);
        }
        try (Memory chunk = new Memory(CHUNK)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                long n = LibC.read(fd, chunk, CHUNK);
                if (n < 0) {
                    throw BpfException.of("reading iterator " + name, LibC.errno());
                }
                if (n == 0) {
                    return out.toByteArray();
                }
                out.write(chunk.getByteArray(0, (int) n), 0, (int) n);
            }
        } finally {
            LibC.close(fd);
        }
    }
}
