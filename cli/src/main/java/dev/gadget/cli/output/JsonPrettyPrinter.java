package dev.gadget.cli.output;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import dev.gadget.gadgets.model.FieldSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Indented JSON (jsonpretty): an event as one object, a table as one array of objects, in Jackson's
 * default layout. Rows stream through one generator into the output writer: no tree and no string per row.
 */
final class JsonPrettyPrinter implements RunPrinter {
    private static final JsonFactory FACTORY = new JsonFactoryBuilder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .disable(StreamWriteFeature.FLUSH_PASSED_TO_STREAM)
            .rootValueSeparator((String) null) // each row or table ends with its own newline
            .build();

    private final RowJsonWriter json;
    private final JsonGenerator generator;

    JsonPrettyPrinter(List<FieldSpec> fields, PrintWriter out) {
        this.json = new RowJsonWriter(fields);
        try {
            this.generator = FACTORY.createGenerator(out);
        } catch (IOException e) {
            throw new UncheckedIOException("starting JSON output", e);
        }
        // Jackson's default pretty printing, without its separator between root values: newlines part them.
        generator.setPrettyPrinter(new DefaultPrettyPrinter(Separators.createDefaultInstance().withRootSeparator("")));
    }

    @Override
    public void start() {
    }

    @Override
    public void event(List<Object> values) {
        try {
            json.write(values, generator);
            end();
        } catch (IOException e) {
            throw new UncheckedIOException("writing an event as JSON", e);
        }
    }

    @Override
    public void table(List<List<Object>> rows) {
        try {
            generator.writeStartArray();
            for (List<Object> row : rows) {
                json.write(row, generator);
            }
            generator.writeEndArray();
            end();
        } catch (IOException e) {
            throw new UncheckedIOException("writing a table as JSON", e);
        }
    }

    private void end() throws IOException {
        generator.writeRaw('\n');
        generator.flush(); // into the PrintWriter, which the caller flushes per batch
    }
}
