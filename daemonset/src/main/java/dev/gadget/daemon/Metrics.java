package dev.gadget.daemon;

import dev.gadget.bpf.HeldBpf;
import dev.gadget.gadgets.model.GadgetDescription;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The daemon's counts, served in Prometheus' text format: per gadget what its runs emitted, sent,
 * lost in the kernel and dropped for slow clients; sessions; refused requests; the BPF objects and
 * the memory and CPU the daemon holds. Counts only: never event data. Totals are the sums over the
 * gadget label (sum(gadget_events_emitted_total)); every gadget of the catalog has its series from
 * the start, at 0.
 */
final class Metrics {
    /** The 4xx statuses the API answers with; each has its series from the start. */
    private static final List<Integer> REFUSALS = List.of(400, 404, 405, 409, 413, 429);

    private final Map<String, GadgetCounters> gadgets;
    private final Map<Integer, LongAdder> badRequests = new ConcurrentHashMap<>();
    /** Bytes waiting in every client's queue now. */
    final AtomicLong queuedBytes = new AtomicLong();
    /** The most bytes one client's queue ever held. */
    final AtomicLong peakQueuedBytes = new AtomicLong();
    private final long queueLimitBytes;
    private final int maxSessions;
    private final String version;
    private final String node;

    Metrics(List<GadgetDescription> catalog, long queueLimitBytes, int maxSessions, String version, String node) {
        Map<String, GadgetCounters> byId = new LinkedHashMap<>();
        catalog.forEach(d -> byId.put(d.id(), new GadgetCounters()));
        this.gadgets = Map.copyOf(byId);
        this.queueLimitBytes = queueLimitBytes;
        this.maxSessions = maxSessions;
        this.version = version;
        this.node = node;
        REFUSALS.forEach(status -> badRequests.put(status, new LongAdder()));
    }

    GadgetCounters gadget(String id) {
        GadgetCounters counters = gadgets.get(id);
        if (counters == null) {
            throw new IllegalArgumentException("no gadget " + id + " in the catalog");
        }
        return counters;
    }

    /** A request refused with a 4xx status. */
    void badRequest(int status) {
        badRequests.computeIfAbsent(status, s -> new LongAdder()).increment();
    }

