package dev.gadget.cli.output;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;

/**
 * Characters encoded as UTF-8 straight into one byte buffer, written out when full or flushed: one
 * copy and one loop where a BufferedWriter over an OutputStreamWriter takes three layers, which a
 * trace flushing a few lines twenty times a second runs mostly cold. An unpaired surrogate becomes
 * '?', as Java's own encoder writes it. Not thread-safe; the PrintWriter over it locks.
 */
public final class Utf8Writer extends Writer {
    private final OutputStream out;
    private final byte[] buffer;
    /** A string's characters on their way into {@link #buffer}, a piece at a time. */
    private final char[] scratch = new char[1024];
    private int count;
    /** A high surrogate at the end of one write, waiting for its low half in the next. */
    private char pendingHigh;

    public Utf8Writer(OutputStream out, int bufferBytes) {
        if (bufferBytes < 8) {
            throw new IllegalArgumentException("a buffer of at least 8 bytes is needed, not " + bufferBytes);
        }
        this.out = out;
        this.buffer = new byte[bufferBytes];
    }

    @Override
    public void write(int c) throws IOException {
        put((char) c);
    }

    @Override
    public void write(char[] chars, int offset, int length) throws IOException {
        int at = offset;
        int end = offset + length;
        while (at < end) {
            if (pendingHigh == 0) {
                // The common case, a run of ASCII, in one tight loop.
                int stop = Math.min(end, at + buffer.length - count);
                int n = count;
                while (at < stop && chars[at] < 0x80) {
                    buffer[n++] = (byte) chars[at++];
                }
                count = n;
                if (at == end) {
                    return;
                }
            }
            put(chars[at++]);
        }
    }

    @Override
    public void write(String text, int offset, int length) throws IOException {
        int at = offset;
        int end = offset + length;
        while (at < end) {
            int piece = Math.min(end - at, scratch.length);
            text.getChars(at, at + piece, scratch, 0);
            write(scratch, 0, piece);
            at += piece;
        }
    }

    private void put(char c) throws IOException {
        if (buffer.length - count < 4) {
            drain();
        }
        if (pendingHigh != 0) {
            char high = pendingHigh;
            pendingHigh = 0;
            if (Character.isLowSurrogate(c)) {
                int codePoint = Character.toCodePoint(high, c);
                buffer[count++] = (byte) (0xf0 | codePoint >> 18);
                buffer[count++] = (byte) (0x80 | codePoint >> 12 & 0x3f);
                buffer[count++] = (byte) (0x80 | codePoint >> 6 & 0x3f);
                buffer[count++] = (byte) (0x80 | codePoint & 0x3f);
                return;
            }
            buffer[count++] = '?';
            put(c);
            return;
        }
        if (c < 0x80) {
            buffer[count++] = (byte) c;
        } else if (c < 0x800) {
            buffer[count++] = (byte) (0xc0 | c >> 6);
            buffer[count++] = (byte) (0x80 | c & 0x3f);
        } else if (Character.isHighSurrogate(c)) {
            pendingHigh = c;
        } else if (Character.isLowSurrogate(c)) {
            buffer[count++] = '?';
        } else {
            buffer[count++] = (byte) (0xe0 | c >> 12);
            buffer[count++] = (byte) (0x80 | c >> 6 & 0x3f);
            buffer[count++] = (byte) (0x80 | c & 0x3f);
        }
    }

    /** Writes out what is buffered; a high surrogate still waiting for its pair stays. */
    @Override
    public void flush() throws IOException {
        drain();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (pendingHigh != 0) {
            pendingHigh = 0;
            put('?');
        }
        flush();
        out.close();
    }

    private void drain() throws IOException {
        if (count > 0) {
            int length = count;
            count = 0; // a failed write drops the bytes: the failure is what the caller hears of, once
            out.write(buffer, 0, length);
        }
    }
}
