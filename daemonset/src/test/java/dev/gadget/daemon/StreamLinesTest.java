package dev.gadget.daemon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gadget.gadgets.model.FieldSpec;
import dev.gadget.gadgets.model.FieldType;
import dev.gadget.gadgets.model.RunMessage;
import dev.gadget.gadgets.model.Text;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rows on the wire: every field type comes back as it was, unsigned 64-bit values and raw bytes included. */
class StreamLinesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<FieldSpec> FIELDS = List.of(FieldSpec.of("u", FieldType.UINT, "U"),
            FieldSpec.of("i", FieldType.INT, "I"), FieldSpec.of("s", FieldType.STRING, "S"),
            FieldSpec.of("l", FieldType.STRING_LIST, "L"), FieldSpec.of("b", FieldType.BOOL, "B"),
            FieldSpec.of("e", FieldType.ERRNO, "E"), FieldSpec.of("x", FieldType.BYTES, "X"),
            FieldSpec.of("n", FieldType.STRING, "N"));
    private static final StreamLines LINES = new StreamLines(FIELDS);

    @Test
    void anEventComesBackValueForValue() throws Exception {
        String odd = Text.decode(new byte[] {'a', (byte) 0xff, 'b'});
        List<Object> row = Arrays.asList(-1L, Long.MIN_VALUE, "ünï ✓ " + odd + " \uD83D\uDE00", List.of(odd, ""), true, -2L,
                new byte[] {0, 1, (byte) 0xfe}, null);
        byte[] line = LINES.line(new RunMessage.Event(row));

        String text = new String(line, StandardCharsets.UTF_8);
        assertEquals('\n', text.charAt(text.length() - 1));
        assertEquals(1, text.lines().count(), "one line");
        assertEquals(true, text.startsWith("{\"type\":\"event\",\"values\":[18446744073709551615,-9223372036854775808,"), text);
        List<Object> back = back(((RunMessage.Event) JSON.readValue(line, RunMessage.class)).values());
        assertEquals(row.subList(0, 6), back.subList(0, 6));
        assertArrayEquals((byte[]) row.get(6), (byte[]) back.get(6));
        assertEquals(null, back.get(7));
    }

    @Test
    void aTableIsItsRowsAndOtherMessagesAreTheModelsRecords() throws Exception {
        List<Object> row = Arrays.asList(7L, 8L, "s", List.of(), false, 0L, new byte[0], "n");
        RunMessage.Table table = (RunMessage.Table) JSON.readValue(LINES.line(new RunMessage.Table(List.of(row, row))),
                RunMessage.class);
        assertEquals(2, table.rows().size());
        assertEquals(row.subList(0, 6), back(table.rows().get(1)).subList(0, 6));
        RunMessage lost = new RunMessage.Lost(RunMessage.Lost.Where.KERNEL_RING, 3, 9);
        assertEquals(lost, JSON.readValue(LINES.line(lost), RunMessage.class));
    }

    private static List<Object> back(List<Object> values) {
        List<Object> typed = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            typed.add(values.get(i) == null ? null : FIELDS.get(i).type().coerce(values.get(i)));
        }
        return typed;
    }
}
