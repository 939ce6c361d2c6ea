package dev.gadget.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.gadget.gadgets.model.FieldSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Each event, or each table, as a YAML document ("---" first). Strings are written as JSON strings
 * (with the same escapes as -o json), which YAML reads back unchanged, so no value needs YAML's own
 * quoting rules.
 */
final class YamlPrinter implements RunPrinter {
    private static final ObjectMapper TREES = new ObjectMapper();

    private final RowJsonWriter json;
    private final PrintWriter out;
    private final StringBuilder text = new StringBuilder(512);

    YamlPrinter(List<FieldSpec> fields, PrintWriter out) {
        this.json = new RowJsonWriter(fields);
        this.out = out;
    }

    @Override
    public void start() {
    }

    @Override
    public void event(List<Object> values) {
        text.append("---\n");
        writeMembers(tree(values), 0, "");
        out.append(text);
        text.setLength(0);
    }

    @Override
    public void table(List<List<Object>> rows) {
        text.append("---\n");
        if (rows.isEmpty()) {
            text.append("[]\n");
        }
        for (List<Object> row : rows) {
            writeMembers(tree(row), 2, "- ");
        }
        out.append(text);
        text.setLength(0);
    }

    private JsonNode tree(List<Object> values) {
        try (TokenBuffer tokens = new TokenBuffer(TREES, false)) {
            json.writeTokens(values, tokens);
            return TREES.readTree(tokens.asParser());
        } catch (IOException e) {
            throw new UncheckedIOException("building the tree of a row", e);
        }
    }

    /** The members of an object, indented; {@code first} replaces the indentation of the first line ("- "). */
    private void writeMembers(JsonNode object, int indent, String first) {
        boolean isFirst = true;
        for (Map.Entry<String, JsonNode> member : object.properties()) {
            if (isFirst && !first.isEmpty()) {
                text.repeat(' ', indent - first.length()).append(first);
            } else {
                text.repeat(' ', indent);
            }
            isFirst = false;
            text.append(member.getKey()).append(':');
            JsonNode value = member.getValue();
            if (value.isObject() && value.isEmpty()) {
                text.append(" {}\n");
            } else if (value.isObject()) {
                text.append('\n');
                writeMembers(value, indent + 2, "");
            } else if (value.isArray()) {
                if (value.isEmpty()) {
                    text.append(" []\n");
                } else {
                    text.append('\n');
                    value.forEach(item -> text.repeat(' ', indent).append("- ").append(scalar(item)).append('\n'));
                }
            } else {
                text.append(' ').append(scalar(value)).append('\n');
            }
        }
    }

    private static String scalar(JsonNode value) {
        return value.isTextual() ? JsonStrings.quote(value.asText()) : value.toString();
    }
}
