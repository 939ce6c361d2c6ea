package dev.gadget.gadgets.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A gadget's parameter, e.g. top's {@code --interval}: its name (the long flag without dashes), an
 * optional one-letter short name, type, default, what it allows, and help. {@link #parse} is the one
 * place its values are checked, for every front end.
 *
 * @param shortName "" or one letter (-m for --max-rows)
 * @param defaultValue the value when none is given, as a user would type it; null when there is none
 * @param allowed for ENUM and SORT, the values it takes; empty otherwise
 * @param min for INT, the least value; for DURATION, unused (durations are above zero)
 * @param max for INT, the greatest value; for DURATION, the longest in nanoseconds
 */
public record ParamSpec(String name, String shortName, ParamType type, String defaultValue, List<String> allowed,
        long min, long max, String description) {

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)?");

    public ParamSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type of " + name);
        Objects.requireNonNull(description, "description of " + name);
        shortName = Objects.requireNonNullElse(shortName, "");
        allowed = List.copyOf(Objects.requireNonNullElse(allowed, List.of()));
        if (!name.matches("[a-z][a-z0-9]*(-[a-z0-9]+)*")) {
            throw new IllegalArgumentException("parameter name '" + name + "' is not lower-case words joined by -");
        }
        if (!shortName.isEmpty() && !shortName.matches("[a-zA-Z]")) {
            throw new IllegalArgumentException("parameter " + name + ": short name '" + shortName + "' is not one letter");
        }
        if ((type == ParamType.ENUM || type == ParamType.SORT) == allowed.isEmpty()) {
            throw new IllegalArgumentException("parameter " + name + ": allowed values are for ENUM and SORT, and only them");
        }
        if (type == ParamType.INT && min > max) {
            throw new IllegalArgumentException("parameter " + name + ": min " + min + " above max " + max);
        }
        if (type == ParamType.DURATION && max <= 0) {
            throw new IllegalArgumentException("parameter " + name + ": a duration needs a longest value above 0");
        }
        if (defaultValue != null) {
            try {
                // Fields are assigned only after this constructor: check with a twin that has them.
                new ParamSpec(name, shortName, type, null, allowed, min, max, description).parse(defaultValue);
            } catch (ParamException e) {
                throw new IllegalArgumentException("parameter " + name + ": its default does not pass: " + e.getMessage());
            }
        }
    }

    public static ParamSpec bool(String name, String description) {
        return new ParamSpec(name, "", ParamType.BOOL, "false", List.of(), 0, 0, description);
    }

    public static ParamSpec integer(String name, long defaultValue, long min, long max, String description) {
        return new ParamSpec(name, "", ParamType.INT, String.valueOf(defaultValue), List.of(), min, max, description);
    }

    public static ParamSpec duration(String name, String defaultValue, Duration longest, String description) {
        return new ParamSpec(name, "", ParamType.DURATION, defaultValue, List.of(), 0, longest.toNanos(), description);
    }

    public static ParamSpec oneOf(String name, String defaultValue, List<String> allowed, String description) {
        return new ParamSpec(name, "", ParamType.ENUM, defaultValue, allowed, 0, 0, description);
    }

    public static ParamSpec sort(String name, String defaultValue, List<String> fields, String description) {
        return new ParamSpec(name, "", ParamType.SORT, defaultValue, fields, 0, 0, description);
    }

    public ParamSpec withShortName(String letter) {
        return new ParamSpec(name, letter, type, defaultValue, allowed, min, max, description);
    }

    /** The long flag, e.g. "--max-rows". */
    public String flag() {
        return "--" + name;
    }

    /** What the value may be, in a few words, for help and errors. */
    public String takes() {
        return switch (type) {
            case BOOL -> "true or false";
            case INT -> "a number from " + min + " to " + max;
            case DURATION -> "a duration such as 500ms, 2s or 1m, above 0s and at most " + format(Duration.ofNanos(max));
            case STRING -> "any text";
            case ENUM -> "one of " + String.join(", ", allowed);
            case SORT -> "fields from " + String.join(", ", allowed) + ", comma-separated, each prefixed by - for descending";
        };
    }

    /** The typed value of {@code text}; a one-line ParamException naming the flag if it is not one. */
    public Object parse(String text) {
        if (text == null) {
            throw refuse("needs a value: " + takes());
        }
        return switch (type) {
            case BOOL -> switch (text.toLowerCase(Locale.ROOT)) {
                case "true", "" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                default -> throw refuse("'" + text + "' is not true or false");
            };
            case INT -> {
                long value;
                try {
                    value = Long.parseLong(text.strip());
                } catch (NumberFormatException e) {
                    throw refuse("'" + text + "' is not " + takes());
                }
                if (value < min || value > max) {
                    throw refuse(value + " is not " + takes());
                }
                yield value;
            }
            case DURATION -> parseDuration(text);
            case STRING -> {
                if (text.isBlank()) {
                    throw refuse("is empty: give " + description.toLowerCase(Locale.ROOT));
                }
                yield text;
            }
            case ENUM -> {
                if (!allowed.contains(text)) {
                    throw refuse("'" + text + "' is not " + takes());
                }
                yield text;
            }
            case SORT -> parseSort(text);
        };
    }

    private Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            throw refuse("'" + text + "' is not a duration such as 500ms, 2s or 1m");
        }
        double amount = Double.parseDouble(m.group(1));
        double nanosPerUnit = switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ns" -> 1;
            case "us", "µs" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "m" -> 60e9;
            default -> 3600e9;
        };
        double nanos = amount * nanosPerUnit;
        if (nanos < 1) {
            throw refuse(text + " is not a duration above 0s");
        }
        if (nanos > max) {
            throw refuse(text + " is longer than " + format(Duration.ofNanos(max)));
        }
        return Duration.ofNanos((long) nanos);
    }

    private List<SortKey> parseSort(String text) {
        List<SortKey> keys = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String key = part.strip();
            boolean descending = key.startsWith("-");
            String field = descending ? key.substring(1) : key;
            if (field.isEmpty()) {
                throw refuse("'" + text + "' has an empty field name: give " + takes());
            }
            String known = allowed.stream().filter(f -> f.equalsIgnoreCase(field)).findFirst()
                    .orElseThrow(() -> refuse("'" + field + "' is not a field: pick from " + String.join(", ", allowed)
                            + " (prefix - for descending)"));
            keys.add(new SortKey(known, descending));
        }
        return List.copyOf(keys);
    }

    private ParamException refuse(String what) {
        return new ParamException(flag() + ": " + what);
    }

    /** 1s, 500ms, 2m: the shortest exact form. */
    public static String format(Duration duration) {
        long nanos = duration.toNanos();
        if (nanos % 3_600_000_000_000L == 0) {
            return nanos / 3_600_000_000_000L + "h";
        }
        if (nanos % 60_000_000_000L == 0) {
            return nanos / 60_000_000_000L + "m";
        }
        if (nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + "s";
        }
        if (nanos % 1_000_000L == 0) {
            return nanos / 1_000_000L + "ms";
        }
        if (nanos % 1_000L == 0) {
            return nanos / 1_000L + "us";
        }
        return nanos + "ns";
    }
}
