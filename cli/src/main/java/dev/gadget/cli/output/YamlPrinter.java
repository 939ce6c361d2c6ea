package dev.gadget.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.gadget.gadgets.EventJsonWriter;
import dev.gadget.gadgets.Field;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * Each event as a YAML document ("---" first). Strings are written as JSON strings, which YAML reads
 * back unchanged, so no value needs YAML's own quoting rules.
 */
final class YamlPrinter<E> implements EventPrinter<E> {
    private final EventJsonWriter<E> json;
    private final PrintWriter out;
    private final StringBuilder text = new StringBuilder(512);

    YamlPrinter(List<Field<E>> fields, PrintWriter out) {
        this.json = new EventJsonWriter<>(fields);
        this.out = out;
    }

    @Override
    public void start() {
    }

    @Override
    public void print(E event) {
        text.append("---\n");
        writeMembers(json.toTree(event), 0);
        out.append(text);
        text.setLength(0);
    }

    private void writeMembers(JsonNode object, int indent) {
        for (Map.Entry<String, JsonNode> member : object.properties()) {
            text.repeat(' ', indent).append(member.getKey()).append(':');
            JsonNode value = member.getValue();
            if (value.isObject()) {
                text.append('\n');
                writeMembers(value, indent + 2);
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
        return value.isTextual() ? new TextNode(value.asText()).toString() : value.toString();
    }
}
