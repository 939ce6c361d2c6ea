package dev.gadget.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gadget.bpf.RequiresBpf;
import dev.gadget.gadgets.testing.ContainerdTestbed;
import dev.gadget.gadgets.testing.ContainerdTestbed.TestContainer;
import dev.gadget.gadgets.testing.Programs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Host mode names and filters containers of a real containerd. */
@ExtendWith(RequiresBpf.class)
class ContainerFilterIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ContainerdTestbed testbed;
    private static TestContainer web;
    private static TestContainer db;

    @BeforeAll
    static void startContainers() throws Exception {
        testbed = ContainerdTestbed.start();
        web = testbed.run("web", "web-7d4b9", "shop");
        db = testbed.run("db", "db-0", "shop");
    }

    @AfterAll
    static void stopContainers() throws Exception {
        if (testbed != null) {
            testbed.close();
        }
    }

    @Test
    void containerNameFilterShowsOnlyThatContainerWithItsPodInJson() throws Exception {
        GadgetProcess gadget = GadgetProcess.start(List.of("trace", "exec", "-c", "web", "-o", "json"));
        String line = gadget.awaitLine(l -> l.contains("from-web"), () -> {
            exec(db, "/bin/echo", "from-db");
            exec(web, "/bin/echo", "from-web");
        });
        gadget.signal("INT");

        assertEquals(0, gadget.waitForExit());
        JsonNode event = JSON.readTree(line);
        assertEquals("containerd", event.at("/runtime/runtimeName").asText());
        assertEquals(web.id(), event.at("/runtime/containerId").asText());
        assertEquals("web", event.at("/runtime/containerName").asText());
        assertEquals(ContainerdTestbed.IMAGE, event.at("/runtime/containerImageName").asText());
        assertEquals("shop", event.at("/k8s/namespace").asText());
        assertEquals("web-7d4b9", event.at("/k8s/podName").asText());
        assertEquals("web", event.at("/k8s/containerName").asText());
        for (String each : gadget.stdoutLines()) {
            assertEquals("web", JSON.readTree(each).at("/runtime/containerName").asText(), each);
        }
    }

    @Test
    void columnsNameTheContainerAndLeaveHostProcessesBlank() throws Exception {
        GadgetProcess gadget = GadgetProcess.start(List.of("trace", "exec"));
        String row = gadget.awaitLine(l -> l.contains(" echo ") && l.endsWith(" /bin/echo from-db"),
                () -> exec(db, "/bin/echo", "from-db"));
        String hostRow = gadget.awaitLine(l -> l.endsWith(" /bin/echo from-the-host"),
                () -> runOnHost("/bin/echo", "from-the-host"));
        gadget.signal("INT");

        assertEquals(0, gadget.waitForExit());
        assertTrue(gadget.stdoutLines().getFirst().startsWith("RUNTIME.CONTAINERNAME "), gadget.stdoutLines().getFirst());
        assertTrue(row.startsWith("db "), row);
        assertTrue(hostRow.startsWith(" ".repeat(22)), "a host process has no container: " + hostRow);
    }

    @Test
    void aContainerThatDoesNotExistYetIsWaitedForAndSaidSo() throws Exception {
        GadgetProcess gadget = GadgetProcess.start(List.of("trace", "exec", "-c", "nothere", "--timeout", "1"));

        assertEquals(0, gadget.waitForExit());
        assertEquals("warning: no container named 'nothere' yet: waiting for it\n", gadget.stderr());
        assertFalse(gadget.stdoutLines().size() > 1, "nothing traced: " + gadget.stdoutLines());
    }

    @Test
    void traceOpenWithAContainerFilterShowsThatContainersOpensWithThePathItPassed() throws Exception {
        GadgetProcess gadget = GadgetProcess.start(List.of("trace", "open", "-c", "web", "-o", "json"));
        String line = gadget.awaitLine(l -> l.contains("/gt-open-web"), () -> {
            exec(db, "sh", "-c", ": > /gt-open-db");
            exec(web, "sh", "-c", ": > /gt-open-web");
        });
        gadget.signal("INT");

        assertEquals(0, gadget.waitForExit());
        JsonNode event = JSON.readTree(line);
        assertEquals("/gt-open-web", event.get("path").asText());
        assertEquals("O_WRONLY|O_CREAT|O_TRUNC", event.get("flags").asText());
        assertEquals("web", event.at("/runtime/containerName").asText());
        assertEquals("web-7d4b9", event.at("/k8s/podName").asText());
        for (String each : gadget.stdoutLines()) {
            assertEquals("web", JSON.readTree(each).at("/runtime/containerName").asText(), each);
        }
    }

    @Test
    void topFileWithAContainerFilterCountsThatContainersFilesByTheirPathInside() throws Exception {
        GadgetProcess gadget = GadgetProcess.start(List.of("top", "file", "-c", "web", "-o", "json", "--interval", "200ms"));
        gadget.awaitLine(l -> true, () -> {
        }); // the first table: counting has begun
        exec(db, "sh", "-c", "echo hello > /gt-top-db");
        exec(web, "sh", "-c", "echo hello > /gt-top-web");
        String line = gadget.awaitLine(l -> l.contains("/gt-top-web"), () -> {
        });
        gadget.signal("INT");

        assertEquals(0, gadget.waitForExit());
        JsonNode row = null;
        for (JsonNode each : JSON.readTree(line)) {
            if (each.get("filename").asText().equals("/gt-top-web")) {
                row = each;
            }
        }
        assertTrue(row != null, line);
        assertEquals(1, row.get("writes").asInt());
        assertEquals("hello\n".length(), row.get("wbytes").asInt());
        assertEquals("web", row.at("/runtime/containerName").asText());
        for (String each : gadget.stdoutLines()) {
            for (JsonNode counted : JSON.readTree(each)) {
                assertEquals("web", counted.at("/runtime/containerName").asText(), each);
            }
        }
    }

    private static void runOnHost(String... command) {
        try {
            Programs.run(Path.of("/"), List.of(command));
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static void exec(TestContainer container, String... command) {
        try {
            testbed.exec(container, command);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
