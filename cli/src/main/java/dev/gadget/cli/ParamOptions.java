package dev.gadget.cli;

import dev.gadget.gadgets.model.GadgetDescription;
import dev.gadget.gadgets.model.ParamSpec;
import dev.gadget.gadgets.model.ParamType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A gadget's parameters as command-line options, derived from its description: --name (and -x when it
 * has a short name), help from the description, completion of allowed values. Values stay text here;
 * the description checks them, for every front end alike.
 */
public final class ParamOptions {
    private ParamOptions() {
    }

    public static void add(CommandSpec command, GadgetDescription gadget) {
        for (ParamSpec param : gadget.params()) {
            List<String> names = new ArrayList<>(List.of(param.flag()));
            if (!param.shortName().isEmpty()) {
                names.addFirst("-" + param.shortName());
            }
            OptionSpec.Builder option = OptionSpec.builder(names.toArray(String[]::new)).type(String.class)
                    .description(param.description() + ": " + param.takes()
                            + (param.defaultValue() == null || param.type() == ParamType.BOOL ? ""
                                    : " (default: " + param.defaultValue() + ")"));
            if (param.type() == ParamType.BOOL) {
                option.arity("0..1").fallbackValue("true").paramLabel("true|false").hideParamSyntax(false);
            } else {
                option.paramLabel(param.type().name());
            }
            if (!param.allowed().isEmpty()) {
                option.completionCandidates(param.allowed());
            }
            command.addOption(option.build());
        }
    }

    /** The parameters given on the command line, by name, as typed. */
    public static Map<String, String> given(CommandSpec command, GadgetDescription gadget) {
        Map<String, String> given = new LinkedHashMap<>();
        for (ParamSpec param : gadget.params()) {
            String value = command.findOption(param.flag()).getValue();
            if (value != null) {
                given.put(param.name(), value);
            }
        }
        return given;
    }
}
