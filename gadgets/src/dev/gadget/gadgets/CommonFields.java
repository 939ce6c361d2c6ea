package dev.gadget.gadgets;

import dev.gadget.gadgets.containers.Container;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/** Fields every gadget's events have, from their {@link EventHeader}. */
public final class CommonFields {
    private CommonFields() {
    }

    public static <E extends GadgetEvent> List<Field<E>> of() {
        return List.of(
                container("runtime.runtimeName", 10, c -> c.runtime().runtimeName()),
                container("runtime.containerId", 13, Container::id),
                container("runtime.containerName", 21, Container::name),
                container("runtime.containerImageName", 26, Container::image),
                container("k8s.namespace", 13, Container::podNamespace),
                container("k8s.podName", 16, Container::podName),
                container("k8s.containerName", 17, c -> c.podName().isEmpty() ? "" : c.name()),
                new Field<E>("timestamp", 30, Field.Align.LEFT, e -> e.header().timestamp(),
                        e -> formatTimestamp(e.header().timestamp())),
                Field.number("mountnsid", 10, e -> e.header().mountNsId()),
                Field.number("cgroupid", 10, e -> e.header().cgroupId()),
                Field.number("pid", 7, e -> e.header().pid()),
                Field.number("tid", 7, e -> e.header().tid()),
                Field.number("ppid", 7, e -> e.header().ppid()),
                Field.number("uid", 6, e -> e.header().uid()),
                Field.number("gid", 6, e -> e.header().gid()),
                Field.text("comm", 16, e -> e.header().comm()));
    }

    /** A container's property, "" for host processes (the member stays, so every event has the same shape). */
    private static <E extends GadgetEvent> Field<E> container(String name, int width, Function<Container, String> value) {
        return Field.text(name, width, e -> e.header().container().map(value).orElse(""));
    }

    /** RFC 3339 in UTC with nanoseconds, e.g. 2026-11-22T10:15:30.123456789Z. */
    public static String formatTimestamp(long epochNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L),
                Math.floorMod(epochNanos, 1_000_000_000L)).toString();
    }
}
