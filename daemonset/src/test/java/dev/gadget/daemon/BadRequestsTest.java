package dev.gadget.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gadget.bpf.RequiresBpf;
import dev.gadget.gadgets.catalog.Catalog;
import dev.gadget.gadgets.model.GadgetDescription;
import dev.gadget.gadgets.model.RunMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import dev.gadget.gadgets.catalog.Catalog;
import dev.gadget.gadgets.model.GadgetDescription;
import java.util.List;
import java.util.stream.Collectors;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every kind of bad request gets its 4xx and {"error": one line naming what is wrong and what to do};
 * the daemon goes on serving, and counts them.
 */
@ExtendWith(RequiresBpf.class)
class BadRequestsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EXEC = "{\"category\":\"trace\",\"name\":\"exec\"";

    private static TestDaemon daemon;

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

    private record Bad(String what, String method, String path, byte[] body, int status, String error) {
        Bad(String what, String method, String path, String body, int status, String error) {
            this(what, method, path, body.getBytes(StandardCharsets.UTF_8), status, error);
        }
    }

    private static List<Bad> badRequests() {
        byte[] notUtf8 = (EXEC + ",\"params\":{\"paths\":\"tr\u00ffe\"}}").getBytes(StandardCharsets.ISO_8859_1);
        String oversized = EXEC + ",\"params\":{\"paths\":\"" + "x".repeat(70_000) + "\"}}";
        return List.of(
                new Bad("unknown gadget", "POST", "/v1/runs", "{\"category\":\"trace\",\"name\":\"nope\"}", 400,
                        "unknown gadget 'trace nope': this daemon has " + Catalog.descriptions().stream()
                                .map(GadgetDescription::id).collect(Collectors.joining(", ")) + " (GET /v1/gadgets)"),
                new Bad("unknown parameter", "POST", "/v1/runs", EXEC + ",\"params\":{\"colour\":\"red\"}}", 400,
                        "params: unknown parameter --colour for trace exec: it takes --paths"),
                new Bad("ill-typed parameter value", "POST", "/v1/runs", EXEC + ",\"params\":{\"paths\":\"maybe\"}}", 400,
                        "params: --paths: 'maybe' is not true or false"),
                new Bad("parameter as a JSON boolean", "POST", "/v1/runs", EXEC + ",\"params\":{\"paths\":true}}", 400,
                        "params.paths: takes a string, not true"),
                new Bad("parameter without a value", "POST", "/v1/runs", EXEC + ",\"params\":{\"paths\":null}}", 400,
                        "params: paths has no value (null): give it as text, as typed after --paths"),
                new Bad("no container named", "POST", "/v1/runs", EXEC + ",\"containers\":{\"type\":\"named\",\"names\":[]}}",
                        400, "containers: names: name at least one container"),
                new Bad("a bad container id", "POST", "/v1/runs",
                        EXEC + ",\"containers\":{\"type\":\"ids\",\"containerIds\":[\"a b\"]}}", 400,
                        "containers: containerIds: 'a b' is not a container id such as containerd://<64 hex digits> or the"
                                + " digits alone"),
                new Bad("unknown selection type", "POST", "/v1/runs", EXEC + ",\"containers\":{\"type\":\"pods\"}}", 400,
                        "containers.type: 'pods' is not known: give one of everything, host, named, ids"),
                new Bad("selection without a type", "POST", "/v1/runs", EXEC + ",\"containers\":{\"names\":[\"a\"]}}", 400,
                        "containers.type: missing: give one of everything, host, named, ids"),
                new Bad("malformed JSON", "POST", "/v1/runs", "{\"category\": trace}", 400,
                        "malformed JSON at line 1, column 14: Unrecognized token 'trace'"),
                new Bad("truncated JSON", "POST", "/v1/runs", EXEC, 400,
                        "malformed JSON at line 1, column 34: Unexpected end-of-input: expected close marker for Object"),
                new Bad("not an object", "POST", "/v1/runs", "[1, 2]", 400,
                        "the body is not a JSON object: send a RunRequest (see docs/protocol.md)"),
                new Bad("two values", "POST", "/v1/runs", EXEC + "} {}", 400,
                        "malformed JSON at line 1, column 36: more follows the JSON value: send one"),
                new Bad("a field twice", "POST", "/v1/runs", EXEC + ",\"name\":\"exec\"}", 400,
                        "malformed JSON at line 1, column 41: Duplicate field 'name'"),
                new Bad("oversized body", "POST", "/v1/runs", oversized, 413, "the body is " + oversized.length()
                        + " bytes; the daemon takes at most 65536: send a smaller request"),
                new Bad("deeply nested JSON", "POST", "/v1/runs",
                        EXEC + ",\"params\":" + "[".repeat(100) + "]".repeat(100) + "}", 400,
                        "the JSON is nested deeper than 16 levels: send a RunRequest as docs/protocol.md shows"),
                new Bad("not UTF-8", "POST", "/v1/runs", notUtf8, 400,
                        "the body is not UTF-8 (byte 0xff at offset " + new String(notUtf8, StandardCharsets.ISO_8859_1).indexOf('\u00ff')
                                + "): send JSON encoded as UTF-8"),
                new Bad("unknown field", "POST", "/v1/runs", EXEC + ",\"colour\":\"red\"}", 400,
                        "unknown field 'colour': the request takes category, containers, name, params, timeoutSeconds"),
                new Bad("unknown nested field", "POST", "/v1/runs",
                        EXEC + ",\"containers\":{\"type\":\"named\",\"names\":[\"a\"],\"pods\":[]}}", 400,
                        "unknown field 'containers.pods': containers takes names"),
                new Bad("missing name", "POST", "/v1/runs", "{\"category\":\"trace\"}", 400,
                        "name is missing: give it (see docs/protocol.md)"),
                new Bad("number for a string", "POST", "/v1/runs", "{\"category\":\"trace\",\"name\":7}", 400,
                        "name: takes a string, not 7"),
                new Bad("negative timeout", "POST", "/v1/runs", EXEC + ",\"timeoutSeconds\":-1}", 400,
                        "timeoutSeconds: -1 is below 0 (0 runs until stopped)"),
                new Bad("fractional timeout", "POST", "/v1/runs", EXEC + ",\"timeoutSeconds\":1.5}", 400,
                        "timeoutSeconds: takes a whole number, not 1.5"),
                new Bad("timeout of a century", "POST", "/v1/runs", EXEC + ",\"timeoutSeconds\":3153600000}", 400,
                        "timeoutSeconds: 3153600000 is more than a year (31536000): give less, or 0 to run until stopped"),
                new Bad("empty body", "POST", "/v1/runs", "", 400,
                        "the body is empty: send a RunRequest as JSON (see docs/protocol.md)"),
                new Bad("wrong method", "PATCH", "/v1/runs", "{}", 405, "/v1/runs takes POST, GET, not PATCH"),
                new Bad("wrong method on a run", "GET", "/v1/runs/0123/containers", "", 405,
                        "/v1/runs/0123/containers takes PUT, not GET"),
                new Bad("wrong method for info", "POST", "/v1/info", "{}", 405, "/v1/info takes GET, not POST"),
                new Bad("unknown path", "GET", "/v2/runs", "", 404, "no such path /v2/runs: the API has GET /v1/info, "
                        + "GET /v1/gadgets, POST /v1/runs, GET /v1/runs, DELETE /v1/runs/{id}, PUT /v1/runs/{id}/containers,"
                        + " GET /healthz, GET /metrics"),
                new Bad("unknown session", "DELETE", "/v1/runs/0123", "", 404,
                        "no session '0123' on node test-node: it ended, or never was (GET /v1/runs lists those running)"),
                new Bad("selection of an unknown session", "PUT", "/v1/runs/0123/containers", "{\"type\":\"everything\"}",
                        404, "no session '0123' on node test-node: it ended, or never was (GET /v1/runs lists those"
                                + " running)"));
    }

    @Test
    void everyBadRequestGetsItsStatusAndOneLineThenAGoodRequestWorks() throws Exception {
        PrometheusText before = daemon.metrics();
        Map<Integer, Integer> refused = new HashMap<>();
        List<String> wrong = new ArrayList<>();
        for (Bad bad : badRequests()) {
            ApiClient.Response response = daemon.client.send(bad.method(), bad.path(), bad.body());
            refused.merge(bad.status(), 1, Integer::sum);
            String error = error(response);
            if (response.status() != bad.status() || !error.startsWith(bad.error())) {
                wrong.add(bad.what() + ": " + response.status() + " " + error);
            }
        }
        assertEquals(List.of(), wrong, "each bad request: its status and error");

        try (RunStream run = daemon.client.traceExec()) {
            assertTrue(run.messages().getFirst() instanceof RunMessage.Started, "a good request still works");
        }
        PrometheusText after = daemon.metrics();
        refused.forEach((status, count) -> assertEquals(count.doubleValue(),
                after.value("gadget_bad_requests_total", Map.of("status", status.toString()))
                        - before.value("gadget_bad_requests_total", Map.of("status", status.toString())),
                "requests refused with " + status));
    }

    @Test
    void aThirdSessionIsRefusedWith429AndAModeChangeWith409() throws Exception {
        daemon.awaitNoSessions();
        try (RunStream first = daemon.client.traceExec(); RunStream second = daemon.client.run("trace", "exec", Map.of(),
                EXEC + ",\"containers\":{\"type\":\"ids\",\"containerIds\":[]}}")) {
            ApiClient.Response third = daemon.client.send("POST", "/v1/runs", EXEC + "}");
            assertEquals(429, third.status());
            assertEquals("this node runs 2 sessions already, the most it takes (--max-sessions): stop one"
                    + " (DELETE /v1/runs/{id}) or try again later", error(third));

            ApiClient.Response toEverything = daemon.client.send("PUT", "/v1/runs/" + second.session + "/containers",
                    "{\"type\":\"everything\"}");
            assertEquals(409, toEverything.status());
            assertEquals("containers: this run started with selection type 'ids', whose filter mode is fixed when the"
                    + " gadget loads; it can change to the same type or between 'named' and 'ids' only: start a new run"
                    + " for 'everything'", error(toEverything));
            ApiClient.Response toNamed = daemon.client.send("PUT", "/v1/runs/" + first.session + "/containers",
                    "{\"type\":\"named\",\"names\":[\"web\"]}");
            assertEquals(409, toNamed.status());
            assertTrue(error(toNamed).startsWith("containers: this run started with selection type 'everything'"),
                    error(toNamed));

            ApiClient.Response toIds = daemon.client.send("PUT", "/v1/runs/" + second.session + "/containers",
                    "{\"type\":\"named\",\"names\":[\"web\"]}");
            assertEquals(200, toIds.status(), toIds.body());
        }
        daemon.awaitNoSessions();
        try (RunStream again = daemon.client.traceExec()) {
            assertTrue(again.messages().getFirst() instanceof RunMessage.Started, "once a session ended, a new one starts");
        }
    }

    /** The error of a refusal: JSON, exactly {"error": one line}, no stack trace. */
    private static String error(ApiClient.Response response) throws Exception {
        assertEquals("application/json", response.contentType(), response.body());
        JsonNode body = JSON.readTree(response.body());
        assertEquals(1, body.size(), response.body());
        String error = body.get("error").asText();
        assertFalse(error.isBlank());
        assertFalse(error.contains("\n"), error);
        assertFalse(error.contains("Exception") || error.contains("\tat ") || error.contains("jackson"), error);
        return error;
    }
}
