package dev.gadget.cli;

import dev.gadget.cli.output.EventPrinter;
import dev.gadget.cli.output.OutputFormat;
import dev.gadget.gadgets.EventSink;
import dev.gadget.gadgets.GadgetEvent;
import dev.gadget.gadgets.Param;
import dev.gadget.gadgets.ParamValues;
import dev.gadget.gadgets.TraceGadget;
import dev.gadget.gadgets.TraceSession;
import dev.gadget.gadgets.containers.ContainerRegistry;
import dev.gadget.gadgets.containers.ContainerSelection;
import dev.gadget.gadgets.containers.HostRoot;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** Runs one trace gadget on this host until Ctrl-C or --timeout, printing its events. */
@Command(mixinStandardHelpOptions = true, sortOptions = false)
final class RunGadgetCommand<E extends GadgetEvent> implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "columns",
            converter = OutputFormatConverter.class,
            description = "Output format: " + OutputFormat.CHOICES + " (default: ${DEFAULT-VALUE})")
    OutputFormat output;

    @Option(names = {"-t", "--timeout"}, paramLabel = "SECONDS",
            description = "Stop after this many seconds (default: run until Ctrl-C)")
    Integer timeout;

    @Option(names = {"-c", "--containername"}, split = ",", paramLabel = "NAME",
            description = "Trace only the containers with these names (comma-separated); waits for the ones not running yet")
    List<String> containerNames;

    @Option(names = "--host", description = "Trace only host processes, none in a container")
    boolean hostOnly;

    @Option(names = "--host-root", paramLabel = "DIR", defaultValue = "/",
            description = "Where the host's file systems are seen, e.g. /host in a pod (default: ${DEFAULT-VALUE})")
    Path hostRoot;

    @Option(names = "--verbose", description = "Show debug messages, libbpf's and the kernel verifier's log included")
    boolean verbose;

    private final TraceGadget<E> gadget;

    private RunGadgetCommand(TraceGadget<E> gadget) {
        this.gadget = gadget;
    }

    static <E extends GadgetEvent> CommandLine commandLine(TraceGadget<E> gadget) {
        CommandLine commandLine = new CommandLine(new RunGadgetCommand<>(gadget));
        CommandSpec spec = commandLine.getCommandSpec();
        spec.usageMessage().description(gadget.description() + ". Runs until Ctrl-C; needs root.");
        for (Param param : gadget.params()) {
            spec.addOption(OptionSpec.builder("--" + param.name()).type(boolean.class).arity("0")
                    .defaultValue("false").description(param.description()).build());
        }
        return commandLine;
    }

    @Override
    public Integer call() {
        if (timeout != null && timeout <= 0) {
            throw new ParameterException(spec.commandLine(),
                    "--timeout must be a positive number of seconds, not " + timeout);
        }
        ContainerSelection selection = selection();
        if (!Files.isDirectory(hostRoot)) {
            throw new ParameterException(spec.commandLine(), "--host-root " + hostRoot + " is not a directory");
        }
        ParamValues values = new ParamValues(gadget.params().stream()
                .filter(param -> spec.findOption("--" + param.name()).<Boolean>getValue())
                .map(Param::name).collect(Collectors.toSet()));
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        EventPrinter<E> printer;
        try {
            printer = EventPrinter.of(output, gadget.fields(values), gadget.defaultColumns(values), out);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "invalid value for option '--output': " + e.getMessage());
        }
        Logging.configure(verbose);

        try (StopOnShutdown shutdown = new StopOnShutdown();
                ContainerRegistry containers = ContainerRegistry.start(new HostRoot(hostRoot));
                TraceSession<E> session = TraceSession.start(gadget, values, containers, selection)) {
            shutdown.onShutdown(session::stop);
            printer.start();
            out.flush();
            session.run(new EventSink<>() {
                private long lostInTotal;

                @Override
                public void onEvent(E event) {
                    printer.print(event);
                }

                @Override
                public void onLost(long count) {
                    lostInTotal += count;
                    err.println("warning: " + gadget.category() + " " + gadget.name() + " lost " + count
                            + " events: the kernel's ring buffer was full (" + lostInTotal + " lost in total)");
                }

                @Override
                public void onBatchEnd() {
                    out.flush();
                    if (out.checkError()) { // stdout is gone (| head): nothing more to print to
                        session.stop();
                    }
                }
            }, timeout == null ? null : Duration.ofSeconds(timeout));
        }
        return 0;
    }

    private ContainerSelection selection() {
        if (containerNames == null) {
            return hostOnly ? new ContainerSelection.HostOnly() : ContainerSelection.EVERYTHING;
        }
        if (hostOnly) {
            throw new ParameterException(spec.commandLine(),
                    "-c/--containername and --host exclude each other: pick containers or the host");
        }
        if (containerNames.stream().anyMatch(String::isBlank)) {
            throw new ParameterException(spec.commandLine(), "-c/--containername needs container names, got an empty one");
        }
        return new ContainerSelection.Named(Set.copyOf(containerNames));
    }

    static final class OutputFormatConverter implements CommandLine.ITypeConverter<OutputFormat> {
        @Override
        public OutputFormat convert(String value) {
            try {
                return OutputFormat.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
