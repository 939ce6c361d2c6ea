package dev.gadget.gadgets.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.HashSet;
import java.util.Set;

/**
 * Which processes a gadget traces: everything, host processes only, the containers named, or the
 * containers with these ids. A run's filter mode is fixed when it loads (everything: off, host: deny
 * containers, named and ids: allow the listed ones), so a running gadget can move between named and
 * ids selections, but not to or from the others.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ContainerSelection.Everything.class, name = "everything"),
    @JsonSubTypes.Type(value = ContainerSelection.HostOnly.class, name = "host"),
    @JsonSubTypes.Type(value = ContainerSelection.Named.class, name = "named"),
    @JsonSubTypes.Type(value = ContainerSelection.Ids.class, name = "ids"),
})
public sealed interface ContainerSelection {

    record Everything() implements ContainerSelection {
    }

    record HostOnly() implements ContainerSelection {
    }

    record Named(Set<String> names) implements ContainerSelection {
        public Named {
            if (names == null || names.isEmpty()) {
                throw new IllegalArgumentException("names: name at least one container");
            }
            if (names.stream().anyMatch(name -> name == null || name.isBlank())) {
                throw new IllegalArgumentException("names: a container name is empty");
            }
            names = Set.copyOf(names);
        }
    }

    /**
     * The containers with these runtime ids, as the kubelet reports them in a pod's status
     * (containerd://&lt;id&gt;) or bare: how the kubectl plugin picks the containers of the pods it
     * matched. Empty selects nothing, yet: a run can start before any pod matches.
     */
    record Ids(Set<String> containerIds) implements ContainerSelection {
        public Ids {
            if (containerIds == null) {
                throw new IllegalArgumentException("containerIds is missing: give a list of container ids, empty to select none yet");
            }
            Set<String> bare = new HashSet<>();
            for (String id : containerIds) {
                if (id == null || id.isBlank()) {
                    throw new IllegalArgumentException("containerIds: a container id is empty");
                }
                String withoutRuntime = id.substring(id.indexOf("://") < 0 ? 0 : id.indexOf("://") + 3);
                if (!withoutRuntime.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
                    throw new IllegalArgumentException("containerIds: '" + id + "' is not a container id such as containerd://"
                            + "<64 hex digits> or the digits alone");
                }
                bare.add(withoutRuntime);
            }
            containerIds = Set.copyOf(bare);
        }
    }

    /** Whether the run's filter lists the containers it traces (as opposed to tracing all or all but containers). */
    default boolean listsContainers() {
        return this instanceof Named || this instanceof Ids;
    }

    ContainerSelection EVERYTHING = new Everything();
}
