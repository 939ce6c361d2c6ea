package dev.gadget.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gadget.bpf.RequiresBpf;
import dev.gadget.gadgets.testing.BadInputTable;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every row of docs/bad-input.md's command-line table, run as the launcher runs the command: one line
 * on stderr, as the row says, nothing on stdout, and the row's exit status. A few rows (values a gadget
 * refuses together) are found only as the gadget opens, after the container registry loaded its BPF.
 */
@ExtendWith(RequiresBpf.class)
class BadInputCliTest {

    @TestFactory
    Stream<DynamicTest> everyRowOfTheCommandLineTable() {
        List<BadInputTable.Row> rows = BadInputTable.load().rows("cli");
        assertTrue(rows.size() >= 30, "docs/bad-input.md has " + rows.size() + " command-line rows");
        return rows.stream().map(row -> DynamicTest.dynamicTest(row.id() + ": gadget " + row.cell("Arguments"),
                () -> check(row)));
    }

    private static void check(BadInputTable.Row row) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Cli.execute(BadInputTable.words(row.cell("Arguments")).toArray(String[]::new),
                new PrintWriter(out, true), new PrintWriter(err, true));

        BadInputTable.assertCommandLineAnswer(row, status, out.toString(), err.toString());
    }
}
