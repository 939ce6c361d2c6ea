package dev.gadget.cli.kubectl;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 exchange over a {@link PodConnection}: the request, then the status, headers and body
 * of the answer. Only what the daemon's server sends is understood: a body of a stated length, or
 * chunked (a run's stream), or one that ends with the connection.
 */
final class DaemonHttp {
    /** Longer than any status line or header the daemon sends. */
    private static final int MAX_LINE = 8192;

    /** The answer; {@code body} reads the body alone (chunks decoded), then ends. */
    record Response(int status, Map<String, String> headers, InputStream body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        byte[] bodyBytes() throws IOException {
            return body.readAllBytes();
        }
    }

    private DaemonHttp() {
    }

    /** Sends the request ({@code body} null: none) and reads the answer's status and headers. */
    static Response exchange(PodConnection connection, String method, String path, byte[] body) throws IOException {
        StringBuilder head = new StringBuilder(256).append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: localhost\r\nConnection: close\r\nUser-Agent: kubectl-gadget\r\n");
        if (body != null) {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        OutputStream out = connection.out();
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            out.write(body);
        }
        out.flush();
        out.close(); // the request is whole: the port-forward's sender stops, the stream stays open for the answer
        return read(new BufferedInputStream(connection.in(), 1 << 16));
    }

    static Response read(InputStream in) throws IOException {
        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("\\d{3}")) {
            throw new IOException("not an HTTP answer: '" + statusLine + "'");
        }
        Map<String, String> headers = new HashMap<>();
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
        }
        InputStream body;
        String length = headers.get("content-length");
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = new Chunked(in);
        } else if (length != null && length.matches("\\d{1,18}")) {
            body = new Bounded(in, Long.parseLong(length));
        } else {
            body = in;
        }
        return new Response(Integer.parseInt(parts[1]), Map.copyOf(headers), body);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the connection ended inside the answer's head");
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            if (line.size() >= MAX_LINE) {
                throw new IOException("a line of the answer's head is longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
    }

    /** A body of a known length. */
    private static final class Bounded extends InputStream {
        private final InputStream in;
        private long left;

        Bounded(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (left == 0) {
                return -1;
            }
            int n = in.read(buffer, offset, (int) Math.min(length, left));
            if (n < 0) {
                throw new EOFException("the connection ended " + left + " bytes before the end of the answer");
            }
            left -= n;
            return n;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(in.available(), left);
        }
    }

    /** Transfer-Encoding: chunked, decoded; ends at the last (empty) chunk. */
    private static final class Chunked extends InputStream {
        private final InputStream in;
        private long left;
        private boolean done;

        Chunked(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                String size = line(in);
                int extension = size.indexOf(';');
                String hex = (extension < 0 ? size : size.substring(0, extension)).strip();
                if (!hex.matches("[0-9a-fA-F]{1,15}")) {
                    throw new IOException("a chunk of the answer has no size: '" + size + "'");
                }
                left = Long.parseLong(hex, 16);
                if (left == 0) {
                    done = true;
                    while (!line(in).isEmpty()) {
                        // trailers: none are used
                    }
                    return -1;
                }
            }
            int n = in.read(buffer, offset, (int) Math.min(length, left));
            if (n < 0) {
                throw new EOFException("the connection ended inside a chunk of the answer");
            }
            left -= n;
            if (left == 0 && !line(in).isEmpty()) {
                throw new IOException("a chunk of the answer does not end where its size says");
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            return done ? 0 : (int) Math.min(in.available(), left);
        }
    }
}
