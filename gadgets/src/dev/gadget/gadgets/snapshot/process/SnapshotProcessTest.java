package dev.gadget.gadgets.snapshot.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gadget.bpf.RequiresBpf;
import dev.gadget.gadgets.containers.ContainerRegistry;
import dev.gadget.gadgets.containers.HostRoot;
import dev.gadget.gadgets.model.ContainerSelection;
import dev.gadget.gadgets.model.RowView;
import dev.gadget.gadgets.testing.ContainerdTestbed;
import dev.gadget.gadgets.testing.ContainerdTestbed.TestContainer;
import dev.gadget.gadgets.testing.GadgetRecorder;
import dev.gadget.gadgets.testing.Programs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** snapshot process against the real kernel: processes started here and in real containers must be listed exactly. */
@ExtendWith(RequiresBpf.class)
class SnapshotProcessTest {
    private static final SnapshotProcess GADGET = new SnapshotProcess();
    private static final long SELF = ProcessHandle.current().pid();

    private static ContainerdTestbed testbed;
    private static ContainerRegistry registry;
    private static TestContainer web;
    private static TestContainer db;

    @TempDir
    Path dir;

    @BeforeAll
    static void startContainers() throws Exception {
        testbed = ContainerdTestbed.start();
        web = testbed.run("web", "web-5f7c9", "shop");
        db = testbed.run("db", "db-0", "shop");
        registry = ContainerRegistry.start(HostRoot.SELF);
    }

    @AfterAll
    static void stopContainers() throws Exception {
        if (registry != null) {
            registry.close();
        }
        if (testbed != null) {
            testbed.close();
        }
    }

    @Test
    void aHostSleeperIsListedExactlyAndWithoutContainer() throws Exception {
        Process sleeper = new ProcessBuilder("setpriv", "--reuid=1234", "--regid=5678", "--clear-groups", "sleep", "600")
                .start();
        try {
            awaitSleeping(sleeper.pid(), "sleep");
            RowView row = only(snapshot(Map.of(), ContainerSelection.EVERYTHING), sleeper.pid());

            assertEquals("sleep", row.string("comm"));
            assertEquals(SELF, row.number("ppid"));
            assertEquals(1234, row.number("uid"));
            assertEquals(5678, row.number("gid"));
            assertEquals("S", row.string("state"));
            assertEquals(1, row.number("threadCount"));
            assertEquals("", row.string("runtime.containerName"));
            assertEquals("", row.string("k8s.podName"));
            assertEquals(inode(Path.of("/proc", String.valueOf(sleeper.pid()), "ns/mnt")), row.number("mountnsid"));
            assertEquals(cgroupIdOf(sleeper.pid()), row.number("cgroupid"));
            long started = sleeper.info().startInstant().orElseThrow().toEpochMilli();
            assertTrue(Math.abs(row.number("startTime") / 1_000_000 - started) < 1_000,
                    "started at " + started + " ms, listed " + row.number("startTime") + " ns");
        } finally {
            sleeper.destroy();
            sleeper.waitFor();
        }
    }

    @Test
    void aChildNobodyWaitsForIsListedAsAZombie() throws Exception {
        // The shell starts a child that exits at once, then becomes a sleep that never reaps it.
        Process parent = new ProcessBuilder("sh", "-c", "/bin/true & exec sleep 600").start();
        try {
            awaitSleeping(parent.pid(), "sleep");
            String child = Files.readString(Path.of("/proc", String.valueOf(parent.pid()), "task",
                    String.valueOf(parent.pid()), "children")).strip();
            awaitState(Long.parseLong(child), "true", 'Z');
            List<RowView> children = snapshot(Map.of(), ContainerSelection.EVERYTHING).stream()
                    .filter(r -> r.number("ppid") == parent.pid()).toList();

            assertEquals(1, children.size(), "the one child");
            assertEquals("Z", children.getFirst().string("state"));
            assertEquals("true", children.getFirst().string("comm"));
        } finally {
            parent.destroy();
            parent.waitFor();
        }
    }

    @Test
    void aContainersSleeperIsListedWithItsContainerPodAndNamespace() throws Exception {
        List<RowView> rows = snapshot(Map.of(), ContainerSelection.EVERYTHING);
        List<RowView> inWeb = rows.stream().filter(r -> r.string("runtime.containerName").equals("web")).toList();

        assertFalse(inWeb.isEmpty(), "web's processes are listed");
        long webCgroup = inode(Path.of("/sys/fs/cgroup/unified", web.cgroup()));
        for (RowView row : inWeb) {
            assertEquals(webCgroup, row.number("cgroupid"));
            assertEquals(webCgroup, cgroupIdOf(row.number("pid")), "the process is in web's cgroup");
            assertEquals(web.id(), row.string("runtime.containerId"));
            assertEquals("web-5f7c9", row.string("k8s.podName"));
            assertEquals("shop", row.string("k8s.namespace"));
            assertEquals("web", row.string("k8s.containerName"));
            assertEquals("containerd", row.string("runtime.runtimeName"));
        }
        assertTrue(inWeb.stream().anyMatch(r -> r.string("comm").equals("sleep") && r.string("state").equals("S")),
                "web sleeps: " + inWeb.stream().map(r -> r.string("comm")).toList());
    }

