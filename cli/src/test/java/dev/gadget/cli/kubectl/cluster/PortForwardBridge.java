package dev.gadget.cli.kubectl.cluster;

import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * One pods/portforward stream of the mock API server, as the API server and the kubelet serve it: a
 * WebSocket (subprotocol v4.channel.k8s.io) whose binary frames start with their channel byte, 0 for
 * the port's data and 1 for its errors; each channel's first frame carries the port (u16, little
 * endian). The kubelet's part, a TCP connection to 127.0.0.1:port inside the pod's network namespace,
 * is made here through {@link Netns}. A connection that fails is told on the error channel, as the
 * kubelet tells it; the stream closes when either side does.
 */
final class PortForwardBridge extends WebSocketListener {
    private static final byte DATA = 0;
    private static final byte ERROR = 1;
    private static final int CHUNK = 1 << 16;
    private static final byte[] END = new byte[0];

    private final String pod;
    private final String netns;
    private final int port;
    private final LinkedBlockingQueue<byte[]> toPod = new LinkedBlockingQueue<>();
    private volatile SocketChannel socket;
    private volatile boolean closed;

    PortForwardBridge(String pod, String netns, int port) {
        this.pod = pod;
        this.netns = netns;
        this.port = port;
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
        webSocket.send(portFrame(DATA));
        webSocket.send(portFrame(ERROR));
        Thread.ofPlatform().daemon().name("portforward-" + pod).start(() -> pump(webSocket));
    }

    @Override
    public void onMessage(WebSocket webSocket, byte[] bytes) {
        if (bytes.length > 1 && bytes[0] == DATA) {
            toPod.add(Arrays.copyOfRange(bytes, 1, bytes.length));
        }
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
        onMessage(webSocket, text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
        shut();
        webSocket.close(code, reason);
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
        shut();
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable error, Response response) {
        shut();
    }

    /** The kubelet's side: connect in the pod, then copy both ways until one side ends. */
    private void pump(WebSocket webSocket) {
        try {
            socket = Netns.connect(netns, port);
        } catch (IOException e) {
            webSocket.send(errorFrame("error forwarding port " + port + " to pod " + pod + ": failed to connect to"
                    + " localhost:" + port + " inside namespace /var/run/netns/" + netns + ": " + e.getMessage()));
            webSocket.close(1000, "");
            return;
        }
        if (closed) {
            shut();
            return;
        }
        Thread.ofPlatform().daemon().name("portforward-in-" + pod).start(this::writeToPod);
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK + 1);
        try {
            while (!closed) {
                buffer.clear();
                buffer.put(DATA);
                if (socket.read(buffer) < 0) {
                    break;
                }
                // Blocks until the frame is written to the client's connection: a client that does not
                // read holds this back, and so the daemon's writes, as TCP flow control does in a cluster.
                if (!webSocket.send(Arrays.copyOf(buffer.array(), buffer.position()))) {
                    break;
                }
            }
        } catch (IOException e) {
            // the pod's side or ours closed
        }
        shut();
        webSocket.close(1000, "");
    }

    private void writeToPod() {
        try {
            for (byte[] data = toPod.take(); data != END; data = toPod.take()) {
                ByteBuffer buffer = ByteBuffer.wrap(data);
                while (buffer.hasRemaining()) {
                    socket.write(buffer);
                }
            }
        } catch (IOException | InterruptedException e) {
            shut();
        }
    }

    private void shut() {
        closed = true;
        toPod.add(END);
        SocketChannel open = socket;
        if (open != null) {
            try {
                open.close();
            } catch (IOException ignored) {
                // closed already
            }
        }
    }

    private byte[] portFrame(byte channel) {
        return new byte[] {channel, (byte) (port & 0xff), (byte) (port >> 8)};
    }

    private static byte[] errorFrame(String message) {
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[text.length + 1];
        frame[0] = ERROR;
        System.arraycopy(text, 0, frame, 1, text.length);
        return frame;
    }
}
