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
import java.util.ArrayList;
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
        spec.usageMessage().description(gadget.description() + ". " + switch (gadget.kind()) {
            case TRACE -> "Runs until Ctrl-C or --timeout";
            case SNAPSHOT -> "Prints one table";
            case TOP -> "Prints a table every --interval until Ctrl-C or --timeout";
            case PROFILE -> "Samples until Ctrl-C or --timeout, then reports";
        } + "; needs root.");
        List<String> footer = new ArrayList<>(List.of("", "Output formats: " + OutputFormat.choices(gadget.kind()) + ".",
                "Fields (for -o columns=...):"));
        footer.addAll(wrap(gadget.fields().stream()
                .map(f -> f.name() + (f.onlyWith().isEmpty() ? "" : " (with --" + f.onlyWith() + ")")).toList()));
        spec.usageMessage().footer(footer.toArray(String[]::new));
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
        if (timeout == null) {
            return 0;
        }
        long seconds;
        try {
            seconds = Long.parseLong(timeout.strip());
        } catch (NumberFormatException e) {
            throw usage("--timeout: '" + timeout + "' is not a whole number of seconds: give e.g. -t 10");
        }
        if (seconds <= 0) {
            throw usage("--timeout: " + seconds + " is not a positive number of seconds: give e.g. -t 10, or no -t to"
                    + " run until Ctrl-C");
        }
        if (seconds > RunRequest.MAX_TIMEOUT_SECONDS) {
            throw usage("--timeout: " + seconds + " is more than a year (" + RunRequest.MAX_TIMEOUT_SECONDS
                    + " seconds): give fewer, or no -t to run until Ctrl-C");
        }
        return seconds;
    }

    /** Comma-separated items on lines of at most 78 columns, never breaking an item (help would break at dots). */
    private static List<String> wrap(List<String> items) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder("  ");
        for (int i = 0; i < items.size(); i++) {
            String item = items.get(i) + (i < items.size() - 1 ? "," : "");
            if (line.length() > 2 && line.length() + 1 + item.length() > 78) {
                lines.add(line.toString());
                line.setLength(0);
                line.append("  ");
            }
            line.append(line.length() > 2 ? " " : "").append(item);
        }
        lines.add(line.toString());
        return lines;
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
