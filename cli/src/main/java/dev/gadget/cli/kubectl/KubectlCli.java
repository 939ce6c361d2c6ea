package dev.gadget.cli.kubectl;

import dev.gadget.cli.HelpText;
import dev.gadget.cli.Output;
import dev.gadget.cli.UsageErrors;
import dev.gadget.cli.Version;
import dev.gadget.gadgets.model.GadgetDescription;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * kubectl gadget: deploy, undeploy, version, and every gadget the cluster's daemons describe, run on
 * every node through the API server. Errors are one line; exit status 0 done, 1 failed (a node
 * included), 2 bad usage.
 */
public final class KubectlCli {
    static final int FAILURE = 1;
    static final int USAGE_ERROR = 2;
    /** Commands that need no gadget descriptions, so none are fetched for them. */
    private static final Set<String> OWN_COMMANDS = Set.of("deploy", "undeploy", "version");

    private KubectlCli() {
    }

    @Command(name = "kubectl gadget", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Inspect the nodes of a Kubernetes cluster with eBPF gadgets: each node's gadget daemon,"
                    + " reached through the API server with your kubeconfig.")
    static final class Root implements Runnable {
        @Spec
        CommandSpec spec;

        @Option(names = "--kubeconfig", paramLabel = "FILE", scope = ScopeType.INHERIT,
                description = "The kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)")
        String kubeconfig;

        @Option(names = "--context", paramLabel = "NAME", scope = ScopeType.INHERIT,
                description = "The kubeconfig context (default: its current context)")
        String context;

        @Override
        public void run() {
            throw new ParameterException(spec.commandLine(), "missing command: pick one of "
                    + UsageErrors.commands(spec));
        }
    }

    /** A group of gadgets such as "trace"; running it alone is a usage error. */
    @Command(mixinStandardHelpOptions = true)
    static final class Category implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            throw new ParameterException(spec.commandLine(), "missing gadget: pick one of " + UsageErrors.commands(spec));
        }
    }

    /** Runs the command line; returns the exit status. */
    public static int execute(String[] args, Output output, PrintWriter err) {
        try (Cluster cluster = Cluster.fromArguments(Arrays.asList(args))) {
            String command = firstCommand(args);
            Catalog catalog = command != null && OWN_COMMANDS.contains(command) ? new Catalog(List.of(), "")
                    : Catalog.fetch(cluster);
            if (command != null && !OWN_COMMANDS.contains(command) && catalog.gadgets().isEmpty()
                    && !catalog.unavailable().isEmpty()) {
                err.println("Error: the gadgets cannot be listed: " + catalog.unavailable());
                return FAILURE;
            }
            CommandLine commandLine = commandLine(cluster, catalog, output, err);
            commandLine.setOut(output.writer());
            commandLine.setErr(err);
            commandLine.setParameterExceptionHandler((e, ignored) -> {
                err.println("Error: " + UsageErrors.oneLine(e) + " (see '" + e.getCommandLine().getCommandSpec().qualifiedName()
                        + " --help')");
                return USAGE_ERROR;
            });
            commandLine.setExecutionExceptionHandler((e, failed, ignored) -> unexpected(e, cluster, err));
            try {
                return commandLine.execute(args);
            } catch (Error e) {
                return unexpected(e, cluster, err);
            }
        }
    }

    static CommandLine commandLine(Cluster cluster, Catalog catalog, Output output, PrintWriter err) {
        CommandLine root = new CommandLine(new Root());
        root.addSubcommand("deploy", new CommandLine(new DeployCommand(cluster)));
        root.addSubcommand("undeploy", new CommandLine(new UndeployCommand(cluster)));
        root.addSubcommand("version", new CommandLine(new VersionCommand(cluster)));
        Map<String, List<GadgetDescription>> byCategory = catalog.gadgets().stream()
                .collect(Collectors.groupingBy(GadgetDescription::category, TreeMap::new, Collectors.toList()));
        byCategory.forEach((category, gadgets) -> {
            CommandLine group = new CommandLine(new Category());
            group.getCommandSpec().usageMessage().description(HelpText.category(gadgets.getFirst().kind()));
            for (GadgetDescription gadget : gadgets) {
                group.addSubcommand(gadget.name(), ClusterGadgetCommand.commandLine(gadget, cluster, output));
            }
            root.addSubcommand(category, group);
        });
        if (!catalog.unavailable().isEmpty()) {
            root.getCommandSpec().usageMessage().footer("", "Gadgets: not listed: " + catalog.unavailable());
        }
        withVersion(root);
        return root;
    }

    /** -V/--version works on every command, not only the root. */
    private static void withVersion(CommandLine command) {
        command.getCommandSpec().versionProvider(new Version());
        command.getSubcommands().values().forEach(KubectlCli::withVersion);
    }

    /** The first word that is not an option (or the value of --kubeconfig/--context): the command. */
    private static String firstCommand(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--kubeconfig") || args[i].equals("--context")) {
                i++;
            } else if (!args[i].startsWith("-")) {
                return args[i];
            }
        }
        return null;
    }

    private static int unexpected(Throwable e, Cluster cluster, PrintWriter err) {
        if (e instanceof KubernetesClientException k) {
            err.println("Error: " + Cluster.describe(k, cluster.client()));
        } else if (e instanceof IllegalStateException || e instanceof UncheckedIOException
                || e instanceof IllegalArgumentException) {
            err.println("Error: " + e.getMessage());
        } else if (e instanceof OutOfMemoryError) {
            err.println("Error: out of Java heap (" + e.getMessage() + ") — give the JVM more with"
                    + " JAVA_TOOL_OPTIONS=-Xmx1g");
        } else {
            err.println("Error: " + e + " — an unexpected failure in kubectl gadget: please report it, with what"
                    + " the same command prints with JAVA_TOOL_OPTIONS=-Dgadget.trace=true");
            if (Boolean.getBoolean("gadget.trace")) {
                e.printStackTrace(err);
            }
        }
        return FAILURE;
    }
}
