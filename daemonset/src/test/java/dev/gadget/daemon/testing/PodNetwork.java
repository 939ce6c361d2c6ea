package dev.gadget.daemon.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

/**
 * A pod's network namespace, as the kubelet's sandbox gives each pod (made with {@code ip netns add},
 * only loopback up): what listens on 127.0.0.1 in it is reachable from inside it only. Tests get in
 * the way the API server's pods/portforward does: a socket opened from inside the namespace, by a
 * thread of this JVM that joined it (setns(2) moves only the calling thread), or a local port that
 * forwards each connection to one.
 */
public final class PodNetwork implements AutoCloseable {
    private static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY_CLOEXEC = 0x80000;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle OPEN = libc("open", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
            ValueLayout.JAVA_INT));
    private static final MethodHandle SETNS = libc("setns", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE = libc("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private final String name;
    private final List<PortForward> forwards = new CopyOnWriteArrayList<>();

    private PodNetwork(String name) {
        this.name = name;
    }

    /** Makes the namespace {@code name} (/var/run/netns/NAME) with loopback up. */
    public static PodNetwork create(String name) throws IOException, InterruptedException {
        Commands.run("ip", "netns", "add", name);
        PodNetwork network = new PodNetwork(name);
        try {
            Commands.run("ip", "-n", name, "link", "set", "lo", "up");
            return network;
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            network.close();
            throw e;
        }
    }

    public String name() {
        return name;
    }

    /** The namespace's file, as a container joins it ({@code ctr run --with-ns network:PATH}). */
    public Path path() {
        return Path.of("/var/run/netns", name);
    }

    /**
     * A socket connected, from inside the namespace, to 127.0.0.1:{@code port} there: made by a new
     * thread that joins the namespace first (a socket belongs to the namespace it was made in, whichever
     * thread uses it later).
     */
    public Socket connect(int port) throws IOException {
        CompletableFuture<Socket> socket = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("netns-" + name).start(() -> {
            try {
                join(path());
                socket.complete(new Socket(InetAddress.getLoopbackAddress(), port));
            } catch (IOException | RuntimeException e) {
                socket.completeExceptionally(e);
            }
        });
        try {
            return socket.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("connecting inside netns " + name, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted connecting inside netns " + name, e);
        }
    }

    /**
     * A port on this JVM's loopback that forwards each connection to 127.0.0.1:{@code port} inside the
     * namespace, byte for byte both ways, as kubectl port-forward does; closed with this network.
     */
    public PortForward forward(int port) throws IOException {
        PortForward forward = new PortForward(port);
        forwards.add(forward);
        return forward;
    }

    /** A local port forwarded into the namespace; close it to stop accepting (open connections go on). */
    public final class PortForward implements AutoCloseable {
        private final ServerSocket server;
        private final int port;

        private PortForward(int port) throws IOException {
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            this.port = port;
            Thread.ofPlatform().daemon().name("forward-" + name + "-" + port).start(this::accept);
        }

        /** Where to connect on this side. */
        public InetSocketAddress address() {
            return (InetSocketAddress) server.getLocalSocketAddress();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket outside = server.accept();
                    Socket pod;
                    try {
                        pod = connect(port);
                    } catch (IOException refused) {
                        outside.close();
                        continue;
                    }
                    pump(outside, pod);
                    pump(pod, outside);
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private void pump(Socket from, Socket to) {
            Thread.ofPlatform().daemon().name("pump-" + name).start(() -> {
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    byte[] buffer = new byte[1 << 16];
                    for (int n; (n = in.read(buffer)) >= 0; ) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                } catch (IOException gone) {
                    // one side went away: the other learns it from the close below
                } finally {
                    closeQuietly(from);
                    closeQuietly(to);
                }
            });
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    /** Deletes the namespace (what still runs in it keeps it alive until it ends). */
    @Override
    public void close() throws IOException, InterruptedException {
        for (PortForward forward : forwards) {
            forward.close();
        }
        if (Files.exists(path())) {
            Commands.run("ip", "netns", "delete", name);
        }
    }

    private static void join(Path netns) {
        try (Arena arena = Arena.ofConfined()) {
            int fd = (int) OPEN.invokeExact(arena.allocateFrom(netns.toString()), O_RDONLY_CLOEXEC);
            if (fd < 0) {
                throw new UncheckedIOException(new IOException("opening " + netns + " failed"));
            }
            int joined = (int) SETNS.invokeExact(fd, CLONE_NEWNET);
            int ignored = (int) CLOSE.invokeExact(fd);
            if (joined != 0) {
                throw new IllegalStateException("setns(" + netns + ", CLONE_NEWNET) failed: run the tests as root");
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("joining " + netns, e);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all that was left to do
        }
    }

    private static MethodHandle libc(String function, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(function).orElseThrow(), descriptor);
    }
}
