package dev.gadget.daemon;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.gadget.gadgets.model.FieldSpec;
import dev.gadget.gadgets.model.FieldType;
import dev.gadget.gadgets.model.RunMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A run's messages as stream lines. Rows are written by the types of the run's fields, so that an
 * unsigned 64-bit value above 2^63 comes out as the number it is (a Long holds it as negative), as
 * the CLI's JSON writes it; everything else as the model's records.
 */
final class StreamLines {
    private final List<FieldType> types;

    StreamLines(List<FieldSpec> fields) {
        this.types = fields.stream().map(FieldSpec::type).toList();
    }

    byte[] line(RunMessage message) {
        return switch (message) {
            case RunMessage.Event event -> write(out -> {
                out.writeStartObject();
                out.writeStringField("type", "event");
                out.writeFieldName("values");
                row(event.values(), out);
                out.writeEndObject();
            });
            case RunMessage.Table table -> write(out -> {
                out.writeStartObject();
                out.writeStringField("type", "table");
                out.writeArrayFieldStart("rows");
                for (List<Object> row : table.rows()) {
                    row(row, out);
                }
                out.writeEndArray();
                out.writeEndObject();
            });
            default -> Json.line(message);
        };
    }

    private void row(List<Object> values, JsonGenerator out) throws IOException {
        if (values.size() != types.size()) {
            throw new IllegalStateException("a row of " + values.size() + " values for " + types.size() + " fields");
        }
        out.writeStartArray();
        for (int i = 0; i < values.size(); i++) {
            boolean unsigned = types.get(i) == FieldType.UINT;
            switch (values.get(i)) {
                case null -> out.writeNull();
                case Long l when unsigned && l < 0 -> out.writeNumber(Long.toUnsignedString(l));
                case Long l -> out.writeNumber(l);
                case Integer n -> out.writeNumber(n);
                case Boolean b -> out.writeBoolean(b);
                case String s -> out.writeString(s);
                case byte[] bytes -> out.writeBinary(bytes);
                case List<?> list -> {
                    out.writeStartArray();
                    for (Object item : list) {
                        out.writeString(String.valueOf(item));
                    }
                    out.writeEndArray();
                }
                default -> throw new IllegalStateException("field " + i + " holds a " + values.get(i).getClass().getName()
                        + ", which no field type has");
            }
        }
        out.writeEndArray();
    }

    private interface Writing {
        void to(JsonGenerator out) throws IOException;
    }

    private static byte[] write(Writing writing) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator out = Json.generator(bytes)) {
            writing.to(out);
        } catch (IOException e) {
            throw new UncheckedIOException("writing a stream line", e);
        }
        bytes.write('\n');
        return bytes.toByteArray();
    }
}
