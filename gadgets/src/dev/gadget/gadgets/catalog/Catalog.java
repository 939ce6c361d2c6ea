package dev.gadget.gadgets.catalog;

import dev.gadget.gadgets.model.GadgetDescription;
import dev.gadget.gadgets.profile.cpu.ProfileCpu;
import dev.gadget.gadgets.runner.Gadget;
import dev.gadget.gadgets.snapshot.process.SnapshotProcess;
import dev.gadget.gadgets.top.file.TopFile;
import dev.gadget.gadgets.trace.exec.TraceExec;
import dev.gadget.gadgets.trace.open.TraceOpen;
import java.util.List;
import java.util.Optional;

/** Every gadget there is. A new gadget is its folder plus its line here, and nothing else. */
public final class Catalog {
    private static final List<Gadget> ALL = List.of(
            new TraceExec(),
            new TraceOpen(),
            new SnapshotProcess(),
            new TopFile(),
            new ProfileCpu());

    private Catalog() {
    }

    public static List<Gadget> all() {
        return ALL;
    }

    public static List<GadgetDescription> descriptions() {
        return ALL.stream().map(Gadget::description).toList();
    }

    public static Optional<Gadget> find(String category, String name) {
        return ALL.stream().filter(g -> g.description().category().equals(category)
                && g.description().name().equals(name)).findFirst();
    }
}
