package dev.gadget.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gadget.bpf.RequiresBpf;
import dev.gadget.gadgets.model.RunMessage;
import dev.gadget.gadgets.testing.BadInputTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every row of docs/bad-input.md's daemon table against a real daemon: its status and {"error": one
 * line, as the row says}, never a stack trace; after each, the daemon still answers GET /v1/info and
 * starts a run. The refusals are counted in /metrics, by status.
 */
@ExtendWith(RequiresBpf.class)
class BadInputDaemonTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EXEC = "{\"category\":\"trace\",\"name\":\"exec\"";

    private static TestDaemon daemon;
    private static final Map<Integer, Integer> refused = new HashMap<>();
    private static PrometheusText before;

    @BeforeAll
    static void startDaemon() {
        daemon = TestDaemon.start("--max-sessions", "2");
    }

    @AfterAll
    static void stopDaemon() {
        if (daemon != null) {
            daemon.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyRowOfTheDaemonTable() throws Exception {
        before = daemon.metrics();
        List<BadInputTable.Row> rows = BadInputTable.load().rows("daemon");
        assertTrue(rows.size() >= 30, "docs/bad-input.md has " + rows.size() + " daemon rows");
        Stream<DynamicTest> checks = rows.stream().map(row -> DynamicTest.dynamicTest(row.id() + ": " + row.cell("Method")
                + " " + row.cell("Path") + " " + row.cell("Body"), () -> check(row)));
        return Stream.concat(checks, Stream.of(DynamicTest.dynamicTest("the refusals are counted in /metrics",
                BadInputDaemonTest::refusalsAreCounted)));
    }

    private static void check(BadInputTable.Row row) throws Exception {
        List<RunStream> given = given(row.cell("Given"));
        try {
            String path = row.cell("Path").replace("{id}", given.isEmpty() ? "{id}" : given.getFirst().session);
            String body = row.cell("Body");
            ApiClient.Response response = daemon.client.send(row.cell("Method"), path,
                    body.isEmpty() ? null : BadInputTable.bytes(body));
            if (response.status() >= 400 && response.status() < 500) {
                refused.merge(response.status(), 1, Integer::sum);
            }
            int status = Integer.parseInt(row.cell("Status"));
            String error = error(row, response);
            assertTrue(BadInputTable.matches(row.cell("Error"), error), row + ": expected\n  " + row.cell("Error")
                    + "\nbut got\n  " + error);
            assertEquals(status, response.status(), row + ": status; error " + error);
        } finally {
            for (RunStream run : given) {
                run.close();
            }
        }
        daemon.awaitNoSessions();
        assertGoodRequestsWork();
    }

    /** The scene a row asks for: runs of trace exec, closed after the row. */
    private static List<RunStream> given(String given) throws Exception {
        List<RunStream> runs = new ArrayList<>();
        switch (given) {
            case "" -> {
            }
            case "a run on everything" -> runs.add(daemon.client.traceExec());
            case "a run on ids" -> runs.add(daemon.client.run("trace", "exec", Map.of(),
                    EXEC + ",\"containers\":{\"type\":\"ids\",\"containerIds\":[]}}"));
            case "the most sessions run" -> {
                runs.add(daemon.client.traceExec());
                runs.add(daemon.client.traceExec());
            }
            default -> throw new AssertionError("docs/bad-input.md: no such Given: '" + given + "'");
        }
        return runs;
    }

    private static void assertGoodRequestsWork() throws Exception {
        ApiClient.Response info = daemon.client.get("/v1/info");
        assertEquals(200, info.status(), info.body());
        try (RunStream run = daemon.client.traceExec()) {
            assertTrue(run.messages().getFirst() instanceof RunMessage.Started, "a good request still works");
        }
        daemon.awaitNoSessions();
    }

    private static void refusalsAreCounted() throws Exception {
        PrometheusText after = daemon.metrics();
        refused.forEach((status, count) -> assertEquals(count.doubleValue(),
                after.value("gadget_bad_requests_total", Map.of("status", status.toString()))
                        - before.value("gadget_bad_requests_total", Map.of("status", status.toString())),
                "requests refused with " + status));
    }

    /** The error of a refusal: JSON, exactly {"error": one line}, no stack trace. */
    private static String error(BadInputTable.Row row, ApiClient.Response response) throws Exception {
        assertEquals("application/json", response.contentType(), row + ": " + response);
        JsonNode body = JSON.readTree(response.body());
        assertEquals(1, body.size(), row + ": " + response.body());
        String error = body.get("error").asText();
        assertFalse(error.isBlank(), row.toString());
        assertFalse(error.contains("\n"), row + ": " + error);
        assertFalse(error.contains("Exception") || error.contains("\tat ") || error.contains("jackson"), row + ": " + error);
        return error;
    }

    @Test
    void aSelectionWithinItsModeStillChangesAfterRefusals() throws Exception {
        daemon.awaitNoSessions();
        try (RunStream run = daemon.client.run("trace", "exec", Map.of(),
                EXEC + ",\"containers\":{\"type\":\"ids\",\"containerIds\":[]}}")) {
            ApiClient.Response refusedChange = daemon.client.send("PUT", "/v1/runs/" + run.session + "/containers",
                    "{\"type\":\"host\"}");
            assertEquals(409, refusedChange.status(), refusedChange.body());
            ApiClient.Response toNamed = daemon.client.send("PUT", "/v1/runs/" + run.session + "/containers",
                    "{\"type\":\"named\",\"names\":[\"web\"]}");
            assertEquals(200, toNamed.status(), toNamed.body());
        }
        daemon.awaitNoSessions();
    }
}
