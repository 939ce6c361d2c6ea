package dev.gadget.daemon;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A run started over a bare socket, for what an HTTP client library hides: a client that stops
 * reading (its receive buffer made small before connecting, so the kernel holds little for it), and a
 * client that vanishes. Decodes the chunked stream itself when asked to read.
 */
final class RawStream implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private boolean finished;

    private RawStream(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    /** Sends POST /v1/runs with {@code body}; reads nothing yet. */
    static RawStream post(InetSocketAddress address, String body, int receiveBufferBytes) throws IOException {
        Socket socket = new Socket();
        if (receiveBufferBytes > 0) {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        socket.connect(address);
        byte[] json = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST /v1/runs HTTP/1.1\r\nHost: " + address.getAddress().getHostAddress() + ":" + address.getPort()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + json.length + "\r\n\r\n";
        socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().write(json);
        socket.getOutputStream().flush();
        return new RawStream(socket);
    }

    /** Reads the response head: it must be a 200 stream; returns its session id. */
    String readHead() throws IOException {
        String status = readLine();
        if (!status.startsWith("HTTP/1.1 200")) {
            throw new AssertionError("the run was refused: " + status);
        }
        String session = null;
        boolean chunked = false;
        for (String header; !(header = readLine()).isEmpty(); ) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("gadget-session:")) {
                session = header.substring(header.indexOf(':') + 1).strip();
            }
            chunked |= lower.startsWith("transfer-encoding:") && lower.contains("chunked");
        }
        if (session == null || !chunked) {
            throw new AssertionError("a stream without a session id or not chunked");
        }
        return session;
    }

    /** The next line of the stream (heartbeats are empty lines), or null once the stream has ended. */
    String nextLine() throws IOException {
        while (true) {
            byte[] buffered = pending.toByteArray();
            for (int i = 0; i < buffered.length; i++) {
                if (buffered[i] == '\n') {
                    pending.reset();
                    pending.write(buffered, i + 1, buffered.length - i - 1);
                    return new String(buffered, 0, i, StandardCharsets.UTF_8);
                }
            }
            if (finished) {
                return null;
            }
            int size = Integer.parseInt(readLine().strip(), 16);
            if (size == 0) {
                readLine();
                finished = true;
                continue;
            }
            pending.write(in.readNBytes(size));
            readLine();
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new IOException("the daemon closed the connection");
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.US_ASCII);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    /** The client vanishes: its socket closes, whatever the daemon sent it unread. */
    @Override
    public void close() throws IOException {
        socket.close();
    }
}
