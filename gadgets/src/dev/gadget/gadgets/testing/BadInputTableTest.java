package dev.gadget.gadgets.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** docs/bad-input.md reads as the front ends' tests expect, and its notation means what it says. */
class BadInputTableTest {

    @Test
    void theDocumentHasATablePerFrontEndAndAtLeastSixtyRows() {
        BadInputTable table = BadInputTable.load();

        assertEquals(List.of("cli", "daemon", "kubectl"), List.copyOf(table.frontEnds()));
        int rows = 0;
        for (String frontEnd : table.frontEnds()) {
            for (BadInputTable.Row row : table.rows(frontEnd)) {
                assertTrue(row.id().startsWith(frontEnd + "-"), row.toString());
                assertFalse(row.cell("Error").isBlank(), row.toString());
                rows++;
            }
        }
        assertTrue(rows >= 60, rows + " rows");
    }

    @Test
    void cellsAreSplitAtUnescapedBarsAndUnquoted() {
        BadInputTable table = BadInputTable.parse("""
                text before
                <!-- bad-input: one -->
                | Id | Input | Error |
                |----|-------|-------|
                | one-1 | `a \\| b` | `x` |
                | one-2 | | `…` |
                after
                | not | a | row |
                """);

        assertEquals(Set.of("one"), table.frontEnds());
        assertEquals(2, table.rows("one").size());
        assertEquals("a | b", table.rows("one").getFirst().cell("Input"));
        assertEquals("", table.rows("one").getLast().cell("Input"));
        assertEquals(List.of(), table.rows("two"));
    }

    @Test
    void aRowWithTheWrongNumberOfCellsOrAnIdTwiceIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> BadInputTable.parse("<!-- bad-input: a -->\n| Id | X |\n|--|--|\n| a-1 |\n"));
        assertThrows(IllegalArgumentException.class,
                () -> BadInputTable.parse("<!-- bad-input: a -->\n| Id | X |\n|--|--|\n| a-1 | x |\n| a-1 | y |\n"));
    }

    @Test
    void wordsAreSplitAtSpacesAndQuotesKeepThemWhole() {
        assertEquals(List.of("trace", "exec", "-c", ""), BadInputTable.words("trace exec -c ''"));
        assertEquals(List.of("a b", "c"), BadInputTable.words("'a b' c"));
        assertEquals(List.of(), BadInputTable.words("(none)"));
        assertEquals(List.of("xxx"), BadInputTable.words("«3×x»"));
    }

    @Test
    void bodiesExpandRepetitionsAndRawBytes() {
        assertArrayEquals(new byte[] {'[', '[', ']', ']', (byte) 0xff}, BadInputTable.bytes("«2×[»«2×]»«0xff»"));
    }

    @Test
    void anExpectationEndingInAnEllipsisIsAPrefix() {
        assertTrue(BadInputTable.matches("pick one of …", "pick one of a, b"));
        assertFalse(BadInputTable.matches("pick one of a", "pick one of a, b"));
        assertTrue(BadInputTable.matches("exactly", "exactly"));
    }
}
