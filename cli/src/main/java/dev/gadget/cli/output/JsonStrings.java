package dev.gadget.cli.output;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.gadget.gadgets.model.Text;
import java.io.IOException;
import java.util.Locale;

/**
 * Writes strings into JSON so that bytes that were not UTF-8 survive: their stand-ins (lone surrogates
 * U+DC80..U+DCFF, see {@link Text}) become JSON's escapes of those code points ("backslash u dcff" for
 * the byte 0xff), valid JSON a reader turns back into the same string. Jackson itself would write the
 * lone surrogate as a replacement character, so it writes plain text only.
 */
final class JsonStrings {
    private JsonStrings() {
    }

    static void write(String text, JsonGenerator out) throws IOException {
        if (Text.hasEscapedBytes(text)) {
            out.writeRawValue(quote(text));
        } else {
            out.writeString(text);
        }
    }

    /** The string as a JSON string literal, quotes included. */
    static String quote(String text) {
        StringBuilder json = new StringBuilder(text.length() + 16);
        append(text, json);
        return json.toString();
    }

    /**
     * Appends the string as a JSON string literal, quotes included, with the escapes Jackson writes
     * (short ones for quote, backslash, \b \t \n \f \r; backslash u for the other control characters)
     * and those of bytes that were not UTF-8. Other characters go as they are.
     */
    static void append(String text, StringBuilder json) {
        json.append('"');
        int length = text.length();
        int plain = 0;
        while (plain < length && isPlain(text.charAt(plain))) {
            plain++;
        }
        json.append(text, 0, plain);
        for (int i = plain; i < length; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\b' -> json.append("\\b");
                case '\t' -> json.append("\\t");
                case '\n' -> json.append("\\n");
                case '\f' -> json.append("\\f");
                case '\r' -> json.append("\\r");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                        json.append(c).append(text.charAt(++i)); // a pair: its low half is no byte's stand-in
                    } else if (c < 0x20 || Text.isEscapedByte(c)) {
                        json.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }

    /** A character that stands for itself in JSON and starts no surrogate pair. */
    private static boolean isPlain(char c) {
        return c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c);
    }
}
