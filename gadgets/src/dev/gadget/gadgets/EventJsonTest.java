package dev.gadget.gadgets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class EventJsonTest {
    record Sample(int pid, long big, String name, boolean flag, List<String> args, String container) {
    }

    @Test
    void fieldsBecomeMembersAndDottedNamesNest() {
        List<Field<Sample>> fields = List.of(
                Field.number("pid", 7, Sample::pid),
                Field.number("big", 7, Sample::big),
                Field.text("comm", 16, Sample::name),
                new Field<>("flag", 5, Field.Align.LEFT, Sample::flag, s -> ""),
                new Field<>("args", 0, Field.Align.LEFT, Sample::args, s -> ""),
                Field.text("runtime.containerName", 16, Sample::container),
                Field.text("runtime.containerId", 16, s -> "abc"));
        Sample sample = new Sample(42, 1L << 40, "sh", true, List.of("sh", "-c", ""), "web");

        assertEquals("{\"pid\":42,\"big\":1099511627776,\"comm\":\"sh\",\"flag\":true,\"args\":[\"sh\",\"-c\",\"\"],"
                + "\"runtime\":{\"containerName\":\"web\",\"containerId\":\"abc\"}}",
                EventJson.of(sample, fields).toString());
    }
}
