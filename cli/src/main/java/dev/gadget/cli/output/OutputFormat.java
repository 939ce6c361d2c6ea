package dev.gadget.cli.output;

import java.util.Arrays;
import java.util.List;

/** The -o/--output choices, as Inspektor Gadget names them. */
public sealed interface OutputFormat {

    /** An aligned table; no columns chosen means the gadget's default columns. */
    record Columns(List<String> names) implements OutputFormat {
    }

    /** One JSON object per line. */
    record Json() implements OutputFormat {
    }

    /** Each event as indented JSON. */
    record JsonPretty() implements OutputFormat {
    }

    /** Each event as a YAML document. */
    record Yaml() implements OutputFormat {
    }

    String CHOICES = "columns, columns=<field,...>, json, jsonpretty or yaml";

    static OutputFormat parse(String value) {
        return switch (value) {
            case "columns" -> new Columns(List.of());
            case "json" -> new Json();
            case "jsonpretty" -> new JsonPretty();
            case "yaml" -> new Yaml();
            default -> {
                if (value.startsWith("columns=")) {
                    List<String> names = Arrays.stream(value.substring("columns=".length()).split(","))
                            .map(String::strip).filter(s -> !s.isEmpty()).toList();
                    if (!names.isEmpty()) {
                        yield new Columns(names);
                    }
                }
                throw new IllegalArgumentException("'" + value + "' is not an output format: use " + CHOICES);
            }
        };
    }
}
