package dev.gadget.cli.output;

import dev.gadget.gadgets.model.FieldSpec;
import dev.gadget.gadgets.model.GadgetKind;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Writes what a run emits in one output format: a trace's events one by one, the tables of the other
 * kinds whole. Rows are values in the order of the run's fields. Not thread-safe: one run, one printer.
 */
public interface RunPrinter {

    /** Before anything else (a trace's column headers, for instance). */
    void start();

    void event(List<Object> values);

    void table(List<List<Object>> rows);

    /**
     * A printer for {@code format} over a run's fields; columns named by the user must exist.
     *
     * @param terminal whether output is a terminal (a top gadget then redraws one screen)
     * @throws IllegalArgumentException naming an unknown column and the known ones
     */
    static RunPrinter of(OutputFormat format, GadgetKind kind, List<FieldSpec> fields, PrintWriter out,
            boolean terminal) {
        return switch (format) {
            case OutputFormat.Columns(List<String> names) -> new ColumnsPrinter(fields,
                    names.isEmpty() ? defaultColumns(fields) : select(names, fields), kind, terminal, out);
            case OutputFormat.Json() -> new JsonLinePrinter(fields, out);
            case OutputFormat.JsonPretty() -> new JsonPrettyPrinter(fields, out);
            case OutputFormat.Yaml() -> new YamlPrinter(fields, out);
            case OutputFormat.Folded() -> new FoldedPrinter(fields, out);
            case OutputFormat.Svg() -> new FlameGraphPrinter(fields, out);
        };
    }

    private static List<Integer> defaultColumns(List<FieldSpec> fields) {
        List<Integer> shown = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).visible()) {
                shown.add(i);
            }
        }
        return shown;
    }

    private static List<Integer> select(List<String> names, List<FieldSpec> fields) {
        List<Integer> chosen = new ArrayList<>();
        for (String name : names) {
            int index = -1;
            for (int i = 0; i < fields.size(); i++) {
                if (fields.get(i).name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                    index = i;
                }
            }
            if (index < 0) {
                throw new IllegalArgumentException("unknown column '" + name + "': pick from "
                        + fields.stream().map(FieldSpec::name).collect(Collectors.joining(",")));
            }
            chosen.add(index);
        }
        return chosen;
    }
}
