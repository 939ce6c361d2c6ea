package dev.gadget.gadgets;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An event as JSON: one member per field, dotted field names nested ("runtime.containerName") where
 * the first of them stands. Written straight into a generator, without a tree per event (the fast path
 * of -o json), or as a tree for formats built from one.
 */
public final class EventJsonWriter<E> {
    /** Made on first use: -o json never builds a tree, and making a mapper takes longer than starting a trace. */
    private static final class Trees {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private final List<Member<E>> members;

    public EventJsonWriter(List<Field<E>> fields) {
        this.members = layout(fields);
    }

    /** Writes one event as one JSON object. */
    public void write(E event, JsonGenerator out) throws IOException {
        writeObject(members, event, out);
    }

    /** The same object as a tree. */
    public ObjectNode toTree(E event) {
        try (TokenBuffer tokens = new TokenBuffer(Trees.MAPPER, false)) {
            write(event, tokens);
            return (ObjectNode) Trees.MAPPER.readTree(tokens.asParser());
        } catch (IOException e) {
            throw new UncheckedIOException("building the JSON tree of an event", e);
        }
    }

    /**
     * A member of an object: one field's value, or an object grouping the fields of a dotted prefix.
     * Its name is quoted and escaped once ({@code key}), not for every event.
     */
    private sealed interface Member<E> permits Value, Group {
        String name();

        SerializableString key();
    }

    private record Value<E>(String name, SerializableString key, Field<E> field) implements Member<E> {
        Value(String name, Field<E> field) {
            this(name, new SerializedString(name), field);
        }
    }

    private record Group<E>(String name, SerializableString key, List<Member<E>> members) implements Member<E> {
        Group(String name, List<Member<E>> members) {
            this(name, new SerializedString(name), members);
        }
    }

    /** Each group sits where its first field would. */
    private static <E> List<Member<E>> layout(List<Field<E>> fields) {
        List<Member<E>> root = new ArrayList<>();
        for (Field<E> field : fields) {
            List<Member<E>> parent = root;
            String name = field.name();
            int dot;
            while ((dot = name.indexOf('.')) >= 0) {
                parent = group(parent, name.substring(0, dot), field.name());
                name = name.substring(dot + 1);
            }
            String leaf = name;
            if (parent.stream().anyMatch(member -> member.name().equals(leaf))) {
                throw new IllegalArgumentException("two fields are named " + field.name());
            }
            parent.add(new Value<>(name, field));
        }
        return root;
    }

    private static <E> List<Member<E>> group(List<Member<E>> parent, String name, String fieldName) {
        for (Member<E> member : parent) {
            if (member.name().equals(name)) {
                if (member instanceof Group<E> group) {
                    return group.members();
                }
                throw new IllegalArgumentException("field " + fieldName + " nests under " + name
                        + ", which is a field itself");
            }
        }
        Group<E> group = new Group<>(name, new ArrayList<>());
        parent.add(group);
        return group.members();
    }

    private static <E> void writeObject(List<Member<E>> members, E event, JsonGenerator out) throws IOException {
        out.writeStartObject();
        for (Member<E> member : members) {
            out.writeFieldName(member.key());
            switch (member) {
                case Value<E> value -> writeValue(value.field().value().apply(event), value.name(), out);
                case Group<E> group -> writeObject(group.members(), event, out);
            }
        }
        out.writeEndObject();
    }

    private static void writeValue(Object value, String name, JsonGenerator out) throws IOException {
        switch (value) {
            case null -> out.writeNull();
            case Integer i -> out.writeNumber(i);
            case Long l -> out.writeNumber(l);
            case Boolean b -> out.writeBoolean(b);
            case String s -> out.writeString(s);
            case List<?> list -> {
                out.writeStartArray();
                for (Object item : list) {
                    out.writeString(String.valueOf(item));
                }
                out.writeEndArray();
            }
            default -> throw new IllegalArgumentException("field " + name + " has a value of unsupported type "
                    + value.getClass().getName());
        }
    }
}
