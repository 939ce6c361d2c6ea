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
