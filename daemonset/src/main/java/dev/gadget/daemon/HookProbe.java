package dev.gadget.daemon;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gadget.bpf.BpfObject;
import dev.gadget.bpf.RingBuffer;
import java.lang.foreign.ValueLayout;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Which kinds of BPF hook work on this node, found by trying each: a tiny program of the kind is
 * loaded and attached (an iterator also read, a ring buffer also written by a test run and read back),
 * then released. Done once at start: the answer is the node's, for /v1/info, so that a client can tell
 * "this gadget cannot run here" from a bug.
 */
final class HookProbe {
    /** What the ring buffer probe's test run writes (probe_ring_buffer.bpf.c). */
    private static final long PROBE_RECORD = 0x70726f6265L;

    /** Whether a hook works here; if not, the one-line error of the step that failed. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record Result(boolean works, String error) {
        static final Result WORKS = new Result(true, "");
    }

    private HookProbe() {
    }

    /** Every hook kind, in a fixed order, with its result. */
    static Map<String, Result> probeAll() {
        Map<String, Result> results = new LinkedHashMap<>();
        results.put("tracepoint", probe("probe_tracepoint", object -> object.attach("probe")));
        results.put("raw_tp", probe("probe_raw_tp", object -> object.attach("probe")));
        results.put("tp_btf", probe("probe_tp_btf", object -> object.attach("probe")));
        results.put("iterator", probe("probe_iterator", object -> object.iterator("probe").read()));
        // Loading is the test: attaching needs a perf event, which a profile run opens itself.
        results.put("perf_event", probe("probe_perf_event", object -> {
        }));
        results.put("ring_buffer", probe("probe_ring_buffer", HookProbe::writeAndReadBack));
        results.put("kprobe", probe("probe_kprobe", object -> object.attach("probe")));
        results.put("fentry", probe("probe_fentry", object -> object.attach("probe")));
        return results;
    }

    private static Result probe(String name, Consumer<BpfObject> use) {
        try (BpfObject object = BpfObject.open(HookProbe.class, name + ".bpf.o")) {
            object.load();
            use.accept(object);
            return Result.WORKS;
        } catch (RuntimeException e) {
            return new Result(false, String.valueOf(e.getMessage()).replace('\n', ' '));
        }
    }

    private static void writeAndReadBack(BpfObject object) {
        RingBuffer ring = object.ringBuffer("probe_ring");
        int written = object.testRun("probe");
        if (written != 0) {
            throw new IllegalStateException("bpf_ringbuf_output in a test run returned " + written);
        }
        long[] read = {-1};
        ring.poll(1000, (data, offset, length) -> read[0] = data.get(ValueLayout.JAVA_LONG_UNALIGNED, offset));
        if (read[0] != PROBE_RECORD) {
            throw new IllegalStateException("the record a test run wrote into a ring buffer did not come out of its mapping");
        }
    }
}
