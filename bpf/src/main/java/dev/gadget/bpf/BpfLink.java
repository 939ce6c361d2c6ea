package dev.gadget.bpf;

import com.sun.jna.Pointer;

/** An attachment of a program to its hook; destroying it detaches the program. Idempotent. */
public final class BpfLink implements AutoCloseable {
    private final String program;
    private Pointer link;

    BpfLink(Pointer link, String program) {
        this.link = link;
        this.program = program;
    }

    @Override
    public synchronized void close() {
        if (link == null) {
            return;
        }
        Pointer destroyed = link;
        link = null;
        int rc = Libbpf.bpf_link__destroy(destroyed);
        if (rc < 0) {
            throw BpfException.of("detaching " + program, rc);
        }
    }
}
