package dev.gadget.gadgets;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** An event as JSON: one member per field, dotted field names nested ("runtime.containerName"). */
public final class EventJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private EventJson() {
    }

    public static <E> ObjectNode of(E event, List<Field<E>> fields) {
        ObjectNode json = NODES.objectNode();
        for (Field<E> field : fields) {
            ObjectNode parent = json;
            String name = field.name();
            int dot;
            while ((dot = name.indexOf('.')) >= 0) {
                parent = parent.withObjectProperty(name.substring(0, dot));
                name = name.substring(dot + 1);
            }
            put(parent, name, field.value().apply(event));
        }
        return json;
    }

    private static void put(ObjectNode parent, String name, Object value) {
        switch (value) {
            case null -> parent.putNull(name);
            case Integer i -> parent.put(name, i);
            case Long l -> parent.put(name, l);
            case Boolean b -> parent.put(name, b);
            case String s -> parent.put(name, s);
            case List<?> list -> {
                ArrayNode array = parent.putArray(name);
                list.forEach(item -> array.add(String.valueOf(item)));
            }
            default -> throw new IllegalArgumentException("field " + name + " has a value of unsupported type "
                    + value.getClass().getName());
        }
    }
}
