package dev.gadget.gadgets;

import java.time.Instant;
import java.util.List;

/** Fields every gadget's events have, from their {@link EventHeader}. */
public final class CommonFields {
    private CommonFields() {
    }

    public static <E extends GadgetEvent> List<Field<E>> of() {
        return List.of(
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

    /** RFC 3339 in UTC with nanoseconds, e.g. 2026-11-22T10:15:30.123456789Z. */
    public static String formatTimestamp(long epochNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L),
                Math.floorMod(epochNanos, 1_000_000_000L)).toString();
    }
}
