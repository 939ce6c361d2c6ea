package dev.gadget.cli;

import dev.gadget.gadgets.catalog.Catalog;
import dev.gadget.gadgets.containers.ContainerRegistry;
import dev.gadget.gadgets.containers.HostRoot;
import dev.gadget.gadgets.model.ParamValues;
import dev.gadget.gadgets.model.RunRequest;
import dev.gadget.gadgets.runner.Run;
import dev.gadget.gadgets.runner.RunSink;
import dev.gadget.gadgets.runner.Runs;
import java.time.Duration;

/** Host mode: a catalog gadget run in this process against the local kernel, naming the host's containers. */
final class HostSession implements Session {
    private final ContainerRegistry containers;
    private final Run run;

    private HostSession(ContainerRegistry containers, Run run) {
        this.containers = containers;
        this.run = run;
    }

    /** Loads and attaches the gadget; throws a one-line BpfException if it cannot, having released everything. */
    static HostSession start(HostRoot host, RunRequest request, ParamValues values, RunSink sink) {
        var gadget = Catalog.find(request.category(), request.name()).orElseThrow(
                () -> new IllegalArgumentException("no gadget " + request.category() + " " + request.name()));
        ContainerRegistry containers = ContainerRegistry.start(host);
        try {
            return new HostSession(containers, Runs.start(gadget, values, request.containers(), containers, sink));
        } catch (RuntimeException e) {
            containers.close();
            throw e;
        }
    }

    @Override
    public void run(Duration timeout) {
        run.run(timeout);
    }

    @Override
    public void stop() {
        run.stop();
    }

    @Override
    public void close() {
        try {
            run.close();
        } finally {
            containers.close();
        }
    }
}
