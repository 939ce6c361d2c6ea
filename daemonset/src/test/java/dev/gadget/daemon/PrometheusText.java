package dev.gadget.daemon;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of Prometheus' text exposition format (0.0.4), for tests: every line a HELP, a TYPE
 * or a sample; HELP then TYPE once per family, before its samples, which come together; names and
 * labels as the format defines them, label values with only its three escapes; values as Go parses
 * them; no series twice; counters named *_total and never negative. Anything else fails the test.
 */
final class PrometheusText {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern NUMBER = Pattern.compile("[-+]?(?:\\d+\\.?\\d*(?:[eE][-+]?\\d+)?|\\.\\d+(?:[eE][-+]?\\d+)?)");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    record Series(String name, Map<String, String> labels) {
    }

    private final Map<Series, Double> samples = new LinkedHashMap<>();
    private final Map<String, String> types = new HashMap<>();

    private PrometheusText() {
    }

    static PrometheusText parse(String text) {
        PrometheusText parsed = new PrometheusText();
        if (!text.endsWith("\n")) {
            throw new AssertionError("the exposition does not end with a newline");
        }
        Set<String> helped = new HashSet<>();
        Set<String> finished = new HashSet<>();
        String current = null;
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        for (int number = 1; number <= lines.length; number++) {
            String line = lines[number - 1];
            String where = "line " + number + " '" + line + "': ";
            if (line.startsWith("# HELP ")) {
                String rest = line.substring(7);
                String name = rest.contains(" ") ? rest.substring(0, rest.indexOf(' ')) : rest;
                check(NAME.matcher(name).matches(), where + "bad metric name");
                check(helped.add(name), where + "a second HELP");
                check(!parsed.types.containsKey(name), where + "HELP after TYPE");
                check(rest.length() > name.length() + 1, where + "HELP without text");
                checkEscapes(rest.substring(name.length() + 1), where);
            } else if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).split(" ", -1);
                check(parts.length == 2 && NAME.matcher(parts[0]).matches(), where + "not '# TYPE name type'");
                check(TYPES.contains(parts[1]), where + "unknown type");
                check(parsed.types.put(parts[0], parts[1]) == null, where + "a second TYPE");
                check(!finished.contains(parts[0]) && !parts[0].equals(current), where + "TYPE after samples");
                if (parts[1].equals("counter")) {
                    check(parts[0].endsWith("_total"), where + "a counter not named *_total");
                }
            } else {
                check(!line.isEmpty() && !line.startsWith("#"), where + "neither HELP, TYPE nor a sample");
                Series series = parsed.sample(line, where);
                String type = parsed.types.get(series.name());
                check(type != null, where + "a sample before its TYPE");
                if (!series.name().equals(current)) {
                    check(finished.add(series.name()), where + "the samples of a family are not together");
                    current = series.name();
                }
                if (type.equals("counter")) {
                    check(parsed.samples.get(series) >= 0, where + "a negative counter");
                }
            }
        }
        return parsed;
    }

    private Series sample(String line, String where) {
        Matcher name = NAME.matcher(line);
        check(name.lookingAt(), where + "no metric name");
        int at = name.end();
        Map<String, String> labels = new LinkedHashMap<>();
        if (at < line.length() && line.charAt(at) == '{') {
            at++;
            while (line.charAt(at) != '}') {
                Matcher label = LABEL.matcher(line).region(at, line.length());
                check(label.lookingAt(), where + "bad label name at " + at);
                String key = label.group();
                at = label.end();
                check(line.startsWith("=\"", at), where + "no =\" after label " + key);
                at += 2;
                StringBuilder value = new StringBuilder();
                while (line.charAt(at) != '"') {
                    char c = line.charAt(at++);
                    if (c == '\\') {
                        char escaped = line.charAt(at++);
                        check(escaped == '\\' || escaped == '"' || escaped == 'n', where + "bad escape \\" + escaped);
                        value.append(escaped == 'n' ? '\n' : escaped);
                    } else {
                        value.append(c);
                    }
                }
                at++;
                check(labels.put(key, value.toString()) == null, where + "label " + key + " twice");
                if (line.charAt(at) == ',') {
                    at++;
                } else {
                    check(line.charAt(at) == '}', where + "no , or } after label " + key);
                }
            }
            at++;
        }
        check(at < line.length() && line.charAt(at) == ' ', where + "no space before the value");
        String[] rest = line.substring(at + 1).split(" ", -1);
        check(rest.length == 1 || rest.length == 2 && rest[1].matches("-?\\d+"), where + "not 'value [timestamp]'");
        double value = switch (rest[0]) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> {
                check(NUMBER.matcher(rest[0]).matches(), where + "'" + rest[0] + "' is not a number");
                yield Double.parseDouble(rest[0]);
            }
        };
        Series series = new Series(line.substring(0, name.end()), Map.copyOf(labels));
        check(samples.put(series, value) == null, where + "the same series twice");
        return series;
    }

    private static void checkEscapes(String text, String where) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\\') {
                check(i + 1 < text.length() && (text.charAt(i + 1) == '\\' || text.charAt(i + 1) == 'n'),
                        where + "bad escape in HELP");
                i++;
            }
        }
    }

    private static void check(boolean ok, String problem) {
        if (!ok) {
            throw new AssertionError("not Prometheus text: " + problem);
        }
    }

    /** The value of one series; fails if there is none. */
    double value(String name, Map<String, String> labels) {
        Double value = samples.get(new Series(name, Map.copyOf(labels)));
        if (value == null) {
            throw new AssertionError("no series " + name + labels + " among " + samples.keySet());
        }
        return value;
    }

    double value(String name) {
        return value(name, Map.of());
    }

    /** A gadget's series of {@code name}. */
    double gadget(String name, String gadget) {
        return value(name, Map.of("gadget", gadget));
    }

    String type(String name) {
        return types.get(name);
    }

    Set<Series> series() {
        return samples.keySet();
    }
}
