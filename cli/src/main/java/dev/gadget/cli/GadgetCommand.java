package dev.gadget.cli;

import dev.gadget.cli.output.OutputFormat;
import dev.gadget.cli.output.RunPrinter;
import dev.gadget.gadgets.containers.HostRoot;
import dev.gadget.gadgets.model.ContainerSelection;
import dev.gadget.gadgets.model.GadgetDescription;
import dev.gadget.gadgets.model.ParamException;
import dev.gadget.gadgets.model.ParamValues;
import dev.gadget.gadgets.model.RunRequest;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Runs one gadget on this host, any gadget: its flags, help and output come from its description.
 * A trace runs until Ctrl-C or --timeout; a snapshot prints its table and ends.
 */
@Command(mixinStandardHelpOptions = true, sortOptions = false)
final class GadgetCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "columns",
            description = "Output format, see below (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = {"-t", "--timeout"}, paramLabel = "SECONDS",
            description = "Stop after this many seconds (default: run until Ctrl-C)")
    String timeout;

    @Option(names = {"-c", "--containername"}, split = ",", paramLabel = "NAME",
            description = "Only the containers with these names (comma-separated); waits for the ones not running yet")
    List<String> containerNames;

    @Option(names = "--host", description = "Only host processes, none in a container")
    boolean hostOnly;

    @Option(names = "--host-root", paramLabel = "DIR", defaultValue = "/",
            description = "Where the host's file systems are seen, e.g. /host in a pod (default: ${DEFAULT-VALUE})")
    String hostRoot;

    @Option(names = "--verbose", description = "Show debug messages, libbpf's and the kernel verifier's log included")
    boolean verbose;

    private final GadgetDescription gadget;
    private final Output output;

    private GadgetCommand(GadgetDescription gadget, Output output) {
        this.gadget = gadget;
        this.output = output;
    }

    static CommandLine commandLine(GadgetDescription gadget, Output output) {
        CommandLine commandLine = new CommandLine(new GadgetCommand(gadget, output));
        CommandSpec spec = commandLine.getCommandSpec();
        spec.usageMessage().description(gadget.description() + ". " + HelpText.howItRuns(gadget.kind()) + "; needs root.");
        spec.usageMessage().footer(HelpText.footer(gadget, gadget.fields()));
        ParamOptions.add(spec, gadget);
        return commandLine;
    }

    @Override
    public Integer call() {
        long seconds = timeoutSeconds();
        ContainerSelection selection = selection();
        if (hostRoot.isBlank() || !Files.isDirectory(Path.of(hostRoot))) {
            throw usage("--host-root '" + hostRoot + "' is not a directory: give the directory where the host's /"
                    + " is mounted, e.g. /host");
        }
        ParamValues values;
        try {
            values = gadget.parseParams(ParamOptions.given(spec, gadget));
        } catch (ParamException e) {
            throw usage(e.getMessage());
        }
        PrintWriter out = output.writer();
        PrintWriter err = spec.commandLine().getErr();
        RunPrinter printer;
        try {
            printer = RunPrinter.of(OutputFormat.parse(format, gadget.kind()), gadget.kind(), gadget.fieldsFor(values),
                    out, System.console() != null);
        } catch (IllegalArgumentException e) {
            throw usage("invalid value for option '--output': " + e.getMessage());
        }
        Logging.configure(verbose);

        RunRequest request = new RunRequest(gadget.category(), gadget.name(), ParamOptions.given(spec, gadget),
                selection, seconds);
        PrintingSink sink = new PrintingSink(gadget.id(), printer, output, err, verbose);
        try (Session session = HostSession.start(new HostRoot(Path.of(hostRoot)), request, values, sink)) {
            StopOnShutdown.onShutdown(session::stop);
            session.run(seconds == 0 ? null : Duration.ofSeconds(seconds));
        }
        out.flush();
        if (output.failure() != null) {
            err.println("Error: " + output.failure());
            return Cli.FAILURE;
        }
        return 0;
    }

    /** --timeout in seconds, 0 when not given; checked here, so that the error says what to give. */
    private long timeoutSeconds() {
        try {
            return UsageErrors.timeoutSeconds(timeout);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private ContainerSelection selection() {
        if (containerNames == null) {
            return hostOnly ? new ContainerSelection.HostOnly() : ContainerSelection.EVERYTHING;
        }
        if (hostOnly) {
            throw usage("-c/--containername and --host exclude each other: pick containers or the host");
        }
        if (containerNames.isEmpty() || containerNames.stream().anyMatch(String::isBlank)) {
            throw usage("-c/--containername needs container names, got an empty one: give e.g. -c web,db");
        }
        return new ContainerSelection.Named(Set.copyOf(containerNames));
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
