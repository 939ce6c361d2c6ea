package dev.gadget.gadgets;

import dev.gadget.gadgets.trace.exec.TraceExec;
import java.util.List;
import java.util.Optional;

/** Every gadget there is. A new gadget adds its line here, and nothing else outside its folder. */
public final class Gadgets {
    private static final List<TraceGadget<?>> ALL = List.of(new TraceExec());

    private Gadgets() {
    }

    public static List<TraceGadget<?>> all() {
        return ALL;
    }

    public static Optional<TraceGadget<?>> find(String category, String name) {
        return ALL.stream().filter(g -> g.category().equals(category) && g.name().equals(name)).findFirst();
    }
}
