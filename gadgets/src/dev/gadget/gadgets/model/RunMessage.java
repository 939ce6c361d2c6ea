package dev.gadget.gadgets.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * What a run emits, in one stream: its data (events or tables, each a row of values in the order of
 * the run's fields) and its status (started, lost counts, notices for its user, the end). A daemon
 * sends each client its own; the CLI prints them.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = RunMessage.Started.class, name = "started"),
    @JsonSubTypes.Type(value = RunMessage.Event.class, name = "event"),
    @JsonSubTypes.Type(value = RunMessage.Table.class, name = "table"),
    @JsonSubTypes.Type(value = RunMessage.Lost.class, name = "lost"),
    @JsonSubTypes.Type(value = RunMessage.Notice.class, name = "notice"),
    @JsonSubTypes.Type(value = RunMessage.End.class, name = "end"),
})
public sealed interface RunMessage {

    /**
     * The gadget is loaded and attached: what happens from now on is seen. {@code fields} names the
     * run's fields, in the order of every event's and table row's values, so a stream explains itself.
     */
    record Started(List<String> fields) implements RunMessage {
        public Started {
            fields = List.copyOf(fields);
        }
    }

    /** One happening, from a trace. The list is not copied: it is the row the decoder made. */
    record Event(List<Object> values) implements RunMessage {
    }

    /** A whole table: a snapshot, one interval of a top gadget, a profile's report. */
    record Table(List<List<Object>> rows) implements RunMessage {
    }

    /** {@code count} more events were lost {@code where} ({@code total} so far there); never silently. */
    record Lost(Where where, long count, long total) implements RunMessage {
        public enum Where {
            /** The kernel's ring buffer was full: the reader fell behind. */
            KERNEL_RING,
            /** A BPF map the gadget counts in was full: keys beyond its size were not counted. */
            KERNEL_MAP,
            /** The daemon's queue for this client was full: the client or its connection fell behind. */
            CLIENT_QUEUE
        }
    }

    /** Something the user of this run should know, e.g. "no container named 'db' yet: waiting for it". */
    record Notice(Level level, String message) implements RunMessage {
        public enum Level { INFO, WARNING }
    }

    /** The run is over: normally ({@code error} is ""), or because of the one-line error. */
    record End(String error) implements RunMessage {
        public static final End NORMAL = new End("");

        public boolean failed() {
            return !error.isEmpty();
        }
    }
}
