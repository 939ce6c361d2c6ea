package dev.gadget.cli.output;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.gadget.gadgets.model.Text;
import java.io.IOException;
import java.util.Locale;

/**
 * Writes strings into JSON so that bytes that were not UTF-8 survive: their stand-ins (lone surrogates
 * U+DC80..U+DCFF, see {@link Text}) become JSON's escapes of those code points ("backslash u dcff" for
 * the byte 0xff), valid JSON a reader turns back into the same string. Jackson itself would write the
 * lone surrogate as a replacement character. Plain text takes Jackson's own fast path.
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
        StringBuilder json = new StringBuilder(text.length() + 16).append('"');
        text.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\t' -> json.append("\\t");
                case '\r' -> json.append("\\r");
                default -> {
                    if (c < 0x20 || Text.isEscapedByte(c)) {
                        json.append(String.format(Locale.ROOT, "\\u%04x", c));
                    } else {
                        json.appendCodePoint(c);
                    }
                }
            }
        });
        return json.append('"').toString();
    }
}
