package dev.gadget.cli.kubectl;

import dev.gadget.cli.HelpText;
import dev.gadget.cli.Output;
import dev.gadget.cli.ParamOptions;
import dev.gadget.cli.UsageErrors;
import dev.gadget.cli.output.OutputFormat;
import dev.gadget.cli.output.RunPrinter;
import dev.gadget.gadgets.model.GadgetDescription;
import dev.gadget.gadgets.model.GadgetKind;
import dev.gadget.gadgets.model.ParamException;
import dev.gadget.gadgets.model.ParamValues;
import dev.gadget.gadgets.model.RunRequest;
import dev.gadget.gadgets.model.SortKey;
import dev.gadget.gadgets.model.TopParams;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * One gadget across the cluster: its flags, help and columns come from the description a daemon
 * served; kubectl's flags pick the pods whose containers it traces.
 */
@Command(mixinStandardHelpOptions = true, sortOptions = false)
final class ClusterGadgetCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "columns",
            description = "Output format, see below (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = {"-t", "--timeout"}, paramLabel = "SECONDS",
            description = "Stop after this many seconds (default: run until Ctrl-C)")
    String timeout;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NAMESPACE",
            description = "Only pods of this namespace (default: the namespace of the kubeconfig's context)")
    String namespace;

    @Option(names = {"-A", "--all-namespaces"}, description = "Pods of every namespace")
    boolean allNamespaces;

    @Option(names = {"-p", "--podname"}, paramLabel = "POD", description = "Only the pod with this name")
    String podName;

    @Option(names = {"-c", "--containername"}, split = ",", paramLabel = "NAME",
            description = "Only the containers with these names in their pods (comma-separated)")
    List<String> containerNames;

    @Option(names = {"-l", "--selector"}, paramLabel = "SELECTOR",
            description = "Only pods whose labels match, as kubectl takes it: app=web,tier!=db or 'tier in (a,b)'")
    String selector;

    @Option(names = "--node", split = ",", paramLabel = "NODE", description = "Only these nodes (comma-separated)")
    List<String> nodes;

    @Option(names = "--verbose", description = "Show the daemons' informational notices too")
    boolean verbose;

    private final GadgetDescription gadget;
    private final Cluster cluster;
    private final Output output;

    private ClusterGadgetCommand(GadgetDescription gadget, Cluster cluster, Output output) {
        this.gadget = gadget;
        this.cluster = cluster;
        this.output = output;
    }

    static CommandLine commandLine(GadgetDescription gadget, Cluster cluster, Output output) {
        CommandLine commandLine = new CommandLine(new ClusterGadgetCommand(gadget, cluster, output));
        CommandSpec spec = commandLine.getCommandSpec();
        spec.usageMessage().description(gadget.description() + ", in the pods' containers on every node. "
                + HelpText.howItRuns(gadget.kind()) + ".");
        spec.usageMessage().footer(HelpText.footer(gadget, ClusterFields.of(gadget.fields()).fields()));
        ParamOptions.add(spec, gadget);
        return commandLine;
    }

    @Override
    public Integer call() {
        long seconds;
        try {
            seconds = UsageErrors.timeoutSeconds(timeout);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        if (allNamespaces && namespace != null) {
            throw usage("-n/--namespace and -A/--all-namespaces exclude each other: give one");
        }
        if (namespace != null && namespace.isBlank()) {
            throw usage("-n/--namespace needs a namespace, got an empty one: give e.g. -n default, or -A for all");
        }
        if (podName != null && podName.isBlank()) {
            throw usage("-p/--podname needs a pod name, got an empty one: give e.g. -p web-7f9c");
        }
        if (containerNames != null && (containerNames.isEmpty() || containerNames.stream().anyMatch(String::isBlank))) {
            throw usage("-c/--containername needs container names, got an empty one: give e.g. -c web,db");
        }
        if (nodes != null && (nodes.isEmpty() || nodes.stream().anyMatch(String::isBlank))) {
            throw usage("--node needs node names, got an empty one: give e.g. --node node-1,node-2");
        }
        if (selector != null && selector.isBlank()) {
            throw usage("-l/--selector needs a label selector, e.g. -l app=web");
        }
        ParamValues values;
        try {
            values = gadget.parseParams(ParamOptions.given(spec, gadget));
        } catch (ParamException e) {
            throw usage(e.getMessage());
        }
        ClusterFields fields = ClusterFields.of(gadget.fieldsFor(values));
        PrintWriter out = output.writer();
        PrintWriter err = spec.commandLine().getErr();
        RunPrinter printer;
        try {
            printer = RunPrinter.of(OutputFormat.parse(format, gadget.kind()), gadget.kind(), fields.fields(), out,
                    System.console() != null);
        } catch (IllegalArgumentException e) {
            throw usage("invalid value for option '--output': " + e.getMessage());
        }
        Set<String> wantedNodes = nodes == null ? Set.of() : new TreeSet<>(nodes);
        Targets targets = Targets.of(cluster.client(), wantedNodes);
        if (!targets.unknown().isEmpty()) {
            throw usage("--node: the cluster has no node " + String.join(", ", targets.unknown())
                    + ": see kubectl get nodes");
        }
        if (targets.daemons().isEmpty()) {
            err.println("Error: no gadget pod runs " + (wantedNodes.isEmpty() ? "in the cluster" : "on " + wantedNodes)
                    + " (" + DaemonPod.WHERE + "): deploy them with 'kubectl gadget deploy'");
            return KubectlCli.FAILURE;
        }
        PodFilter filter = new PodFilter(allNamespaces ? null : namespace != null ? namespace : cluster.namespace(),
                selector, podName, containerNames == null ? Set.of() : Set.copyOf(containerNames), wantedNodes);
        List<SortKey> sort = gadget.kind() == GadgetKind.TOP ? values.sortKeys(TopParams.SORT) : List.of();
        int maxRows = gadget.kind() == GadgetKind.TOP ? (int) values.number(TopParams.MAX_ROWS) : 0;
        ClusterOutput merged = new ClusterOutput(gadget.kind(), printer, output, fields, sort, maxRows);
        RunRequest request = new RunRequest(gadget.category(), gadget.name(), ParamOptions.given(spec, gadget), null,
                seconds);
        int status = ClusterRun.run(cluster.client(), request, fields, filter, targets, merged, err,
                seconds == 0 ? null : Duration.ofSeconds(seconds), verbose);
        out.flush();
        if (output.failure() != null) {
            err.println("Error: " + output.failure());
            return KubectlCli.FAILURE;
        }
        return status;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