    /** The text exposition format, version 0.0.4. */
    String exposition() {
        Exposition out = new Exposition();
        out.family("gadget_info", "gauge", "The daemon: its version, protocol and node; always 1");
        out.sample("gadget_info", Map.of("version", version, "protocol", String.valueOf(Api.PROTOCOL_VERSION),
                "node", node), 1);

        perGadget(out, "gadget_sessions_running", "gauge", "Sessions running now", c -> c.sessionsRunning.get());
        perGadget(out, "gadget_sessions_started_total", "counter", "Sessions started", c -> c.sessionsStarted.sum());
        out.family("gadget_sessions_max", "gauge", "Sessions allowed at once (--max-sessions); more are refused with 429");
        out.sample("gadget_sessions_max", Map.of(), maxSessions);

        perGadget(out, "gadget_events_emitted_total", "counter",
                "Events the gadget's runs read from the kernel and queued for their client (sent + dropped + queued)",
                c -> c.eventsEmitted.sum());
        perGadget(out, "gadget_events_sent_total", "counter", "Events written to clients", c -> c.eventsSent.sum());
        perGadget(out, "gadget_events_dropped_total", "counter",
                "Events dropped because the client's queue was full (a slow or stalled client) or the client was gone",
                c -> c.eventsDropped.sum());
        perGadget(out, "gadget_events_filtered_total", "counter",
                "Events the runs' container selection kept out in the kernel, before they were made (other containers')",
                GadgetCounters::filteredInKernel);
        out.family("gadget_events_lost_total", "counter",
                "Events lost in the kernel: the ring buffer was full (kernel_ring) or a map was (kernel_map)");
        gadgets.forEach((id, c) -> {
            out.sample("gadget_events_lost_total", Map.of("gadget", id, "where", "kernel_ring"), c.lostInKernelRing.sum());
            out.sample("gadget_events_lost_total", Map.of("gadget", id, "where", "kernel_map"), c.lostInKernelMap.sum());
        });
        perGadget(out, "gadget_tables_emitted_total", "counter", "Tables (snapshots, top intervals, profile reports) emitted",
                c -> c.tablesEmitted.sum());
        perGadget(out, "gadget_tables_sent_total", "counter", "Tables written to clients", c -> c.tablesSent.sum());
        perGadget(out, "gadget_tables_dropped_total", "counter", "Tables dropped for a full client queue or a gone client",
                c -> c.tablesDropped.sum());
        perGadget(out, "gadget_notices_dropped_total", "counter", "Notices dropped for a full client queue or a gone client",
                c -> c.noticesDropped.sum());

        out.family("gadget_client_queue_bytes", "gauge", "Bytes waiting in the queues of all clients now");
        out.sample("gadget_client_queue_bytes", Map.of(), queuedBytes.get());
        out.family("gadget_client_queue_peak_bytes", "gauge", "The most bytes one client's queue has held");
        out.sample("gadget_client_queue_peak_bytes", Map.of(), peakQueuedBytes.get());
        out.family("gadget_client_queue_limit_bytes", "gauge",
                "Bytes one client's queue may hold (--client-queue-bytes); beyond, messages are dropped and counted");
        out.sample("gadget_client_queue_limit_bytes", Map.of(), queueLimitBytes);

        out.family("gadget_bad_requests_total", "counter", "Requests refused with a 4xx status, by status");
        new TreeMap<>(badRequests).forEach((status, count) ->
                out.sample("gadget_bad_requests_total", Map.of("status", String.valueOf(status)), count.sum()));

        HeldBpf bpf = HeldBpf.now();
        out.family("gadget_bpf_programs", "gauge", "BPF programs this daemon holds loaded (its descriptors, asked of the kernel)");
        out.sample("gadget_bpf_programs", Map.of(), bpf.programs().size());
        out.family("gadget_bpf_links", "gauge", "BPF links this daemon holds (attached programs)");
        out.sample("gadget_bpf_links", Map.of(), bpf.links().size());
        out.family("gadget_bpf_maps", "gauge", "BPF maps this daemon holds");
        out.sample("gadget_bpf_maps", Map.of(), bpf.maps().size());

        ProcessStats process = ProcessStats.now();
        processSample(out, "process_resident_memory_bytes", "gauge", "Resident memory of the daemon (VmRSS)",
                process.residentBytes());
        processSample(out, "process_cpu_seconds_total", "counter", "CPU time of the daemon, user and system",
                process.cpuSeconds());
        processSample(out, "process_open_fds", "gauge", "Open file descriptors of the daemon", process.openFds());
        processSample(out, "process_max_fds", "gauge", "The daemon's limit of open file descriptors (ulimit -n)",
                process.maxFds());
        processSample(out, "process_start_time_seconds", "gauge", "When the daemon started, seconds since the Unix epoch",
                process.startTimeSeconds());
        return out.text();
    }

    private void perGadget(Exposition out, String name, String type, String help, Function<GadgetCounters, Number> value) {
        out.family(name, type, help);
        gadgets.forEach((id, counters) -> out.sample(name, Map.of("gadget", id), value.apply(counters)));
    }

    private static void processSample(Exposition out, String name, String type, String help, double value) {
        if (value >= 0) {
            out.family(name, type, help);
            out.sample(name, Map.of(), value);
        }
    }

    /** Lines of the text format: HELP and TYPE once per family, then its samples; label values escaped. */
    private static final class Exposition {
        private final StringBuilder text = new StringBuilder(8192);

        void family(String name, String type, String help) {
            text.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n"))
                    .append('\n').append("# TYPE ").append(name).append(' ').append(type).append('\n');
        }

        void sample(String name, Map<String, String> labels, Number value) {
            text.append(name);
            if (!labels.isEmpty()) {
                text.append('{');
                BiConsumer<String, String> label = (key, labelValue) -> text.append(key).append("=\"")
                        .append(labelValue.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append("\",");
                new TreeMap<>(labels).forEach(label);
                text.setLength(text.length() - 1);
                text.append('}');
            }
            text.append(' ').append(format(value)).append('\n');
        }

        private static String format(Number value) {
            if (value instanceof Double d) {
                return d == Math.rint(d) && !d.isInfinite() && Math.abs(d) < 1e15 ? String.valueOf(d.longValue()) : d.toString();
            }
            return value.toString();
        }

        String text() {
            return text.toString();
        }
    }
}
