package dev.gadget.gadgets.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Set;

/** Which processes a gadget traces: everything, host processes only, or the containers named. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ContainerSelection.Everything.class, name = "everything"),
    @JsonSubTypes.Type(value = ContainerSelection.HostOnly.class, name = "host"),
    @JsonSubTypes.Type(value = ContainerSelection.Named.class, name = "named"),
})
public sealed interface ContainerSelection {

    record Everything() implements ContainerSelection {
    }

    record HostOnly() implements ContainerSelection {
    }

    record Named(Set<String> names) implements ContainerSelection {
        public Named {
            if (names == null || names.isEmpty()) {
                throw new IllegalArgumentException("name at least one container");
            }
            if (names.stream().anyMatch(name -> name == null || name.isBlank())) {
                throw new IllegalArgumentException("a container name is empty");
            }
            names = Set.copyOf(names);
        }
    }

    ContainerSelection EVERYTHING = new Everything();
}
