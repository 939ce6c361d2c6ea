package dev.gadget.cli.output;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.gadget.gadgets.model.FieldSpec;
import dev.gadget.gadgets.model.FieldType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A row as a JSON object: one member per field, dotted field names nested ("runtime.containerName")
 * where the first of them stands. Written straight into a generator or, for one-line JSON, as text by
 * hand: a trace's every event takes that path, and Jackson's generator costs several times more per
 * event, and more code to compile while a short trace runs.
 */
final class RowJsonWriter {
    private final List<Member> members;

    RowJsonWriter(List<FieldSpec> fields) {
        this.members = layout(fields);
    }

    /** Writes one row, its values in the order of the fields, as one JSON object of text. */
    void write(List<Object> row, JsonGenerator out) throws IOException {
        writeObject(members, row, out, true);
    }

    /** Appends one row as one line of compact JSON text, without the newline; the same text {@link #write} makes. */
    void append(List<Object> row, StringBuilder out) {
        appendObject(members, row, out);
    }

    /** The same into a token stream (a tree, not text): strings go as they are, bytes that were not UTF-8 too. */
    void writeTokens(List<Object> row, JsonGenerator tokens) throws IOException {
        writeObject(members, row, tokens, false);
    }

    /**
     * A member of an object: one field's value, or an object grouping the fields of a dotted prefix.
     * Its name is quoted and escaped once ({@code key}), not for every row.
     */
    private sealed interface Member permits Value, Group {
        String name();

        SerializableString key();

        /** The name as JSON text with its colon, for {@link #append}. */
        String keyText();
    }

    private record Value(String name, SerializableString key, String keyText, int index, FieldType type)
            implements Member {
        Value(String name, int index, FieldType type) {
            this(name, new SerializedString(name), JsonStrings.quote(name) + ':', index, type);
        }
    }

    private record Group(String name, SerializableString key, String keyText, List<Member> members)
            implements Member {
        Group(String name, List<Member> members) {
            this(name, new SerializedString(name), JsonStrings.quote(name) + ':', members);
        }
    }

    /** Each group sits where its first field would. */
    private static List<Member> layout(List<FieldSpec> fields) {
        List<Member> root = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            List<Member> parent = root;
            String name = fields.get(i).name();
            int dot;
            while ((dot = name.indexOf('.')) >= 0) {
                parent = group(parent, name.substring(0, dot));
                name = name.substring(dot + 1);
            }
            parent.add(new Value(name, i, fields.get(i).type()));
        }
        return root;
    }

    private static List<Member> group(List<Member> parent, String name) {
        for (Member member : parent) {
            if (member instanceof Group group && group.name().equals(name)) {
                return group.members();
            }
        }
        Group group = new Group(name, new ArrayList<>());
        parent.add(group);
        return group.members();
    }

    private static void writeObject(List<Member> members, List<Object> row, JsonGenerator out, boolean text)
            throws IOException {
        out.writeStartObject();
        for (Member member : members) {
            out.writeFieldName(member.key());
            switch (member) {
                case Value value -> writeValue(row.get(value.index()), value.type(), out, text);
                case Group group -> writeObject(group.members(), row, out, text);
            }
        }
        out.writeEndObject();
    }

    private static void writeValue(Object value, FieldType type, JsonGenerator out, boolean text) throws IOException {
        switch (value) {
            case null -> out.writeNull();
            case Long l when type == FieldType.UINT && l < 0 -> out.writeNumber(Long.toUnsignedString(l));
            case Long l -> out.writeNumber(l);
            case Integer i -> out.writeNumber(i);
            case Boolean b -> out.writeBoolean(b);
            case String s -> writeString(s, out, text);
            case byte[] bytes -> out.writeString(Base64.getEncoder().encodeToString(bytes));
            case Map<?, ?> map -> {
                out.writeStartObject();
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    out.writeFieldName(String.valueOf(entry.getKey()));
                    writeString(String.valueOf(entry.getValue()), out, text);
                }
                out.writeEndObject();
            }
            case List<?> list -> {
                out.writeStartArray();
                for (Object item : list) {
                    writeString(String.valueOf(item), out, text);
                }
                out.writeEndArray();
            }
            default -> throw new IllegalArgumentException("a value of unsupported type " + value.getClass().getName());
        }
    }

    private static void appendObject(List<Member> members, List<Object> row, StringBuilder out) {
        out.append('{');
        for (int i = 0; i < members.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            Member member = members.get(i);
            out.append(member.keyText());
            switch (member) {
                case Value value -> appendValue(row.get(value.index()), value.type(), out);
                case Group group -> appendObject(group.members(), row, out);
            }
        }
        out.append('}');
    }

    private static void appendValue(Object value, FieldType type, StringBuilder out) {
        switch (value) {
            case null -> out.append("null");
            case Long l when type == FieldType.UINT && l < 0 -> out.append(Long.toUnsignedString(l));
            case Long l -> out.append(l.longValue());
            case Integer i -> out.append(i.intValue());
            case Boolean b -> out.append(b.booleanValue());
            case String s -> JsonStrings.append(s, out);
            case byte[] bytes -> out.append('"').append(Base64.getEncoder().encodeToString(bytes)).append('"');
            case Map<?, ?> map -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    JsonStrings.append(String.valueOf(entry.getKey()), out);
                    out.append(':');
                    JsonStrings.append(String.valueOf(entry.getValue()), out);
                }
                out.append('}');
            }
            case List<?> list -> {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    JsonStrings.append(String.valueOf(list.get(i)), out);
                }
                out.append(']');
            }
            default -> throw new IllegalArgumentException("a value of unsupported type " + value.getClass().getName());
        }
    }

    private static void writeString(String value, JsonGenerator out, boolean text) throws IOException {
        if (text) {
            JsonStrings.write(value, out);
        } else {
            out.writeString(value);
        }
    }
}
