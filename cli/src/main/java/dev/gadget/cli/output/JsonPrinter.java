package dev.gadget.cli.output;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import dev.gadget.gadgets.EventJsonWriter;
import dev.gadget.gadgets.Field;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * JSON, one object per line (json) or indented (jsonpretty). Events stream through one generator
 * into the output writer: no tree and no string per event.
 */
final class JsonPrinter<E> implements EventPrinter<E> {
    private static final JsonFactory FACTORY = new JsonFactoryBuilder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .disable(StreamWriteFeature.FLUSH_PASSED_TO_STREAM)
            .rootValueSeparator((String) null) // each event ends with its own newline
            .build();

    private final EventJsonWriter<E> json;
    private final JsonGenerator generator;

    JsonPrinter(List<Field<E>> fields, boolean pretty, PrintWriter out) {
        this.json = new EventJsonWriter<>(fields);
        try {
            this.generator = FACTORY.createGenerator(out);
        } catch (IOException e) {
            throw new UncheckedIOException("starting JSON output", e);
        }
        if (pretty) {
            // Jackson's default pretty printing, without its separator between root values: newlines part events.
            generator.setPrettyPrinter(new DefaultPrettyPrinter(Separators.createDefaultInstance().withRootSeparator("")));
        }
    }

    @Override
    public void start() {
    }

    @Override
    public void print(E event) {
        try {
            json.write(event, generator);
            generator.writeRaw('\n');
            generator.flush(); // into the PrintWriter, which the caller flushes per batch
        } catch (IOException e) {
            throw new UncheckedIOException("writing an event as JSON", e);
        }
    }
}
