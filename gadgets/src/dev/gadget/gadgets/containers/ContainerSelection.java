package dev.gadget.gadgets.containers;

import java.util.Set;

/** Which processes a gadget traces: everything, host processes only, or the containers named. */
public sealed interface ContainerSelection {

    record Everything() implements ContainerSelection {
    }

    record HostOnly() implements ContainerSelection {
    }

    record Named(Set<String> names) implements ContainerSelection {
        public Named {
            names = Set.copyOf(names);
            if (names.isEmpty()) {
                throw new IllegalArgumentException("name at least one container");
            }
        }
    }

    ContainerSelection EVERYTHING = new Everything();
}
