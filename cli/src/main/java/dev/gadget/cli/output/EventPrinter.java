package dev.gadget.cli.output;

import dev.gadget.gadgets.Field;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Writes events in one output format. Not thread-safe: one trace, one printer. */
public interface EventPrinter<E> {

    /** Called once before the first event (column headers, for instance). */
    void start();

    void print(E event);

    /**
     * A printer for {@code format} over a run's fields; columns named by the user must exist.
     *
     * @throws IllegalArgumentException naming an unknown column and the known ones
     */
    static <E> EventPrinter<E> of(OutputFormat format, List<Field<E>> fields, List<String> defaultColumns,
            PrintWriter out) {
        return switch (format) {
            case OutputFormat.Columns(List<String> names) ->
                    new ColumnsPrinter<>(select(names.isEmpty() ? defaultColumns : names, fields), out);
            case OutputFormat.Json() -> new JsonPrinter<>(fields, false, out);
            case OutputFormat.JsonPretty() -> new JsonPrinter<>(fields, true, out);
            case OutputFormat.Yaml() -> new YamlPrinter<>(fields, out);
        };
    }

    private static <E> List<Field<E>> select(List<String> names, List<Field<E>> fields) {
        Map<String, Field<E>> byName = fields.stream()
                .collect(Collectors.toMap(f -> f.name().toLowerCase(Locale.ROOT), Function.identity()));
        List<Field<E>> chosen = new ArrayList<>();
        for (String name : names) {
            Field<E> field = byName.get(name.toLowerCase(Locale.ROOT));
            if (field == null) {
                throw new IllegalArgumentException("unknown column '" + name + "': pick from "
                        + fields.stream().map(Field::name).collect(Collectors.joining(",")));
            }
            chosen.add(field);
        }
        return chosen;
    }
}
