package dev.gadget.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gadget.gadgets.catalog.Catalog;
import dev.gadget.gadgets.model.FieldSpec;
import dev.gadget.gadgets.model.GadgetDescription;
import dev.gadget.gadgets.model.ParamSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad usage ends with one line on stderr and exit status 2, before any BPF is loaded. */
class CliUsageTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "trace nope           | Error: unknown command 'nope' for 'gadget trace': pick one of exec",
        "nope                 | Error: unknown command 'nope' for 'gadget': pick one of completion, ",
        "trace                | Error: missing gadget: pick one of exec",
        "trace exec --nope    | Error: unknown option '--nope' for 'gadget trace exec'",
        "trace exec -o xml    | Error: invalid value for option '--output': 'xml' is not an output format",
        "trace exec -o columns=pid,nope | Error: invalid value for option '--output': unknown column 'nope'",
        "trace exec -t 0      | Error: --timeout must be a positive number of seconds, not 0",
        "trace exec -t soon   | Error: Invalid value for option '--timeout': 'soon' is not an int",
        "trace exec -c web --host | Error: -c/--containername and --host exclude each other",
        "trace exec --host-root /nonexistent | Error: --host-root '/nonexistent' is not a directory",
        "trace exec -c ,      | Error: -c/--containername needs container names, got an empty one",
        "trace exec -o columns=pid,,comm | Error: invalid value for option '--output': 'columns=pid,,comm' names an empty column",
        "trace exec -o columns=, | Error: invalid value for option '--output': 'columns=,' names an empty column",
        "profile cpu -F 0     | Error: --frequency: 0 is not a number from 1 to 100000",
    })
    void badUsageIsOneLineAndStatusTwo(String args, String expectedStart) {
        int status = run(args.split(" "));

        assertEquals(2, status);
        assertEquals("", out.toString());
        assertTrue(err.toString().startsWith(expectedStart), err.toString());
        assertEquals(1, err.toString().lines().count(), err.toString());
    }

    @Test
    void anEmptyHostRootIsNotTheCurrentDirectory() {
        assertEquals(2, run("trace", "exec", "--host-root", ""));
        assertTrue(err.toString().startsWith("Error: --host-root '' is not a directory"), err.toString());
    }

    @Test
    void everyCommandTellsItsVersion() {
        for (String command : new String[] {"", "trace ", "trace exec "}) {
            out.getBuffer().setLength(0);
            assertEquals(0, run((command + "-V").split(" ")), command);
            assertTrue(out.toString().startsWith("gadget "), command + "-V printed: " + out);
        }
    }

    @Test
    void helpAndCompletionListEveryGadgetAndParameterOfTheCatalog() {
        assertEquals(0, run("completion"));
        String completion = out.toString();
        for (GadgetDescription gadget : Catalog.descriptions()) {
            assertTrue(completion.contains(gadget.name()), gadget.id() + " in the completion script");
            out.getBuffer().setLength(0);
            assertEquals(0, run(gadget.category(), gadget.name(), "--help"), gadget.id());
            String help = out.toString();
            assertTrue(help.startsWith("Usage: gadget " + gadget.id()), help);
            assertTrue(help.replaceAll("\\s+", " ").contains(gadget.description()), help);
            for (ParamSpec param : gadget.params()) {
                assertTrue(help.contains(param.flag()), param.flag() + " in the help of " + gadget.id());
                assertTrue(completion.contains(param.flag()), param.flag() + " in the completion script");
            }
            for (FieldSpec field : gadget.fields()) {
                assertTrue(help.contains(field.name()), field.name() + " in the help of " + gadget.id());
            }
        }
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"", "trace ", "trace exec ", "completion "}) {
            out.getBuffer().setLength(0);
            assertEquals(0, run((command + "--help").split(" ")), command);
            assertTrue(out.toString().startsWith("Usage: gadget"), out.toString());
        }
        assertTrue(out.toString().contains("source <(gadget completion)"));
    }

    @Test
    void traceExecHelpListsItsOptions() {
        run("trace", "exec", "--help");
        for (String option : new String[] {"--output", "--timeout", "--paths", "--containername", "--host",
            "--host-root", "--verbose"}) {
            assertTrue(out.toString().contains(option), option + " in " + out);
        }
    }

    @Test
    void completionScriptCompletesGadgets() {
        assertEquals(0, run("completion"));
        assertTrue(out.toString().contains("complete -F"), "a bash completion script");
        assertTrue(out.toString().contains("exec"), "knows the gadgets");
    }

    private int run(String... args) {
        int status = Cli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return status;
    }
}
