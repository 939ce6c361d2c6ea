package dev.gadget.gadgets.trace.exec;

import java.util.List;

/**
 * Joins argv into one line a shell would split back into the same arguments: plain words stay bare,
 * others are single-quoted, and arguments with control characters use $'...' so the line stays one line.
 */
final class Argv {
    private static final String TRUNCATED = " …[truncated]";

    private Argv() {
    }

    static String join(List<String> args, boolean truncated) {
        StringBuilder line = new StringBuilder();
        for (String arg : args) {
            if (!line.isEmpty()) {
                line.append(' ');
            }
            quote(arg, line);
        }
        return truncated ? line.append(TRUNCATED).toString() : line.toString();
    }

    static void quote(String arg, StringBuilder out) {
        if (!arg.isEmpty() && arg.chars().allMatch(Argv::isPlain)) {
            out.append(arg);
        } else if (arg.chars().anyMatch(Character::isISOControl)) {
            out.append("$'");
            arg.codePoints().forEach(c -> escape(c, out));
            out.append('\'');
        } else {
            out.append('\'').append(arg.replace("'", "'\\''")).append('\'');
        }
    }

    private static boolean isPlain(int c) {
        return c > ' ' && c != 0x7f && "'\"\\$`!*?[]{}()<>|&;#~".indexOf(c) < 0;
    }

    private static void escape(int c, StringBuilder out) {
        switch (c) {
            case '\n' -> out.append("\\n");
            case '\t' -> out.append("\\t");
            case '\r' -> out.append("\\r");
            case '\\' -> out.append("\\\\");
            case '\'' -> out.append("\\'");
            default -> {
                if (Character.isISOControl(c)) {
                    out.append(String.format("\\x%02x", c));
                } else {
                    out.appendCodePoint(c);
                }
            }
        }
    }
}
