package dev.gadget.gadgets.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docs/bad-input.md read as data: each front end's table of bad inputs and what it must answer. Each
 * front end's test runs its rows from here, so the document and the tests cannot drift apart. A
 * front end's table follows the comment {@code <!-- bad-input: NAME -->}; its first column is the
 * row's id, the others are named by the header.
 */
public final class BadInputTable {
    private static final Pattern MARKER = Pattern.compile("<!--\\s*bad-input:\\s*([a-z-]+)\\s*-->");
    /** «N×text» repeats text N times; «0xHH» is the byte HH (for bodies that are not UTF-8). */
    private static final Pattern EXPANSION = Pattern.compile("«(?:(\\d+)×([^»]*)|0x([0-9a-fA-F]{2}))»");
    /** An expected message ending in this is a prefix: the rest of the line may vary (e.g. lists of the catalog). */
    public static final String ANY_REST = "…";

    /** A row of a front end's table: its id, its cells by column name, and its line in the document. */
    public record Row(String frontEnd, String id, Map<String, String> cells, int line) {
        public String cell(String column) {
            String value = cells.get(column);
            if (value == null) {
                throw new IllegalArgumentException("docs/bad-input.md line " + line + ": no column '" + column + "' in "
                        + cells.keySet());
            }
            return value;
        }

        @Override
        public String toString() {
            return id + " (docs/bad-input.md line " + line + ")";
        }
    }

    private final Map<String, List<Row>> byFrontEnd;

    private BadInputTable(Map<String, List<Row>> byFrontEnd) {
        this.byFrontEnd = byFrontEnd;
    }

