package dev.gadget.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.gadget.gadgets.EventJson;
import dev.gadget.gadgets.Field;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;

/** JSON, one object per line (json) or indented (jsonpretty). */
final class JsonPrinter<E> implements EventPrinter<E> {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final List<Field<E>> fields;
    private final ObjectWriter writer;
    private final PrintWriter out;

    JsonPrinter(List<Field<E>> fields, boolean pretty, PrintWriter out) {
        this.fields = fields;
        this.writer = pretty ? MAPPER.writerWithDefaultPrettyPrinter() : MAPPER.writer();
        this.out = out;
    }

    @Override
    public void start() {
    }

    @Override
    public void print(E event) {
        try {
            out.append(writer.writeValueAsString(EventJson.of(event, fields))).append('\n');
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("writing an event as JSON", e);
        }
    }
}
