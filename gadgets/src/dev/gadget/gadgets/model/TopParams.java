package dev.gadget.gadgets.model;

import java.time.Duration;
import java.util.List;

/** The parameters every top gadget has, declared once: how often, sorted by what, how many rows. */
public final class TopParams {
    public static final String INTERVAL = "interval";
    public static final String SORT = "sort";
    public static final String MAX_ROWS = "max-rows";

    private TopParams() {
    }

    /** Sorting may use any of {@code fields} that is a number or text; {@code defaultSort} e.g. "-bytes". */
    public static List<ParamSpec> of(String defaultSort, List<FieldSpec> fields) {
        List<String> sortable = fields.stream().filter(f -> f.type() != FieldType.STRING_LIST && f.type() != FieldType.BYTES)
                .map(FieldSpec::name).toList();
        return List.of(
                ParamSpec.duration(INTERVAL, "1s", Duration.ofHours(24), "How often to print a table of what was counted"),
                ParamSpec.sort(SORT, defaultSort, sortable, "Sort rows by these fields"),
                ParamSpec.integer(MAX_ROWS, 50, 1, 100_000, "Show at most this many rows per interval").withShortName("m"));
    }
}
