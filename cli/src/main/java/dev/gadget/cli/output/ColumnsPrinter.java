package dev.gadget.cli.output;

import dev.gadget.gadgets.Field;
import java.io.PrintWriter;
import java.util.List;

/**
 * A table with upper-case headers. Every column but the last is padded to its width; a longer value
 * pushes the rest of its row rather than being cut, and the last column is never cut. Control
 * characters are escaped so that every event stays on one line.
 */
final class ColumnsPrinter<E> implements EventPrinter<E> {
    private final List<Field<E>> columns;
    private final PrintWriter out;
    private final StringBuilder line = new StringBuilder(256);

    ColumnsPrinter(List<Field<E>> columns, PrintWriter out) {
        this.columns = columns;
        this.out = out;
    }

    @Override
    public void start() {
        for (int i = 0; i < columns.size(); i++) {
            append(columns.get(i), columns.get(i).header(), i == columns.size() - 1);
        }
        flushLine();
    }

    @Override
    public void print(E event) {
        for (int i = 0; i < columns.size(); i++) {
            Field<E> column = columns.get(i);
            append(column, column.text().apply(event), i == columns.size() - 1);
        }
        flushLine();
    }

    private void append(Field<E> column, String text, boolean last) {
        String shown = escapeControls(text);
        int padding = last ? 0 : Math.max(0, column.width() - shown.codePointCount(0, shown.length()));
        if (column.align() == Field.Align.RIGHT) {
            line.repeat(' ', padding).append(shown);
        } else {
            line.append(shown);
            if (!last) {
                line.repeat(' ', padding);
            }
        }
        if (!last) {
            line.append(' ');
        }
    }

    private void flushLine() {
        out.append(line).append('\n');
        line.setLength(0);
    }

    static String escapeControls(String text) {
        if (text.chars().noneMatch(Character::isISOControl)) {
            return text;
        }
        StringBuilder escaped = new StringBuilder(text.length() + 8);
        text.chars().forEach(c -> {
            switch (c) {
                case '\n' -> escaped.append("\\n");
                case '\t' -> escaped.append("\\t");
                case '\r' -> escaped.append("\\r");
                default -> {
                    if (Character.isISOControl(c)) {
                        escaped.append(String.format("\\x%02x", c));
                    } else {
                        escaped.append((char) c);
                    }
                }
            }
        });
        return escaped.toString();
    }
}
