package dev.gadget.gadgets.containers;

import java.util.Optional;

/** Names the container an event came from, by the cgroup the kernel saw it in. */
@FunctionalInterface
public interface ContainerLookup {
    /** For decoding without container support (unit tests): every event is a host event. */
    ContainerLookup NONE = cgroupId -> Optional.empty();

    /** The container, or empty for a host process. */
    Optional<Container> find(long cgroupId);
}
