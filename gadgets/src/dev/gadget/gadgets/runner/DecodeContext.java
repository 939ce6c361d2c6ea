package dev.gadget.gadgets.runner;

import dev.gadget.gadgets.containers.ContainerLookup;

/**
 * What decoding needs beyond the record: how to turn CLOCK_BOOTTIME into wall-clock time, and how to
 * name the container of a cgroup.
 */
public record DecodeContext(long bootToEpochNanos, ContainerLookup containers) {
}
