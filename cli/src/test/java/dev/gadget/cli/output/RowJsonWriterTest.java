package dev.gadget.cli.output;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gadget.gadgets.model.FieldSpec;
import dev.gadget.gadgets.model.FieldType;
import dev.gadget.gadgets.model.Text;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowJsonWriterTest {
    private static final List<FieldSpec> FIELDS = List.of(
            FieldSpec.of("runtime.containerName", FieldType.STRING, "c"),
            FieldSpec.of("pid", FieldType.INT, "p"),
            FieldSpec.of("big", FieldType.UINT, "b"),
            FieldSpec.of("comm", FieldType.STRING, "c"),
            FieldSpec.of("flag", FieldType.BOOL, "f"),
            FieldSpec.of("args", FieldType.STRING_LIST, "a"),
            FieldSpec.of("k8s.pod.name", FieldType.STRING, "k"),
            FieldSpec.of("runtime.containerId", FieldType.STRING, "i"),
            FieldSpec.of("raw", FieldType.BYTES, "r"));

    @Test
    void fieldsBecomeMembersAndDottedNamesNestWhereTheirFirstFieldStands() throws IOException {
        List<Object> row = List.of("web", 42L, 1L << 40, "sh", true, List.of("sh", "-c", ""), "web-1", "abc",
                new byte[] {1, 2, 3});

        assertEquals("{\"runtime\":{\"containerName\":\"web\",\"containerId\":\"abc\"},\"pid\":42,"
                + "\"big\":1099511627776,\"comm\":\"sh\",\"flag\":true,\"args\":[\"sh\",\"-c\",\"\"],"
                + "\"k8s\":{\"pod\":{\"name\":\"web-1\"}},\"raw\":\"AQID\"}", write(row));
    }

    @Test
    void stringsAreEscapedUnsignedNumbersStayUnsignedAndAbsentValuesAreNull() throws IOException {
        List<Object> row = Arrays.asList(null, -1L, -1L, "quote\" back\\slash\ttab ü \u0001", null,
                List.of("a"), "p", "abc", null);

        assertEquals("{\"runtime\":{\"containerName\":null,\"containerId\":\"abc\"},\"pid\":-1,"
                + "\"big\":18446744073709551615,\"comm\":\"quote\\\" back\\\\slash\\ttab ü \\u0001\","
                + "\"flag\":null,\"args\":[\"a\"],\"k8s\":{\"pod\":{\"name\":\"p\"}},\"raw\":null}", write(row));
    }

    @Test
    void bytesThatWereNotUtf8AreEscapedButASurrogatePairIsNot() throws IOException {
        // U+10080 is the pair D800 DC80: its low half looks like the stand-in of byte 0x80, and is not one.
        String odd = Text.decode(new byte[] {'a', (byte) 0x80, (byte) 0xff, 'b'}) + "\uD800\uDC80\b\f\u007f";
        List<Object> row = Arrays.asList(null, 1L, 2L, odd, false, List.of(odd), "p", "abc", new byte[0]);

        String json = write(row);

        assertEquals("{\"runtime\":{\"containerName\":null,\"containerId\":\"abc\"},\"pid\":1,\"big\":2,"
                + "\"comm\":\"a\\udc80\\udcffb\uD800\uDC80\\b\\f\u007f\",\"flag\":false,"
                + "\"args\":[\"a\\udc80\\udcffb\uD800\uDC80\\b\\f\u007f\"],\"k8s\":{\"pod\":{\"name\":\"p\"}},"
                + "\"raw\":\"\"}", json);
        assertArrayEquals(Text.encode(odd), Text.encode(new ObjectMapper().readTree(json).get("comm").asText()));
    }

    /** The row by hand (one-line JSON) and through Jackson's generator (jsonpretty's path): the same text. */
    private static String write(List<Object> row) throws IOException {
        StringWriter text = new StringWriter();
        try (JsonGenerator out = new JsonFactory().createGenerator(text)) {
            new RowJsonWriter(FIELDS).write(row, out);
        }
        StringBuilder byHand = new StringBuilder();
        new RowJsonWriter(FIELDS).append(row, byHand);
        assertEquals(text.toString(), byHand.toString());
        return byHand.toString();
    }
}