    /** The project's table: docs/bad-input.md, found from a module's directory (or -Dgadget.badInput=FILE). */
    public static BadInputTable load() {
        Path file = Path.of(System.getProperty("gadget.badInput", "../docs/bad-input.md"));
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file.toAbsolutePath(), e);
        }
    }

    static BadInputTable parse(String markdown) {
        Map<String, List<Row>> byFrontEnd = new LinkedHashMap<>();
        Set<String> ids = new HashSet<>();
        String frontEnd = null;
        List<String> header = null;
        String[] lines = markdown.split("\n", -1);
        for (int number = 1; number <= lines.length; number++) {
            String line = lines[number - 1].strip();
            Matcher marker = MARKER.matcher(line);
            if (marker.matches()) {
                frontEnd = marker.group(1);
                if (byFrontEnd.putIfAbsent(frontEnd, new ArrayList<>()) != null) {
                    throw new IllegalArgumentException("docs/bad-input.md line " + number + ": a second table for " + frontEnd);
                }
                header = null;
                continue;
            }
            if (frontEnd == null) {
                continue;
            }
            if (!line.startsWith("|")) {
                if (header != null) {
                    frontEnd = null; // the table ended
                }
                continue;
            }
            List<String> cells = cells(line);
            if (header == null) {
                header = cells;
            } else if (cells.stream().allMatch(c -> c.matches(":?-+:?"))) {
                continue; // the line under the header
            } else {
                if (cells.size() != header.size()) {
                    throw new IllegalArgumentException("docs/bad-input.md line " + number + ": " + cells.size()
                            + " cells, the header has " + header.size());
                }
                String id = cells.getFirst();
                if (!ids.add(id)) {
                    throw new IllegalArgumentException("docs/bad-input.md line " + number + ": id " + id + " twice");
                }
                Map<String, String> named = new LinkedHashMap<>();
                for (int i = 1; i < cells.size(); i++) {
                    named.put(header.get(i), cells.get(i));
                }
                byFrontEnd.get(frontEnd).add(new Row(frontEnd, id, Map.copyOf(named), number));
            }
        }
        return new BadInputTable(byFrontEnd);
    }

    /**
     * What a command line's row asks of its answer: one line on stderr, the row's Error, the row's Exit
     * status, nothing on stdout. Throws an AssertionError naming the row otherwise.
     */
    public static void assertCommandLineAnswer(Row row, int status, String stdout, String stderr) {
        if (stderr.lines().count() != 1) {
            throw new AssertionError(row + ": one line on stderr, not " + stderr);
        }
        String line = stderr.lines().findFirst().orElseThrow();
        if (!matches(row.cell("Error"), line)) {
            throw new AssertionError(row + ": expected\n  " + row.cell("Error") + "\nbut got\n  " + line);
        }
        if (Integer.parseInt(row.cell("Exit")) != status) {
            throw new AssertionError(row + ": exit status " + status + ", not " + row.cell("Exit") + "; stderr " + line);
        }
        if (!stdout.isEmpty()) {
            throw new AssertionError(row + ": nothing on stdout, not " + stdout);
        }
    }

    /** The rows of one front end, in the document's order; none if it has no table yet. */
    public List<Row> rows(String frontEnd) {
        return List.copyOf(byFrontEnd.getOrDefault(frontEnd, List.of()));
    }

    /** The front ends with a table, in the document's order. */
    public Set<String> frontEnds() {
        return byFrontEnd.keySet();
    }

    /** Whether {@code actual} is what {@code expected} says: the same text, or its start if it ends in …. */
    public static boolean matches(String expected, String actual) {
        return expected.endsWith(ANY_REST)
                ? actual.startsWith(expected.substring(0, expected.length() - ANY_REST.length()))
                : actual.equals(expected);
    }

    /**
     * A cell as the words of a command line: split at spaces, 'single quotes' keep a word as it is
     * (so '' is an empty word); «...» expansions apply inside words. "(none)" is no words at all.
     */
    public static List<String> words(String cell) {
        List<String> words = new ArrayList<>();
        if (cell.equals("(none)")) {
            return words;
        }
        StringBuilder word = null;
        boolean quoted = false;
        for (int i = 0; i < cell.length(); i++) {
            char c = cell.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
                word = word == null ? new StringBuilder() : word;
            } else if (c == ' ' && !quoted) {
                if (word != null) {
                    words.add(expand(word.toString()));
                    word = null;
                }
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("an unclosed quote in " + cell);
        }
        if (word != null) {
            words.add(expand(word.toString()));
        }
        return words;
    }

    /** The bytes a cell stands for: UTF-8, with «N×text» repeated and «0xHH» as raw bytes. */
    public static byte[] bytes(String cell) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Matcher m = EXPANSION.matcher(cell);
        int at = 0;
        while (m.find()) {
            out.writeBytes(cell.substring(at, m.start()).getBytes(StandardCharsets.UTF_8));
            if (m.group(3) != null) {
                out.write(Integer.parseInt(m.group(3), 16));
            } else {
                out.writeBytes(m.group(2).repeat(Integer.parseInt(m.group(1))).getBytes(StandardCharsets.UTF_8));
            }
            at = m.end();
        }
        out.writeBytes(cell.substring(at).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** A cell's text with «N×text» repeated (raw bytes have no place in text). */
    public static String expand(String cell) {
        return new String(bytes(cell), StandardCharsets.UTF_8);
    }

    /** The cells of a table line: split at | not escaped, \| unescaped, a `code span` around a cell removed. */
    private static List<String> cells(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        for (int i = 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length() && line.charAt(i + 1) == '|') {
                cell.append('|');
                i++;
            } else if (c == '|') {
                cells.add(unquote(cell.toString().strip()));
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        return cells;
    }

    private static String unquote(String cell) {
        if (cell.length() >= 2 && cell.startsWith("``") && cell.endsWith("``") && cell.length() >= 4) {
            return cell.substring(2, cell.length() - 2).strip();
        }
        if (cell.length() >= 2 && cell.startsWith("`") && cell.endsWith("`")) {
            return cell.substring(1, cell.length() - 1);
        }
        return cell;
    }
}
