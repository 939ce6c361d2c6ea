package dev.gadget.cli;

import dev.gadget.cli.output.OutputFormat;
import dev.gadget.gadgets.model.FieldSpec;
import dev.gadget.gadgets.model.GadgetDescription;
import dev.gadget.gadgets.model.GadgetKind;
import java.util.ArrayList;
import java.util.List;

/** Help a gadget's command shows, from its description, the same in every front end. */
public final class HelpText {
    private HelpText() {
    }

    /** What a category of gadgets of {@code kind} does, one sentence. */
    public static String category(GadgetKind kind) {
        return switch (kind) {
            case TRACE -> "Gadgets that stream an event each time the kernel does something.";
            case SNAPSHOT -> "Gadgets that list what is there right now.";
            case TOP -> "Gadgets that show, every interval, what was busiest.";
            case PROFILE -> "Gadgets that sample for a while, then report.";
        };
    }

    /** How a run of the gadget goes, one sentence without its full stop. */
    public static String howItRuns(GadgetKind kind) {
        return switch (kind) {
            case TRACE -> "Runs until Ctrl-C or --timeout";
            case SNAPSHOT -> "Prints one table";
            case TOP -> "Prints a table every --interval until Ctrl-C or --timeout";
            case PROFILE -> "Samples until Ctrl-C or --timeout, then reports";
        };
    }

    /** The footer: output formats and the fields -o columns=... takes. */
    public static String[] footer(GadgetDescription gadget, List<FieldSpec> fields) {
        List<String> footer = new ArrayList<>(List.of("", "Output formats: " + OutputFormat.choices(gadget.kind()) + ".",
                "Fields (for -o columns=...):"));
        footer.addAll(wrap(fields.stream()
                .map(f -> f.name() + (f.onlyWith().isEmpty() ? "" : " (with --" + f.onlyWith() + ")")).toList()));
        return footer.toArray(String[]::new);
    }

    /** Comma-separated items on lines of at most 78 columns, never breaking an item (help would break at dots). */
    private static List<String> wrap(List<String> items) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder("  ");
        for (int i = 0; i < items.size(); i++) {
            String item = items.get(i) + (i < items.size() - 1 ? "," : "");
            if (line.length() > 2 && line.length() + 1 + item.length() > 78) {
                lines.add(line.toString());
                line.setLength(0);
                line.append("  ");
            }
            line.append(line.length() > 2 ? " " : "").append(item);
        }
        lines.add(line.toString());
        return lines;
    }
}
