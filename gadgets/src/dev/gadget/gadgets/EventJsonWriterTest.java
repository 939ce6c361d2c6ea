package dev.gadget.gadgets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventJsonWriterTest {
    record Sample(int pid, long big, String name, Boolean flag, List<String> args, String container) {
    }

    private static final List<Field<Sample>> FIELDS = List.of(
            Field.text("runtime.containerName", 16, Sample::container),
            Field.number("pid", 7, Sample::pid),
            Field.number("big", 7, Sample::big),
            Field.text("comm", 16, Sample::name),
            new Field<>("flag", 5, Field.Align.LEFT, Sample::flag, s -> ""),
            new Field<>("args", 0, Field.Align.LEFT, Sample::args, s -> ""),
            Field.text("k8s.pod.name", 16, s -> "web-1"),
            Field.text("runtime.containerId", 16, s -> "abc"));

    @Test
    void fieldsBecomeMembersAndDottedNamesNestWhereTheirFirstFieldStands() throws IOException {
        Sample sample = new Sample(42, 1L << 40, "sh", true, List.of("sh", "-c", ""), "web");

        assertEquals("{\"runtime\":{\"containerName\":\"web\",\"containerId\":\"abc\"},\"pid\":42,"
                + "\"big\":1099511627776,\"comm\":\"sh\",\"flag\":true,\"args\":[\"sh\",\"-c\",\"\"],"
                + "\"k8s\":{\"pod\":{\"name\":\"web-1\"}}}", write(sample));
    }

    @Test
    void stringsAreEscapedAndAbsentValuesAreNull() throws IOException {
        Sample sample = new Sample(-1, Long.MIN_VALUE, "quote\" back\\slash\ttab ü \u0001", null,
                Arrays.asList("a", null), null);

        assertEquals("{\"runtime\":{\"containerName\":null,\"containerId\":\"abc\"},\"pid\":-1,"
                + "\"big\":-9223372036854775808,\"comm\":\"quote\\\" back\\\\slash\\ttab ü \\u0001\","
                + "\"flag\":null,\"args\":[\"a\",\"null\"],\"k8s\":{\"pod\":{\"name\":\"web-1\"}}}", write(sample));
    }

    @Test
    void theTreeHoldsWhatIsWritten() throws IOException {
        Sample sample = new Sample(7, 8, "x", false, List.of(), "c");

        assertEquals(write(sample), new EventJsonWriter<>(FIELDS).toTree(sample).toString());
    }

    @Test
    void refusesFieldsWhoseNamesCollide() {
        Field<Sample> pid = Field.number("pid", 7, Sample::pid);
        Field<Sample> nested = Field.number("pid.ns", 7, Sample::pid);

        assertThrows(IllegalArgumentException.class, () -> new EventJsonWriter<>(List.of(pid, pid)));
        assertThrows(IllegalArgumentException.class, () -> new EventJsonWriter<>(List.of(pid, nested)));
    }

    private static String write(Sample sample) throws IOException {
        StringWriter text = new StringWriter();
        try (JsonGenerator out = new JsonFactory().createGenerator(text)) {
            new EventJsonWriter<>(FIELDS).write(sample, out);
        }
        return text.toString();
    }
}
