package dev.gadget.cli.output;

import dev.gadget.bpf.Errno;
import dev.gadget.gadgets.model.FieldSpec;
import dev.gadget.gadgets.model.Text;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A value as a column shows it, by its field's type: errnos by name, timestamps as RFC 3339, argv
 * shell-quoted. Control characters and bytes that are not UTF-8 are escaped (\n, \x01, \xff) so every
 * row stays one line.
 */
final class ValueText {
    private ValueText() {
    }

    static String of(FieldSpec field, Object value) {
        if (value == null) {
            return "";
        }
        return switch (field.type()) {
            case INT -> String.valueOf(value);
            case UINT -> Long.toUnsignedString((Long) value);
            case STRING, ADDRESS -> escape((String) value);
            case STRING_LIST -> {
                @SuppressWarnings("unchecked")
                List<String> list = (List<String>) value;
                yield ShellQuote.join(list);
            }
            case BYTES -> HexFormat.of().formatHex((byte[]) value);
            case LABELS -> {
                @SuppressWarnings("unchecked")
                Map<String, String> labels = (Map<String, String>) value;
                StringBuilder text = new StringBuilder();
                labels.forEach((key, label) -> text.append(text.isEmpty() ? "" : ",").append(escape(key)).append('=')
                        .append(escape(label)));
                yield text.toString();
            }
            case BOOL -> String.valueOf(value);
            case TIMESTAMP -> timestamp((Long) value);
            case DURATION -> duration((Long) value);
            case ERRNO -> errno((Long) value);
        };
    }

    /** RFC 3339 in UTC with nanoseconds, e.g. 2026-11-22T10:15:30.123456789Z. */
    static String timestamp(long epochNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L),
                Math.floorMod(epochNanos, 1_000_000_000L)).toString();
    }

    /** 850ns, 12.3µs, 4.56ms, 1.23s: three significant digits at most. */
    static String duration(long nanos) {
        if (nanos < 1_000) {
            return nanos + "ns";
        }
        String[] units = {"µs", "ms", "s"};
        double value = nanos;
        int unit = -1;
        while (unit < units.length - 1 && value >= 1_000) {
            value /= 1_000;
            unit++;
        }
        String number = value >= 100 ? String.format(Locale.ROOT, "%.0f", value)
                : value >= 10 ? String.format(Locale.ROOT, "%.1f", value) : String.format(Locale.ROOT, "%.2f", value);
        return number + units[unit];
    }

    static String errno(long ret) {
        return ret < 0 ? Errno.name((int) ret) : String.valueOf(ret);
    }

    /** Control characters and stand-ins for non-UTF-8 bytes as escapes; the rest as is. */
    static String escape(String text) {
        if (text.codePoints().noneMatch(c -> Character.isISOControl(c) || Text.isEscapedByte(c))) {
            return text;
        }
        StringBuilder escaped = new StringBuilder(text.length() + 8);
        text.codePoints().forEach(c -> {
            switch (c) {
                case '\n' -> escaped.append("\\n");
                case '\t' -> escaped.append("\\t");
                case '\r' -> escaped.append("\\r");
                default -> {
                    if (Text.isEscapedByte(c)) {
                        escaped.append(String.format("\\x%02x", c - 0xDC00));
                    } else if (Character.isISOControl(c)) {
                        escaped.append(String.format("\\x%02x", c));
                    } else {
                        escaped.appendCodePoint(c);
                    }
                }
            }
        });
        return escaped.toString();
    }
}
