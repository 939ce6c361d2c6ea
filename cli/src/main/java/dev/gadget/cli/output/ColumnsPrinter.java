package dev.gadget.cli.output;

import dev.gadget.gadgets.model.FieldSpec;
import dev.gadget.gadgets.model.GadgetKind;
import java.io.PrintWriter;
import java.util.List;

/**
 * A table with upper-case headers. Every column but the last is padded to its width; a longer value
 * pushes the rest of its row rather than being cut, and the last column is never cut. A value ends
 * with its marks whose flags are set (" …[truncated]", " (deleted)"). A trace prints its header once; each table (a top
 * interval) has its own, and on a terminal a top gadget redraws the screen instead of scrolling.
 */
final class ColumnsPrinter implements RunPrinter {
    private static final String CLEAR_SCREEN = "\033[H\033[2J";

    private final List<FieldSpec> fields;
    private final List<Integer> columns;
    /** Per column: the row positions of its marks' flags, and their texts. */
    private final int[][] markFlags;
    private final String[][] markTexts;
    private final GadgetKind kind;
    private final boolean terminal;
    private final PrintWriter out;
    private final StringBuilder line = new StringBuilder(256);
    private boolean tablePrinted;

    ColumnsPrinter(List<FieldSpec> fields, List<Integer> columns, GadgetKind kind, boolean terminal, PrintWriter out) {
        this.fields = fields;
        this.columns = columns;
        this.kind = kind;
        this.terminal = terminal;
        this.out = out;
        List<String> names = fields.stream().map(FieldSpec::name).toList();
        this.markFlags = new int[columns.size()][];
        this.markTexts = new String[columns.size()][];
        for (int c = 0; c < columns.size(); c++) {
            List<FieldSpec.Mark> marks = fields.get(columns.get(c)).marks();
            markFlags[c] = marks.stream().mapToInt(m -> names.indexOf(m.flag())).toArray();
            markTexts[c] = marks.stream().map(FieldSpec.Mark::text).toArray(String[]::new);
        }
    }

    @Override
    public void start() {
        if (kind == GadgetKind.TRACE) {
            header();
        }
    }

    @Override
    public void event(List<Object> values) {
        row(values);
    }

    @Override
    public void table(List<List<Object>> rows) {
        if (kind == GadgetKind.TOP && terminal) {
            out.append(CLEAR_SCREEN);
        } else if (tablePrinted) {
            out.append('\n');
        }
        tablePrinted = true;
        header();
        rows.forEach(this::row);
    }

    private void header() {
        for (int c = 0; c < columns.size(); c++) {
            FieldSpec field = fields.get(columns.get(c));
            append(field, field.header(), c == columns.size() - 1);
        }
        flushLine();
    }

    private void row(List<Object> values) {
        for (int c = 0; c < columns.size(); c++) {
            int index = columns.get(c);
            FieldSpec field = fields.get(index);
            String text = ValueText.of(field, values.get(index));
            for (int m = 0; m < markFlags[c].length; m++) {
                if (markFlags[c][m] >= 0 && Boolean.TRUE.equals(values.get(markFlags[c][m]))) {
                    text += markTexts[c][m];
                }
            }
            append(field, text, c == columns.size() - 1);
        }
        flushLine();
    }

    private void append(FieldSpec column, String shown, boolean last) {
        int padding = last ? 0 : Math.max(0, column.width() - shown.codePointCount(0, shown.length()));
        if (column.align() == FieldSpec.Align.RIGHT) {
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
}
