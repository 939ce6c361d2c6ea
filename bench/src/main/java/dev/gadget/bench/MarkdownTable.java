package dev.gadget.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A Markdown table, columns padded so it also reads well as plain text. */
public final class MarkdownTable {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    public MarkdownTable(String... headers) {
        this.headers = List.of(headers);
    }

    public MarkdownTable row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + headers.size() + " columns");
        }
        rows.add(Arrays.stream(cells).map(String::valueOf).toList());
        return this;
    }

    @Override
    public String toString() {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = Math.max(3, headers.get(i).length());
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder text = new StringBuilder();
        line(text, headers, widths);
        text.append('|');
        for (int width : widths) {
            text.append('-').repeat('-', width).append("-|");
        }
        text.append('\n');
        rows.forEach(row -> line(text, row, widths));
        return text.toString();
    }

    private static void line(StringBuilder text, List<String> cells, int[] widths) {
        text.append('|');
        for (int i = 0; i < widths.length; i++) {
            text.append(' ').append(cells.get(i)).repeat(' ', widths[i] - cells.get(i).length()).append(" |");
        }
        text.append('\n');
    }
}
