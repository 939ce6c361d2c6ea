package dev.gadget.cli;

import dev.gadget.bpf.BpfException;
import dev.gadget.gadgets.catalog.Catalog;
import dev.gadget.gadgets.model.GadgetDescription;
import dev.gadget.gadgets.model.ParamException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/** Builds the command tree (gadget CATEGORY NAME, completion) and runs it with one-line errors. */
public final class Cli {
    static final int USAGE_ERROR = 2;
    static final int FAILURE = 1;

    private Cli() {
    }

    @Command(name = "gadget", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Inspect this Linux host with eBPF gadgets: run as root on the machine itself.",
            subcommands = CompletionCommand.class)
    static final class Root implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            throw new ParameterException(spec.commandLine(), "missing command: pick one of " + commands(spec));
        }
    }

    /** A group of gadgets such as "trace"; running it alone is a usage error. */
    @Command(mixinStandardHelpOptions = true)
    static final class Category implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            throw new ParameterException(spec.commandLine(), "missing gadget: pick one of " + commands(spec));
        }
    }

    public static CommandLine commandLine() {
        CommandLine root = new CommandLine(new Root());
        Map<String, List<GadgetDescription>> byCategory = Catalog.descriptions().stream()
                .collect(Collectors.groupingBy(GadgetDescription::category, TreeMap::new, Collectors.toList()));
        byCategory.forEach((category, gadgets) -> {
            CommandLine group = new CommandLine(new Category());
            group.getCommandSpec().usageMessage().description(switch (gadgets.getFirst().kind()) {
                case TRACE -> "Gadgets that stream an event each time the kernel does something.";
                case SNAPSHOT -> "Gadgets that list what is there right now.";
                case TOP -> "Gadgets that show, every interval, what was busiest.";
                case PROFILE -> "Gadgets that sample for a while, then report.";
            });
            for (GadgetDescription gadget : gadgets) {
                group.addSubcommand(gadget.name(), GadgetCommand.commandLine(gadget));
            }
            root.addSubcommand(category, group);
        });
        return root;
    }

    /** Runs the command line; returns the exit status: 0 done, 1 failed, 2 bad usage. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = commandLine();
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setParameterExceptionHandler((e, ignored) -> {
            err.println("Error: " + oneLine(e) + " (see '" + e.getCommandLine().getCommandSpec().qualifiedName()
                    + " --help')");
            return USAGE_ERROR;
        });
        commandLine.setExecutionExceptionHandler((e, failed, ignored) -> {
            if (e instanceof ParamException) { // values a gadget refuses together, found as it opens
                err.println("Error: " + e.getMessage() + " (see '" + failed.getCommandSpec().qualifiedName() + " --help')");
                return USAGE_ERROR;
            }
            if (e instanceof BpfException || e instanceof IllegalStateException) {
                err.println("Error: " + e.getMessage());
                return FAILURE;
            }
            throw e;
        });
        return commandLine.execute(args);
    }

    private static String oneLine(ParameterException e) {
        if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            CommandSpec spec = e.getCommandLine().getCommandSpec();
            String unknown = unmatched.getUnmatched().getFirst();
            boolean command = !unknown.startsWith("-") && !spec.subcommands().isEmpty();
            return "unknown " + (unknown.startsWith("-") ? "option" : command ? "command" : "argument") + " '" + unknown
                    + "' for '" + spec.qualifiedName() + "'" + (command ? ": pick one of " + commands(spec) : "");
        }
        return e.getMessage().lines().findFirst().orElse("bad usage");
    }

    private static String commands(CommandSpec spec) {
        return String.join(", ", spec.subcommands().keySet());
    }
}
