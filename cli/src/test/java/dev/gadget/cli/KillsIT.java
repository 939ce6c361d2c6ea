package dev.gadget.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gadget.bpf.HeldBpf;
import dev.gadget.bpf.RequiresBpf;
import dev.gadget.gadgets.testing.BpfLeakCheck;
import dev.gadget.gadgets.testing.Programs;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host command killed at random moments (while the JVM starts, while BPF loads, while events
 * stream) during an exec storm, with SIGINT, SIGTERM or SIGKILL: whatever the moment, no BPF program,
 * link or map it held stays in the kernel, and it never ends in a stack trace. The moments come from a
 * seeded random, printed: -Dgadget.seed=N repeats a run.
 */
@ExtendWith(RequiresBpf.class)
class KillsIT {
    private static final int KILLS = 10;
    private static final List<String> SIGNALS = List.of("INT", "TERM", "KILL");
    private static final Map<String, Integer> NUMBERS = Map.of("INT", 2, "TERM", 15, "KILL", 9);
    private static final List<List<String>> COMMANDS = List.of(
            List.of("trace", "exec", "-o", "json"),
            List.of("trace", "open", "-o", "json"),
            List.of("top", "file", "--interval", "200ms", "-o", "json"),
            List.of("profile", "cpu", "-o", "folded"));

    @TempDir
    Path dir;

    @Test
    void killedAtRandomMomentsDuringAStormItLeavesNoBpfBehind() throws Exception {
        long seed = Long.getLong("gadget.seed", System.nanoTime());
        System.out.println("KillsIT (host command): seed " + seed + " (repeat with -Dgadget.seed=" + seed + ")");
        Random random = new Random(seed);
        Process storm = new ProcessBuilder(Programs.endlessStorm(dir).toString()).start();
        try {
            for (int kill = 1; kill <= KILLS; kill++) {
                List<String> command = COMMANDS.get(random.nextInt(COMMANDS.size()));
                String signal = SIGNALS.get(random.nextInt(SIGNALS.size()));
                int delayMillis = random.nextInt(3000);

                GadgetProcess gadget = GadgetProcess.start(command);
                BpfLeakCheck leaks = BpfLeakCheck.watch(gadget.pid());
                Thread.sleep(delayMillis);
                gadget.signal(signal);
                int status = gadget.waitForExit();
                HeldBpf held = leaks.assertAllReleased();

                String what = "kill " + kill + ": gadget " + String.join(" ", command) + ", SIG" + signal + " after "
                        + delayMillis + " ms";
                System.out.println(what + ": exit " + status + "; it held " + held.programs().size() + " programs, "
                        + held.links().size() + " links, " + held.maps().size() + " maps: none left");
                int killed = 128 + NUMBERS.get(signal);
                if (signal.equals("KILL")) {
                    assertEquals(killed, status, what);
                } else {
                    // 0 once the command runs; before its handling is installed the JVM's default ends it as killed.
                    assertTrue(status == 0 || status == killed, what + ": exit " + status + "; stderr " + gadget.stderr());
                }
                assertFalse(gadget.stderr().contains("\tat ") || gadget.stderr().contains("Exception in thread"),
                        what + ": a stack trace: " + gadget.stderr());
            }
        } finally {
            storm.destroyForcibly().waitFor();
        }
    }
}