    @Test
    void threadsListsEveryThreadOfAProcessAndOtherwiseOneRow() throws Exception {
        Path program = Programs.compileC(dir, "gt-threads", """
                #define _GNU_SOURCE
                #include <pthread.h>
                #include <stdio.h>
                #include <unistd.h>
                static void *wait_forever(void *unused) { for (;;) pause(); return 0; }
                int main(void) {
                    char name[16];
                    for (int i = 0; i < 3; i++) {
                        pthread_t thread;
                        pthread_create(&thread, 0, wait_forever, 0);
                        snprintf(name, sizeof name, "gt-worker-%d", i);
                        pthread_setname_np(thread, name);
                    }
                    printf("ready\\n");
                    fflush(stdout);
                    for (;;) pause();
                }
                """);
        Process threaded = new ProcessBuilder(program.toString()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(threaded.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("ready", out.readLine());
            Set<Long> tids = tids(threaded.pid());
            assertEquals(4, tids.size());

            List<RowView> threads = snapshot(Map.of("threads", "true"), ContainerSelection.EVERYTHING).stream()
                    .filter(r -> r.number("pid") == threaded.pid()).toList();
            assertEquals(tids, Set.copyOf(threads.stream().map(r -> r.number("tid")).toList()));
            assertEquals(List.of("gt-threads", "gt-worker-0", "gt-worker-1", "gt-worker-2"),
                    threads.stream().map(r -> r.string("comm")).sorted().toList());
            for (RowView thread : threads) {
                assertEquals(SELF, thread.number("ppid"));
                assertEquals(4, thread.number("threadCount"));
            }

            RowView process = only(snapshot(Map.of(), ContainerSelection.EVERYTHING), threaded.pid());
            assertEquals("gt-threads", process.string("comm"));
            assertEquals(4, process.number("threadCount"));
        } finally {
            threaded.destroy();
            threaded.waitFor();
        }
    }

    @Test
    void aContainerFilterListsThatContainersProcessesOnly() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "600").start();
        try {
            List<RowView> rows;
            long keptOut;
            try (GadgetRecorder snapshot = new GadgetRecorder(GADGET, Map.of(), registry,
                    new ContainerSelection.Named(Set.of("web")))) {
                snapshot.awaitRow(r -> true);
                rows = snapshot.tables().getFirst();
                keptOut = snapshot.run().filteredInKernel();
            }

            assertFalse(rows.isEmpty());
            assertTrue(keptOut > 1, "the other tasks were kept out by the iterator: " + keptOut);
            for (RowView row : rows) {
                assertEquals("web", row.string("runtime.containerName"), row.string("comm") + " " + row.number("pid"));
            }
            assertTrue(rows.stream().noneMatch(r -> r.number("pid") == sleeper.pid()), "the host sleeper is left out");
            assertEquals(pidsIn(web), rows.stream().map(r -> r.number("pid")).collect(Collectors.toSet()),
                    "exactly the processes of web's cgroup");
        } finally {
            sleeper.destroy();
            sleeper.waitFor();
        }
    }

    @Test
    void hostOnlyLeavesEveryContainerOut() throws Exception {
        List<RowView> rows = snapshot(Map.of(), new ContainerSelection.HostOnly());

        assertTrue(rows.stream().anyMatch(r -> r.number("pid") == SELF), "this JVM is on the host");
        assertTrue(rows.stream().allMatch(r -> r.string("runtime.containerName").isEmpty()));
        assertTrue(rows.stream().noneMatch(r -> pidsIn(db).contains(r.number("pid"))));
    }

    private static List<RowView> snapshot(Map<String, String> params, ContainerSelection selection) throws Exception {
        try (GadgetRecorder snapshot = new GadgetRecorder(GADGET, params, registry, selection)) {
            snapshot.awaitRow(r -> true);
            List<List<RowView>> tables = snapshot.tables();
            assertEquals(1, tables.size(), "a snapshot is one table");
            return tables.getFirst();
        }
    }

    private static RowView only(List<RowView> rows, long pid) {
        List<RowView> matching = rows.stream().filter(r -> r.number("pid") == pid).toList();
        assertEquals(1, matching.size(), "one row for pid " + pid + ": " + matching);
        return matching.getFirst();
    }

    /** The pids in a container's cgroup, as cgroup.procs lists them. */
    private static Set<Long> pidsIn(TestContainer container) {
        try {
            return Set.copyOf(Files.readAllLines(Path.of("/sys/fs/cgroup/unified", container.cgroup(), "cgroup.procs"))
                    .stream().map(Long::parseLong).toList());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Set<Long> tids(long pid) throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            return Set.copyOf(tasks.map(p -> Long.parseLong(p.getFileName().toString())).toList());
        }
    }

    /** The inode of the process's cgroup v2 directory, from the "0::" line of /proc/PID/cgroup. */
    private static long cgroupIdOf(long pid) throws IOException {
        String path = Files.readAllLines(Path.of("/proc", String.valueOf(pid), "cgroup")).stream()
                .filter(l -> l.startsWith("0::")).findFirst().orElseThrow().substring(3);
        return inode(Path.of("/sys/fs/cgroup/unified", path));
    }

    private static long inode(Path path) throws IOException {
        return ((Number) Files.getAttribute(path, "unix:ino")).longValue();
    }

    /** Waits until the process runs {@code comm} and sleeps, as /proc/PID/stat shows. */
    private static void awaitSleeping(long pid, String comm) throws IOException, InterruptedException {
        awaitState(pid, comm, 'S');
    }

    private static void awaitState(long pid, String comm, char state) throws IOException, InterruptedException {
        Path stat = Path.of("/proc", String.valueOf(pid), "stat");
        for (int attempt = 0; attempt < 3000; attempt++) {
            if (Files.readString(stat).contains(" (" + comm + ") " + state + " ")) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("process " + pid + " never was " + comm + " in state " + state + ": "
                + Files.readString(stat));
    }
}
