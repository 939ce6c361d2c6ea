package dev.gadget.cli.kubectl.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes label selectors as the API server reads them (equality- and set-based): requirements
 * joined by commas, each key, !key, key=value, key==value, key!=value, key in (a,b) or key notin (a,b).
 * The mock server's own parser knows only equality and ignores the rest, so the mock applies these.
 */
record LabelSelector(List<Requirement> requirements) {
    private static final String KEY = "((?:[a-z0-9A-Z.-]+/)?[a-zA-Z0-9]([a-zA-Z0-9_.-]*[a-zA-Z0-9])?)";
    private static final String VALUE = "([a-zA-Z0-9]([a-zA-Z0-9_.-]*[a-zA-Z0-9])?)?";
    private static final Pattern EQUALS = Pattern.compile(KEY + "\\s*(==|=|!=)\\s*" + VALUE);
    private static final Pattern SET = Pattern.compile(KEY + "\\s+(in|notin)\\s*\\(([^)]*)\\)");
    private static final Pattern EXISTS = Pattern.compile("(!?)" + KEY);

    enum Operator { EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, NOT_EXISTS }

    record Requirement(String key, Operator operator, Set<String> values) {
        boolean matches(Map<String, String> labels) {
            String value = labels.get(key);
            return switch (operator) {
                case EQUALS, IN -> value != null && values.contains(value);
                case NOT_EQUALS, NOT_IN -> value == null || !values.contains(value);
                case EXISTS -> value != null;
                case NOT_EXISTS -> value == null;
            };
        }
    }

    boolean matches(Map<String, String> labels) {
        return requirements.stream().allMatch(requirement -> requirement.matches(labels == null ? Map.of() : labels));
    }

    /** Parses a selector; an IllegalArgumentException says what is wrong, as the API server's 400 would. */
    static LabelSelector parse(String selector) {
        List<Requirement> requirements = new ArrayList<>();
        for (String part : split(selector)) {
            String requirement = part.strip();
            Matcher m;
            if ((m = SET.matcher(requirement)).matches()) {
                Set<String> values = Set.of(m.group(4).split("\\s*,\\s*"));
                for (String value : values) {
                    if (!value.strip().matches(VALUE)) {
                        throw new IllegalArgumentException("unable to parse requirement: invalid label value: \"" + value + "\"");
                    }
                }
                requirements.add(new Requirement(m.group(1), m.group(3).equals("in") ? Operator.IN : Operator.NOT_IN,
                        values));
            } else if ((m = EQUALS.matcher(requirement)).matches()) {
                String value = m.group(4) == null ? "" : m.group(4);
                requirements.add(new Requirement(m.group(1), m.group(3).equals("!=") ? Operator.NOT_EQUALS : Operator.EQUALS,
                        Set.of(value)));
            } else if ((m = EXISTS.matcher(requirement)).matches()) {
                requirements.add(new Requirement(m.group(2), m.group(1).isEmpty() ? Operator.EXISTS : Operator.NOT_EXISTS,
                        Set.of()));
            } else {
                throw new IllegalArgumentException("unable to parse requirement: found '" + requirement + "'");
            }
        }
        return new LabelSelector(requirements);
    }

    /** Commas outside parentheses part requirements. */
    private static List<String> split(String selector) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < selector.length(); i++) {
            char c = selector.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(selector.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(selector.substring(start));
        return parts;
    }
}
