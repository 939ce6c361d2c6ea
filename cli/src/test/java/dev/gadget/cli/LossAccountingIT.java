package dev.gadget.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gadget.bpf.RequiresBpf;
import dev.gadget.gadgets.testing.ContainerdTestbed;
import dev.gadget.gadgets.testing.ContainerdTestbed.TestContainer;
import dev.gadget.gadgets.testing.Programs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Host mode tells its user of every exec it could not keep: a storm larger than the ring while the
 * command is stopped (as a starved process is) ends as events on stdout plus lost counts on stderr
 * that add up to the execs run, exactly. The storm runs in a container that -c selects, so that the
 * kernel counts only its execs (other tests exec on this machine meanwhile).
 */
@ExtendWith(RequiresBpf.class)
class LossAccountingIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LOST = Pattern.compile(
            "^warning: trace exec lost (\\d+) events: the kernel's ring buffer was full \\((\\d+) lost in total\\)$");
    /** trace exec's ring is 8 MiB: 1200 execs of 16 KiB arguments are 19 MiB, more than twice that. */
    private static final int EXECS = 1200;
    private static final int PAD = 16 * 1024;

    @TempDir
    Path dir;

    @Test
    void eachExecOfAStormLargerThanTheRingIsPrintedOrCountedOnStderrExactly() throws Exception {
        Path storm = Programs.staticStorm(dir);
        String marker = "loss-" + UUID.randomUUID();
        try (ContainerdTestbed testbed = ContainerdTestbed.start()) {
            TestContainer container = testbed.run("stormy", "stormy-pod", "loss");
            String program = testbed.copyInto(container, storm, "gt-storm");
            GadgetProcess gadget = GadgetProcess.start(List.of("trace", "exec", "-c", "stormy", "-o", "json"));
            // Once the trace shows an exec of the container, it runs: that exec is one more of those to account for.
            gadget.awaitLine(line -> line.contains("\"" + program + "\""), () -> exec(testbed, container, program));

            gadget.signal("STOP");
            try {
                testbed.exec(container, program, "run", marker, String.valueOf(EXECS), String.valueOf(PAD));
            } finally {
                gadget.signal("CONT");
            }
            gadget.signal("INT"); // it still prints what its ring holds, then the lost counts
            assertEquals(0, gadget.waitForExit(), gadget.stderr());

            Set<Integer> marked = new HashSet<>();
            List<JsonNode> others = new ArrayList<>();
            for (String line : gadget.stdoutLines()) {
                JsonNode args = JSON.readTree(line).get("args");
                if (args.size() == 4 && args.get(0).asText().equals(program) && args.get(1).asText().equals(marker)) {
                    assertEquals("p".repeat(PAD), args.get(3).asText(), "the arguments arrive intact");
                    assertTrue(marked.add(args.get(2).asInt()), "exec " + args.get(2) + " printed twice");
                } else {
                    others.add(args);
                }
            }
            long lost = 0;
            for (String line : gadget.stderr().lines().toList()) {
                Matcher m = LOST.matcher(line);
                assertTrue(m.matches(), "stderr holds lost counts only: " + line);
                lost += Long.parseLong(m.group(1));
                assertEquals(lost, Long.parseLong(m.group(2)), "each line's total sums the counts so far");
            }
            System.out.printf("host mode loss accounting: %d execs (+%d others of the container); printed %d intact,"
                    + " lost in the kernel's ring %d%n", EXECS, others.size(), marked.size(), lost);

            assertTrue(lost > 0, "the storm overflowed the ring");
            // The container's other execs came first, into an empty ring: the execs of the readiness check, then the
            // storm's own. What the kernel counts lost are the storm's marked execs.
            List<String> own = List.of(program, "run", marker, String.valueOf(EXECS), String.valueOf(PAD));
            assertEquals(1, others.stream().filter(a -> texts(a).equals(own)).count(), "the storm's own exec: " + others);
            assertTrue(others.stream().allMatch(a -> texts(a).equals(own) || texts(a).equals(List.of(program))), others.toString());
            assertEquals(EXECS, marked.size() + lost, "printed + counted lost = the storm's execs, exactly");
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }

    private static void exec(ContainerdTestbed testbed, TestContainer container, String program) {
        try {
            testbed.exec(container, program);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
