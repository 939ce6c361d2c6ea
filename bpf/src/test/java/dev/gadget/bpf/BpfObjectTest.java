package dev.gadget.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RequiresBpf.class)
class BpfObjectTest {

    @Test
    void everyTracepointKindFiresForTheTargetProcessOnly() {
        try (BpfObject object = TestObject.open()) {
            object.load();
            object.attachTracepoints();
            TestObject.getppid(10);

            assertEquals(10, TestObject.hits(object, TestObject.HIT_TRACEPOINT));
            assertEquals(10, TestObject.hits(object, TestObject.HIT_RAW_TRACEPOINT));
            assertEquals(10, TestObject.hits(object, TestObject.HIT_BTF_TRACEPOINT));
        }
    }

    @Test
    void aConstantAimsTheProgram() {
        try (BpfObject object = BpfObject.open(TestObject.class, "binding_test.bpf.o")) {
            object.setConstant("target_pid", 1);
            object.load();
            object.attachTracepoints();
            TestObject.getppid(10);

            assertEquals(0, TestObject.hits(object, TestObject.HIT_TRACEPOINT));
        }
    }

    @Test
    void constantsAreFrozenAfterLoadAndMustExist() {
        try (BpfObject object = TestObject.open()) {
            IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                    () -> object.setConstant("no_such_global", 1));
            assertTrue(unknown.getMessage().contains("no_such_global"), unknown.getMessage());
            object.load();
            assertThrows(IllegalStateException.class, () -> object.setConstant("target_pid", 1));
        }
    }

    @Test
    void hashMapLookupUpdateDeleteAndKeys() {
        try (BpfObject object = TestObject.open()) {
            object.load();
            BpfMap kv = object.map("kv");
            var key = kv.newKeyBuffer();
            var value = kv.newValueBuffer();
            for (int k = 1; k <= 3; k++) {
                kv.update(key.putInt(0, k), value.putLong(0, k * 100L), BpfMap.Update.NOEXIST);
            }
            assertTrue(kv.lookup(key.putInt(0, 2), value));
            assertEquals(200, value.getLong(0));
            BpfException exists = assertThrows(BpfException.class,
                    () -> kv.update(key.putInt(0, 2), value, BpfMap.Update.NOEXIST));
            assertEquals(Errno.EEXIST, exists.errno());

            assertTrue(kv.delete(key.putInt(0, 2)));
            assertFalse(kv.delete(key.putInt(0, 2)));
            assertFalse(kv.lookup(key.putInt(0, 2), value));
            Set<Integer> keys = kv.keys().stream().map(b -> b.getInt(0)).collect(Collectors.toSet());
            assertEquals(Set.of(1, 3), keys);
        }
    }

    @Test
    void iteratorWalksTheKernelsTasks() {
        try (BpfObject object = TestObject.open()) {
            object.load();
            String tasks = new String(object.iterator("list_tasks").read(), StandardCharsets.UTF_8);
            long self = ProcessHandle.current().pid();

            assertTrue(tasks.lines().anyMatch(line -> line.startsWith(self + " ")), tasks);
            assertTrue(tasks.lines().anyMatch(line -> line.equals("2 kthreadd")), "kernel threads too");
        }
    }

    @Test
    void perfEventProgramRunsOnSamples() {
        try (BpfObject object = TestObject.open()) {
            object.load();
            object.attachPerfEvent("on_perf_event", PerfEvent.cpuClockOfThread(0, 1000));
            long giveUp = System.nanoTime() + 30_000_000_000L;
            while (TestObject.hits(object, TestObject.HIT_PERF_EVENT) == 0 && System.nanoTime() < giveUp) {
                Thread.onSpinWait(); // burn CPU: the clock samples only while this process runs
            }
            assertTrue(TestObject.hits(object, TestObject.HIT_PERF_EVENT) > 0);
        }
    }

    @Test
    void theLinkClosesThePerfEventsDescriptorAndAFailedAttachClosesItToo() throws Exception {
        long before = perfEventDescriptors();
        try (BpfObject object = TestObject.open()) {
            object.load();
            object.attachPerfEvent("on_perf_event", PerfEvent.cpuClockOfCpu(0, 10));
            assertThrows(IllegalArgumentException.class,
                    () -> object.attachPerfEvent("no_such_program", PerfEvent.cpuClockOfCpu(0, 10)));
            BpfException wrongType = assertThrows(BpfException.class,
                    () -> object.attachPerfEvent("on_getppid", PerfEvent.cpuClockOfCpu(0, 10)));
            assertTrue(wrongType.getMessage().startsWith(
                    "attaching binding_test/on_getppid to the cpu-clock perf event of CPU 0: "), wrongType.getMessage());
        }
        assertEquals(before, perfEventDescriptors(), "every perf event descriptor closed");
    }

    @Test
    void aFrequencyAboveTheKernelsLimitSaysSo() throws Exception {
        long max = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/kernel/perf_event_max_sample_rate")).getFirst());
        BpfException e = assertThrows(BpfException.class, () -> PerfEvent.cpuClockOfCpu(0, max + 1));
        assertEquals("opening the cpu-clock perf event of CPU 0 at " + (max + 1) + " Hz: EINVAL — above"
                + " kernel.perf_event_max_sample_rate (" + max + " Hz): sample less often", e.getMessage());
    }

    /** This process's open perf event descriptors (links to "anon_inode:[perf_event]"). */
    private static long perfEventDescriptors() throws IOException {
        long count = 0;
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    count += Files.readSymbolicLink(fd).toString().equals("anon_inode:[perf_event]") ? 1 : 0;
                } catch (NoSuchFileException closedMeanwhile) {
                    // the listing's own descriptor, gone once listed
                }
            }
        }
        return count;
    }

    @Test
    void testRunRunsAProgramOnDemandAndReturnsItsResult() {
        try (BpfObject object = BpfObject.open(TestObject.class, "test_run.bpf.o")) {
            object.load();

            assertEquals(1, object.testRun("count_runs"));
            assertEquals(2, object.testRun("count_runs"));
        }
    }

    @Test
    void testRunRefusesAProgramThatNeedsInput() {
        try (BpfObject object = TestObject.open()) {
            object.load();

            BpfException e = assertThrows(BpfException.class, () -> object.testRun("on_getppid"));
            assertTrue(e.getMessage().startsWith("test-running binding_test/on_getppid: "), e.getMessage());
        }
    }

    @Test
    void mapsHaveDistinctKernelIdsOnceLoaded() {
        try (BpfObject object = TestObject.open()) {
            object.load();
            int hits = object.map("hits").id();
            int kv = object.map("kv").id();

            assertTrue(hits > 0 && kv > 0, hits + ", " + kv);
            assertTrue(hits != kv);
            assertEquals(hits, object.map("hits").id());
        }
    }

    @Test
    void theInventoryListsAnObjectsMapsByIdAndNameUntilItCloses() throws InterruptedException {
        BpfObject object = TestObject.open();
        object.load();
        int hits = object.map("hits").id();

        assertTrue(BpfInventory.maps().contains(new BpfInventory.Map(hits, "hits")), "the kernel lists map " + hits);
        assertTrue(BpfInventory.mapExists(hits));
        object.close();
        for (int attempt = 0; attempt < 100 && BpfInventory.mapExists(hits); attempt++) {
            Thread.sleep(50); // freed after an RCU grace period
        }
        assertFalse(BpfInventory.mapExists(hits), "map " + hits + " is gone");
        assertFalse(BpfInventory.maps().stream().anyMatch(m -> m.id() == hits));
    }

    @Test
    void closeReleasesEveryProgramAndLinkOnce() throws InterruptedException {
        Set<Integer> before = programIds(BpfInventory.programs());
        BpfObject object = TestObject.open();
        object.load();
        object.attachTracepoints();
        object.iterator("list_tasks");

        Set<Integer> ours = programIds(BpfInventory.programs());
        ours.removeAll(before);
        assertEquals(5, ours.size(), "the object's five programs are loaded");
        assertEquals(4, linksOf(ours).size(), "three tracepoint links and the iterator link");

        object.close();
        object.close();
        Set<Integer> left = new HashSet<>(ours);
        for (int attempt = 0; attempt < 100 && !(left.isEmpty() && linksOf(ours).isEmpty()); attempt++) {
            Thread.sleep(50); // the kernel frees programs after an RCU grace period
            left.retainAll(programIds(BpfInventory.programs()));
        }
        assertEquals(Set.of(), left, "programs left in the kernel");
        assertEquals(List.of(), linksOf(ours), "links left in the kernel");
    }

    @Test
    void usingAClosedObjectFailsClearly() {
        BpfObject object = TestObject.open();
        object.load();
        BpfMap kv = object.map("kv");
        object.close();

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> kv.lookup(kv.newKeyBuffer(), kv.newValueBuffer()));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, object::attachTracepoints);
    }

    @Test
    void garbageIsRejectedWithAOneLineMessage() {
        BpfException e = assertThrows(BpfException.class,
                () -> BpfObject.open("garbage", "not an ELF file".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(e.getMessage().startsWith("opening BPF object garbage: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void missingProgramNamesWhatExists() {
        try (BpfObject object = TestObject.open()) {
            object.load();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> object.attach("nope"));
            assertTrue(e.getMessage().contains("on_getppid"), e.getMessage());
        }
    }

    @Test
    void structLayoutComesFromBtf() {
        try (BpfObject object = TestObject.open()) {
            StructLayout buffer = object.structLayout("record_buf");
            assertEquals(4096, buffer.size());
            assertEquals(0, buffer.offset("bytes"));
            assertThrows(IllegalArgumentException.class, () -> buffer.offset("nope"));
        }
    }

    private static Set<Integer> programIds(List<BpfInventory.Program> programs) {
        return programs.stream().map(BpfInventory.Program::id).collect(Collectors.toCollection(HashSet::new));
    }

    private static List<BpfInventory.Link> linksOf(Set<Integer> programIds) {
        return BpfInventory.links().stream().filter(link -> programIds.contains(link.programId())).toList();
    }
}
