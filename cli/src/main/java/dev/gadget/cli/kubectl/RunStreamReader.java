package dev.gadget.cli.kubectl;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gadget.gadgets.model.RunMessage;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run's NDJSON stream, message by message. Rows (events and table rows) are read straight from the
 * tokens into the plugin's row layout through the node's {@link ClusterFields.Mapping}; everything else
 * as the model's records. Heartbeats (empty lines) and message types this version does not know are
 * skipped. Reads in batches, and tells when what arrived so far is used up, so output can be flushed
 * then and not per event.
 */
final class RunStreamReader {
    private static final int CHUNK = 1 << 16;

    /** A message whose rows are already in the plugin's layout (for events and tables). */
    sealed interface Message {
    }

    record Status(RunMessage message) implements Message {
    }

    record Row(Object[] values) implements Message {
    }

    record Rows(List<Object[]> rows) implements Message {
    }

    private final InputStream in;
    private byte[] buffer = new byte[CHUNK];
    private int start;
    private int end;
    private boolean eof;
    private ClusterFields.Mapping mapping;

    RunStreamReader(InputStream in) {
        this.in = in;
    }

    /** How rows of this stream map to the plugin's layout: set once the stream's Started has come. */
    void mapping(ClusterFields.Mapping mapping) {
        this.mapping = mapping;
    }

    /** Whether everything that has arrived is read: a good moment to flush output. */
    boolean drained() throws IOException {
        return indexOfNewline() < 0 && in.available() == 0;
    }

    /** The next message, or null when the stream ended. */
    Message next() throws IOException {
        while (true) {
            int newline = indexOfNewline();
            while (newline < 0) {
                if (!fill()) {
                    if (start < end && !blank(start, end)) {
                        throw new IOException("the stream ended inside a message");
                    }
                    return null;
                }
                newline = indexOfNewline();
            }
            int lineStart = start;
            start = newline + 1;
            if (blank(lineStart, newline)) {
                continue; // heartbeat
            }
            Message message = parse(lineStart, newline);
            if (message != null) {
                return message;
            }
        }
    }

    private Message parse(int from, int to) throws IOException {
        try (JsonParser parser = Wire.JSON.getFactory().createParser(buffer, from, to - from)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("a stream line is not a JSON object");
            }
            String type = null;
            Object[] row = null;
            List<Object[]> rows = null;
            ObjectNode rest = Wire.JSON.createObjectNode();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                // The daemon writes the type first; data of a message type this plugin does not know is skipped.
                switch (name) {
                    case "type" -> type = parser.getText();
                    case "values" -> {
                        if ("event".equals(type)) {
                            row = row(parser);
                        } else {
                            parser.skipChildren();
                        }
                    }
                    case "rows" -> {
                        if (!"table".equals(type)) {
                            parser.skipChildren();
                            continue;
                        }
                        rows = new ArrayList<>();
                        if (value != JsonToken.START_ARRAY) {
                            throw new IOException("a table's rows are not an array");
                        }
                        while (parser.nextToken() != JsonToken.END_ARRAY) {
                            rows.add(row(parser));
                        }
                    }
                    default -> rest.set(name, Wire.JSON.readTree(parser));
                }
            }
            if (type == null) {
                throw new IOException("a stream message has no type");
            }
            return switch (type) {
                case "event" -> new Row(require(row, "event"));
                case "table" -> new Rows(require(rows, "table"));
                case "started", "lost", "notice", "end" -> {
                    rest.put("type", type);
                    yield new Status(Wire.JSON.treeToValue(rest, RunMessage.class));
                }
                default -> null; // a message of a later protocol version: not for this plugin
            };
        }
    }

    private static <T> T require(T value, String type) throws IOException {
        if (value == null) {
            throw new IOException("a stream's " + type + " message has no data");
        }
        return value;
    }

    /** One row, at its START_ARRAY: each value coerced to its field's type and put where the layout wants it. */
    private Object[] row(JsonParser parser) throws IOException {
        if (mapping == null) {
            throw new IOException("data came before the stream's 'started' message");
        }
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw new IOException("a row is not an array");
        }
        Object[] row = new Object[mapping.width()];
        int index = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            Object value = value(parser);
            mapping.put(index++, value, row);
        }
        return row;
    }

    private static Object value(JsonParser parser) throws IOException {
        return switch (parser.currentToken()) {
            case VALUE_NULL -> null;
            case VALUE_NUMBER_INT -> parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? (Object) parser.getBigIntegerValue().longValue() : (Object) parser.getLongValue();
            case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
            case VALUE_STRING -> parser.getText();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    list.add(value(parser));
                }
                yield list;
            }
            case START_OBJECT -> {
                Map<String, Object> map = new TreeMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    parser.nextToken();
                    map.put(key, value(parser));
                }
                yield map;
            }
            default -> throw new IOException("an unexpected " + parser.currentToken() + " in a row");
        };
    }

    private int indexOfNewline() {
        for (int i = start; i < end; i++) {
            if (buffer[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private boolean blank(int from, int to) {
        for (int i = from; i < to; i++) {
            if (buffer[i] != ' ' && buffer[i] != '\r' && buffer[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    /** Reads more: compacts, grows for a line longer than the buffer; false at the end of the stream. */
    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end == buffer.length) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        int n = in.read(buffer, end, buffer.length - end);
        if (n < 0) {
            eof = true;
            return false;
        }
        end += n;
        return true;
    }
}
