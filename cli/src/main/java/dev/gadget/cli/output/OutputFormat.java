package dev.gadget.cli.output;

import dev.gadget.gadgets.model.GadgetKind;
import java.util.Arrays;
import java.util.List;

/** The -o/--output choices, as Inspektor Gadget names them, and the profile's folded stacks and flame graph. */
public sealed interface OutputFormat {

    /** An aligned table; no columns chosen means the gadget's default columns. */
    record Columns(List<String> names) implements OutputFormat {
    }

    /** One JSON object per line (a table: one JSON array per line). */
    record Json() implements OutputFormat {
    }

    /** Indented JSON. */
    record JsonPretty() implements OutputFormat {
    }

    /** YAML documents. */
    record Yaml() implements OutputFormat {
    }

    /** Profiles only: one line per stack, frames joined by ';' then the sample count (flamegraph.pl's input). */
    record Folded() implements OutputFormat {
    }

    /** Profiles only: a flame graph, one self-contained SVG document a browser opens. */
    record Svg() implements OutputFormat {
    }

    /** The choices for gadgets of {@code kind}, for help and errors. */
    static String choices(GadgetKind kind) {
        return "columns, columns=<field,...>, json, jsonpretty, yaml" + (kind == GadgetKind.PROFILE ? ", folded or svg" : "");
    }

    static OutputFormat parse(String value, GadgetKind kind) {
        OutputFormat format = switch (value) {
            case "columns" -> new Columns(List.of());
            case "json" -> new Json();
            case "jsonpretty" -> new JsonPretty();
            case "yaml" -> new Yaml();
            case "folded" -> new Folded();
            case "svg" -> new Svg();
            default -> {
                if (value.startsWith("columns=")) {
                    List<String> names = Arrays.stream(value.substring("columns=".length()).split(",", -1))
                            .map(String::strip).toList();
                    if (names.stream().anyMatch(String::isEmpty)) {
                        throw new IllegalArgumentException("'" + value + "' names an empty column: give field names"
                                + " separated by single commas, e.g. columns=pid,comm");
                    }
                    yield new Columns(names);
                }
                throw new IllegalArgumentException("'" + value + "' is not an output format: use " + choices(kind));
            }
        };
        if ((format instanceof Folded || format instanceof Svg) && kind != GadgetKind.PROFILE) {
            throw new IllegalArgumentException("'" + value + "' is for profile gadgets only: use " + choices(kind));
        }
        return format;
    }
}
