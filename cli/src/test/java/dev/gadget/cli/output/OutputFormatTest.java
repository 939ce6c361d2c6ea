package dev.gadget.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gadget.gadgets.model.GadgetKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputFormatTest {

    @Test
    void parsesEveryChoice() {
        assertEquals(new OutputFormat.Columns(List.of()), OutputFormat.parse("columns", GadgetKind.TRACE));
        assertEquals(new OutputFormat.Columns(List.of("pid", "comm", "args")),
                OutputFormat.parse("columns=pid, comm,args", GadgetKind.TRACE));
        assertEquals(new OutputFormat.Json(), OutputFormat.parse("json", GadgetKind.TRACE));
        assertEquals(new OutputFormat.JsonPretty(), OutputFormat.parse("jsonpretty", GadgetKind.TOP));
        assertEquals(new OutputFormat.Yaml(), OutputFormat.parse("yaml", GadgetKind.SNAPSHOT));
        assertEquals(new OutputFormat.Folded(), OutputFormat.parse("folded", GadgetKind.PROFILE));
        assertEquals(new OutputFormat.Svg(), OutputFormat.parse("svg", GadgetKind.PROFILE));
    }

    @Test
    void rejectsWhatItDoesNotKnowNamingTheChoices() {
        for (String bad : List.of("xml", "columns=", "columns=,", "columns=pid,,comm", "columns=pid,", "JSON", "")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> OutputFormat.parse(bad, GadgetKind.TRACE));
            assertTrue(e.getMessage().contains("jsonpretty") || e.getMessage().contains("e.g. columns=pid,comm"),
                    e.getMessage());
        }
    }

    @Test
    void foldedStacksAndFlameGraphsAreForProfilesOnly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OutputFormat.parse("svg", GadgetKind.TRACE));
        assertEquals("'svg' is for profile gadgets only: use columns, columns=<field,...>, json, jsonpretty, yaml",
                e.getMessage());
    }
}
