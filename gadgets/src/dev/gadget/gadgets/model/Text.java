package dev.gadget.gadgets.model;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Text the kernel hands over is bytes, usually but not always UTF-8 (an argument can be any bytes
 * but NUL). Strings keep every byte: valid UTF-8 decodes as usual, and each byte that is not part of
 * valid UTF-8 becomes the lone surrogate U+DC80 + byte (U+DCFF for 0xFF), as Python's surrogateescape
 * does. No valid text contains a lone surrogate, so {@link #encode} gives the exact bytes back, and
 * printers can show such bytes as what they are (\xff) instead of a replacement character.
 */
public final class Text {
    private static final char ESCAPE_BASE = 0xDC00;

    private Text() {
    }

    /** The bytes as a string, losing none. */
    public static String decode(byte[] bytes, int offset, int length) {
        int end = offset + length;
        int i = offset;
        while (i < end && bytes[i] >= 0) {
            i++;
        }
        if (i == end) {
            return new String(bytes, offset, length, StandardCharsets.ISO_8859_1); // all ASCII
        }
        StringBuilder text = new StringBuilder(length);
        text.append(new String(bytes, offset, i - offset, StandardCharsets.ISO_8859_1));
        while (i < end) {
            int b = bytes[i] & 0xff;
            if (b < 0x80) {
                text.append((char) b);
                i++;
                continue;
            }
            int size = b > 0xf4 ? 0 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 ? 2 : 0;
            int codePoint = size == 0 || i + size > end ? -1 : sequence(bytes, i, size);
            if (codePoint < 0) {
                text.append((char) (ESCAPE_BASE + b));
                i++;
            } else {
                text.appendCodePoint(codePoint);
                i += size;
            }
        }
        return text.toString();
    }

    public static String decode(byte[] bytes) {
        return decode(bytes, 0, bytes.length);
    }

    /** The bytes a decoded string came from. */
    public static byte[] encode(String text) {
        if (!hasEscapedBytes(text)) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length() + 8);
        text.codePoints().forEach(c -> {
            if (isEscapedByte(c)) {
                bytes.write(c - ESCAPE_BASE);
            } else {
                bytes.writeBytes(Character.toString(c).getBytes(StandardCharsets.UTF_8));
            }
        });
        return bytes.toByteArray();
    }

    /**
     * Whether a code point (not a char: the low half of a valid surrogate pair can fall in the same
     * range) stands for a byte that was not UTF-8, and which one: c - 0xDC00.
     */
    public static boolean isEscapedByte(int codePoint) {
        return codePoint >= 0xDC80 && codePoint <= 0xDCFF;
    }

    /** Whether the string holds any byte that was not UTF-8; cheap for the usual case, plain text. */
    public static boolean hasEscapedBytes(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0xDC80 && c <= 0xDCFF && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)))) {
                return true;
            }
        }
        return false;
    }

    /** The code point of a well-formed sequence (no overlong form, no surrogate, at most U+10FFFF), or -1. */
    private static int sequence(byte[] bytes, int at, int size) {
        int b0 = bytes[at] & 0xff;
        int codePoint = b0 & (0xff >> (size + 1));
        for (int k = 1; k < size; k++) {
            int b = bytes[at + k] & 0xff;
            if ((b & 0xc0) != 0x80) {
                return -1;
            }
            codePoint = (codePoint << 6) | (b & 0x3f);
        }
        int least = size == 2 ? 0x80 : size == 3 ? 0x800 : 0x10000;
        if (codePoint < least || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF)) {
            return -1;
        }
        return codePoint;
    }
}
