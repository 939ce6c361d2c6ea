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

/** Help, version and completion; bad usage is docs/bad-input.md's table, run by BadInputCliTest. */
class CliUsageTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

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
