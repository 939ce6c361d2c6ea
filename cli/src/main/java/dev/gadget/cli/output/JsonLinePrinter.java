package dev.gadget.cli.output;

import dev.gadget.gadgets.model.FieldSpec;
import java.io.PrintWriter;
import java.util.List;

/**
 * One-line JSON (json): an event as one object per line, a table as one array of objects on one line.
 * Each line is made by hand in one reused buffer and handed to the writer as characters: no tree, no
 * string and no generator per row, as a trace prints every event this way.
 */
final class JsonLinePrinter implements RunPrinter {
    private final RowJsonWriter json;
    private final PrintWriter out;
    private final StringBuilder line = new StringBuilder(1024);
    private char[] chars = new char[1024];

    JsonLinePrinter(List<FieldSpec> fields, PrintWriter out) {
        this.json = new RowJsonWriter(fields);
        this.out = out;
    }

    @Override
    public void start() {
    }

    @Override
    public void event(List<Object> values) {
        json.append(values, line);
        writeLine();
    }

    @Override
    public void table(List<List<Object>> rows) {
        line.append('[');
        for (int i = 0; i < rows.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            json.append(rows.get(i), line);
        }
        line.append(']');
        writeLine();
    }

    /** The line and its newline into the writer, which the caller flushes per batch. */
    private void writeLine() {
        line.append('\n');
        int length = line.length();
        if (chars.length < length) {
            chars = new char[Math.max(length, 2 * chars.length)];
        }
        line.getChars(0, length, chars, 0);
        out.write(chars, 0, length);
        line.setLength(0);
    }
}
