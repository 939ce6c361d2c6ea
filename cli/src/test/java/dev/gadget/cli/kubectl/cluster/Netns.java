package dev.gadget.cli.kubectl.cluster;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Connections made inside a network namespace of ip netns (/var/run/netns/NAME), as the kubelet
 * connects to a port of a pod: a thread of its own enters the namespace (setns, which moves only the
 * calling thread), opens the socket there, and ends; the socket stays in that namespace whoever uses it.
 */
public final class Netns {
    private static final int O_RDONLY_CLOEXEC = 0x80000;
    private static final int CLONE_NEWNET = 0x40000000;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO_VALUE = STATE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle OPEN = libc("open", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
            ValueLayout.JAVA_INT));
    private static final MethodHandle SETNS = libc("setns", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(LINKER.defaultLookup().find("close").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private Netns() {
    }

    /** A TCP connection to 127.0.0.1:{@code port} inside namespace {@code name}. */
    public static SocketChannel connect(String name, int port) throws IOException {
        CompletableFuture<SocketChannel> connected = new CompletableFuture<>();
        Thread.ofPlatform().name("netns-" + name).start(() -> {
            try {
                enter(name);
                connected.complete(SocketChannel.open(new InetSocketAddress("127.0.0.1", port)));
            } catch (IOException | RuntimeException e) {
                connected.completeExceptionally(e);
            }
        });
        try {
            return connected.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting in netns " + name, e);
        }
    }

    /** Moves the calling thread into the network namespace; for a thread that ends soon after. */
    private static void enter(String name) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(STATE);
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom("/var/run/netns/" + name), O_RDONLY_CLOEXEC);
            if (fd < 0) {
                throw new IOException("opening /var/run/netns/" + name + ": errno " + (int) ERRNO_VALUE.get(state, 0L));
            }
            int result = (int) SETNS.invokeExact(state, fd, CLONE_NEWNET);
            int errno = (int) ERRNO_VALUE.get(state, 0L);
            int ignored = (int) CLOSE.invokeExact(fd);
            if (result != 0) {
                throw new IOException("setns into netns " + name + ": errno " + errno);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("calling libc for netns " + name, e);
        }
    }

    private static MethodHandle libc(String function, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(function).orElseThrow(), descriptor, ERRNO);
    }
}
