package dev.gadget.gadgets.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every value is checked in one place, with a one-line message naming the flag and what it takes. */
class ParamSpecTest {
    private static final ParamSpec INTERVAL = ParamSpec.duration("interval", "1s", Duration.ofHours(24), "How often");
    private static final ParamSpec ROWS = ParamSpec.integer("max-rows", 50, 1, 100_000, "Rows").withShortName("m");
    private static final ParamSpec SORT = ParamSpec.sort("sort", "-bytes", List.of("pid", "bytes", "file"), "Order");
    private static final ParamSpec MODE = ParamSpec.oneOf("mode", "all", List.of("all", "read", "write"), "Which");
    private static final ParamSpec PATHS = ParamSpec.bool("paths", "Show paths");

    @Test
    void goodValuesAreTyped() {
        assertEquals(Duration.ofMillis(500), INTERVAL.parse("500ms"));
        assertEquals(Duration.ofSeconds(2), INTERVAL.parse("2"));
        assertEquals(Duration.ofMinutes(1), INTERVAL.parse("1m"));
        assertEquals(Duration.ofMillis(1500), INTERVAL.parse("1.5s"));
        assertEquals(7L, ROWS.parse("7"));
        assertEquals(List.of(new SortKey("bytes", true), new SortKey("pid", false)), SORT.parse("-bytes,PID"));
        assertEquals("read", MODE.parse("read"));
        assertEquals(true, PATHS.parse(""));
        assertEquals(false, PATHS.parse("false"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "interval | 0      | --interval: 0 is not a duration above 0s",
        "interval | soon   | --interval: 'soon' is not a duration such as 500ms, 2s or 1m",
        "interval | 25h    | --interval: 25h is longer than 24h",
        "interval | -1s    | --interval: '-1s' is not a duration such as 500ms, 2s or 1m",
        "max-rows | 0      | --max-rows: 0 is not a number from 1 to 100000",
        "max-rows | many   | --max-rows: 'many' is not a number from 1 to 100000",
        "sort     | nope   | --sort: 'nope' is not a field: pick from pid, bytes, file (prefix - for descending)",
        "sort     | pid,,x | --sort: 'pid,,x' has an empty field name: give fields from pid, bytes, file, comma-separated, each prefixed by - for descending",
        "mode     | both   | --mode: 'both' is not one of all, read, write",
        "paths    | yes    | --paths: 'yes' is not true or false",
    })
    void badValuesAreOneLineNamingTheFlagAndWhatItTakes(String param, String value, String message) {
        ParamSpec spec = switch (param) {
            case "interval" -> INTERVAL;
            case "max-rows" -> ROWS;
            case "sort" -> SORT;
            case "mode" -> MODE;
            default -> PATHS;
        };
        ParamException e = assertThrows(ParamException.class, () -> spec.parse(value));
        assertEquals(message, e.getMessage());
    }

    @Test
    void aDefaultThatDoesNotPassItsOwnCheckCannotBeDeclared() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ParamSpec.integer("max-rows", 0, 1, 10, "Rows"));
        assertEquals("parameter max-rows: its default does not pass: --max-rows: 0 is not a number from 1 to 10",
                e.getMessage());
    }
}
