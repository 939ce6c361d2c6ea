package dev.gadget.cli;

import dev.gadget.bpf.BpfException;
import dev.gadget.gadgets.catalog.Catalog;
import dev.gadget.gadgets.model.GadgetDescription;
import dev.gadget.gadgets.model.ParamException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

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

    static CommandLine commandLine(Output output) {
        CommandLine root = new CommandLine(new Root());
        Map<String, List<GadgetDescription>> byCategory = Catalog.descriptions().stream()
                .collect(Collectors.groupingBy(GadgetDescription::category, TreeMap::new, Collectors.toList()));
        byCategory.forEach((category, gadgets) -> {
            CommandLine group = new CommandLine(new Category());
            group.getCommandSpec().usageMessage().description(HelpText.category(gadgets.getFirst().kind()));
            for (GadgetDescription gadget : gadgets) {
                group.addSubcommand(gadget.name(), GadgetCommand.commandLine(gadget, output));
            }
            root.addSubcommand(category, group);
        });
        withVersion(root);
        return root;
    }

    /** -V/--version works on every command, not only the root. */
    private static void withVersion(CommandLine command) {
        command.getCommandSpec().versionProvider(new Version());
        command.getSubcommands().values().forEach(Cli::withVersion);
    }

    /** Runs the command line; returns the exit status: 0 done, 1 failed, 2 bad usage. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        return execute(args, Output.of(out), err);
    }

    static int execute(String[] args, Output output, PrintWriter err) {
        CommandLine commandLine = commandLine(output);
        commandLine.setOut(output.writer());
        commandLine.setErr(err);
        commandLine.setParameterExceptionHandler((e, ignored) -> {
            err.println("Error: " + UsageErrors.oneLine(e) + " (see '" + e.getCommandLine().getCommandSpec().qualifiedName()
                    + " --help')");
            return USAGE_ERROR;
        });
        commandLine.setExecutionExceptionHandler((e, failed, ignored) -> {
            if (e instanceof ParamException) { // values a gadget refuses together, found as it opens
                err.println("Error: " + e.getMessage() + " (see '" + failed.getCommandSpec().qualifiedName() + " --help')");
                return USAGE_ERROR;
            }
            return unexpected(e, err);
        });
        try {
            return commandLine.execute(args);
        } catch (Error e) {
            return unexpected(e, err);
        }
    }

    /** Failures end in one line: ours name their cause and fix; others are said to be a bug, the trace on request. */
    private static int unexpected(Throwable e, PrintWriter err) {
        err.println(failure(e));
        if (Boolean.getBoolean("gadget.trace")) {
            e.printStackTrace(err);
        }
        return FAILURE;
    }

    /** The one line a failure ends the command with. */
    static String failure(Throwable e) {
        if (e instanceof BpfException || e instanceof IllegalStateException || e instanceof UncheckedIOException) {
            return "Error: " + e.getMessage();
        }
        if (outOfMemory(e)) {
            return "Error: out of Java heap (at most " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB) — give the JVM"
                    + " more: GADGET_JAVA_OPTIONS=-Xmx1g gadget ... (java -Xmx1g -jar gadget.jar ... without the launcher)";
        }
        return "Error: " + e + " — an unexpected failure in gadget: please report it, with what the same command prints"
                + " with GADGET_JAVA_OPTIONS=-Dgadget.trace=true";
    }

    /** Also when the heap ran out inside the JVM's own machinery, which wraps it (a lambda's bootstrap, say). */
    private static boolean outOfMemory(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof OutOfMemoryError) {
                return true;
            }
        }
        return false;
    }

    private static String commands(CommandSpec spec) {
        return UsageErrors.commands(spec);
    }
}
