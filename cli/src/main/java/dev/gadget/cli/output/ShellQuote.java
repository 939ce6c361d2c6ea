package dev.gadget.cli.output;

import dev.gadget.gadgets.model.Text;
import java.util.List;

/**
 * Joins a list of strings (argv) into one line a shell would split back into the same arguments:
 * plain words stay bare, others are single-quoted, and those with control characters or bytes that
 * are not UTF-8 use bash's $'...' (\xff), so the line stays one line and loses nothing.
 */
final class ShellQuote {
    private ShellQuote() {
    }

    static String join(List<String> args) {
        StringBuilder line = new StringBuilder();
        for (String arg : args) {
            if (!line.isEmpty()) {
                line.append(' ');
            }
            quote(arg, line);
        }
        return line.toString();
    }

    static void quote(String arg, StringBuilder out) {
        if (!arg.isEmpty() && arg.codePoints().allMatch(ShellQuote::isPlain)) {
            out.append(arg);
        } else if (arg.codePoints().anyMatch(c -> Character.isISOControl(c) || Text.isEscapedByte(c))) {
            out.append("$'");
            arg.codePoints().forEach(c -> escape(c, out));
            out.append('\'');
        } else {
            out.append('\'').append(arg.replace("'", "'\\''")).append('\'');
        }
    }

    private static boolean isPlain(int c) {
        return c > ' ' && c != 0x7f && !Text.isEscapedByte(c) && "'\"\\$`!*?[]{}()<>|&;#~".indexOf(c) < 0;
    }

    private static void escape(int c, StringBuilder out) {
        switch (c) {
            case '\n' -> out.append("\\n");
            case '\t' -> out.append("\\t");
            case '\r' -> out.append("\\r");
            case '\\' -> out.append("\\\\");
            case '\'' -> out.append("\\'");
            default -> {
                if (Text.isEscapedByte(c)) {
                    out.append(String.format("\\x%02x", c - 0xDC00));
                } else if (Character.isISOControl(c)) {
                    out.append(String.format("\\x%02x", c));
                } else {
                    out.appendCodePoint(c);
                }
            }
        }
    }
}
