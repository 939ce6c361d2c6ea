package dev.gadget.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class OutputFormatTest {

    @Test
    void parsesEveryChoice() {
        assertEquals(new OutputFormat.Columns(List.of()), OutputFormat.parse("columns"));
        assertEquals(new OutputFormat.Columns(List.of("pid", "comm", "args")), OutputFormat.parse("columns=pid, comm,args"));
        assertEquals(new OutputFormat.Json(), OutputFormat.parse("json"));
        assertEquals(new OutputFormat.JsonPretty(), OutputFormat.parse("jsonpretty"));
        assertEquals(new OutputFormat.Yaml(), OutputFormat.parse("yaml"));
    }

    @Test
    void rejectsWhatItDoesNotKnowNamingTheChoices() {
        for (String bad : List.of("xml", "columns=", "columns=,", "JSON", "")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OutputFormat.parse(bad));
            assertTrue(e.getMessage().contains("jsonpretty"), e.getMessage());
        }
    }
}
