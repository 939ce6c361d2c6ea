package dev.gadget.daemon;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.gadget.gadgets.catalog.Catalog;
import dev.gadget.gadgets.model.ContainerSelection;
import dev.gadget.gadgets.model.GadgetDescription;
import dev.gadget.gadgets.model.ParamException;
import dev.gadget.gadgets.model.ParamValues;
import dev.gadget.gadgets.model.RunRequest;
import dev.gadget.gadgets.runner.Gadget;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The daemon's HTTP API (docs/protocol.md): routes each request, checks it fully, and answers with
 * JSON, an NDJSON stream of a run's messages, or the metrics text. A refused request gets a 4xx and
 * {"error": "one line"}; nothing a client sends gets it a stack trace or stops the daemon.
 */
final class Api implements HttpHandler {
    static final int PROTOCOL_VERSION = 1;
    static final int MAX_BODY_BYTES = 64 * 1024;
    /** How much of a body above the limit is read (and thrown away) before the 413. */
    private static final long MAX_DRAIN_BYTES = 1 << 20;
    private static final Duration DELETE_PATIENCE = Duration.ofSeconds(10);
    private static final String ROUTES = "GET /v1/info, GET /v1/gadgets, POST /v1/runs, GET /v1/runs, "
            + "DELETE /v1/runs/{id}, PUT /v1/runs/{id}/containers, GET /healthz, GET /metrics";
    private static final String METRICS_ROUTES = "GET /metrics, GET /healthz";
    private static final Logger LOG = Logger.getLogger(Api.class.getName());

    /**
     * What /v1/info tells: the daemon, its node, and which kinds of BPF hook work there.
     *
     * @param error why no gadget can run on this node (e.g. a capability the pod lacks); empty when they can
     */
    record Info(String daemonVersion, int protocolVersion, String node, String kernelRelease, boolean btf,
            boolean cgroupV2, Map<String, HookProbe.Result> hooks, int maxSessions, long clientQueueBytes,
            long heartbeatMillis, @JsonInclude(JsonInclude.Include.NON_EMPTY) String error) {
    }

    record Error(String error) {
    }

    record Gadgets(List<GadgetDescription> gadgets) {
    }

    record RunSummary(String id, String category, String name, Map<String, String> params, ContainerSelection containers,
            long timeoutSeconds, String startedAt, long droppedMessages, long queuedBytes) {
    }

    record RunList(List<RunSummary> runs) {
    }

    record Selected(String id, ContainerSelection containers) {
    }

    record Stopped(String id, boolean ended) {
    }

    private final Info info;
    private final Sessions sessions;
    private final Metrics metrics;
    private final boolean metricsOnly;

    private Api(Info info, Sessions sessions, Metrics metrics, boolean metricsOnly) {
        this.info = info;
        this.sessions = sessions;
        this.metrics = metrics;
        this.metricsOnly = metricsOnly;
    }

    /** The whole API, for the loopback address. */
    static Api gadgets(Info info, Sessions sessions, Metrics metrics) {
        return new Api(info, sessions, metrics, false);
    }

    /** Only /metrics and /healthz, for the pod's own address, where Prometheus and the kubelet's probes come. */
    static Api metricsOnly(Metrics metrics) {
        return new Api(null, null, metrics, true);
    }

    @Override
    public void handle(HttpExchange exchange) {
        try (exchange) {
            exchange.getResponseHeaders().set("Gadget-Protocol", String.valueOf(PROTOCOL_VERSION));
            try {
                route(exchange);
            } catch (ApiError e) {
                if (e.status() >= 400 && e.status() < 500) {
                    metrics.badRequest(e.status());
                }
                respondError(exchange, e.status(), e.getMessage());
            } catch (IOException e) {
                LOG.fine(() -> "a client went away: " + e.getMessage());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + ": "
                        + e.getMessage(), e);
                respondError(exchange, 500, "the daemon failed: " + Session.oneLine(e) + " (its log has more)");
            }
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        switch (path) {
            case "/healthz" -> {
                allow(exchange, "GET");
                json(exchange, 200, Map.of("status", "ok"));
            }
            case "/metrics" -> {
                allow(exchange, "GET");
                serveMetrics(exchange);
            }
            default -> {
                if (metricsOnly) {
                    throw ApiError.notFound("no " + path + " here: this address serves " + METRICS_ROUTES
                            + "; the gadget API listens on loopback only (reach it through kubectl port-forward)");
                }
                routeApi(exchange, path);
            }
        }
    }

    private void routeApi(HttpExchange exchange, String path) throws IOException {
        List<String> parts = Arrays.asList(path.split("/", -1));
        if (path.equals("/v1/info")) {
            allow(exchange, "GET");
            json(exchange, 200, info);
        } else if (path.equals("/v1/gadgets")) {
            allow(exchange, "GET");
            json(exchange, 200, new Gadgets(Catalog.descriptions()));
        } else if (path.equals("/v1/runs")) {
            if (allow(exchange, "POST", "GET").equals("POST")) {
                startRun(exchange);
            } else {
                json(exchange, 200, new RunList(sessions.all().stream().map(Api::summary).toList()));
            }
        } else if (parts.size() == 4 && path.startsWith("/v1/runs/")) {
            allow(exchange, "DELETE");
            stopRun(exchange, session(parts.get(3)));
        } else if (parts.size() == 5 && path.startsWith("/v1/runs/") && parts.get(4).equals("containers")) {
            allow(exchange, "PUT");
            select(exchange, session(parts.get(3)));
        } else {
            throw ApiError.notFound("no such path " + path + ": the API has " + ROUTES);
        }
    }

    private void startRun(HttpExchange exchange) throws IOException {
        RunRequest request = Json.read(body(exchange), RunRequest.class);
        String catalog = Catalog.descriptions().stream().map(GadgetDescription::id).collect(Collectors.joining(", "));
        if (request.category().isBlank() || request.name().isBlank()) {
            throw ApiError.badRequest((request.category().isBlank() ? "category" : "name") + " is empty: this daemon has "
                    + catalog + " (GET /v1/gadgets)");
        }
        Gadget gadget = Catalog.find(request.category(), request.name()).orElseThrow(() -> ApiError.badRequest(
                "unknown gadget '" + request.category() + " " + request.name() + "': this daemon has " + catalog
                        + " (GET /v1/gadgets)"));
        ParamValues values;
        try {
            values = gadget.description().parseParams(request.params());
        } catch (ParamException e) {
            throw ApiError.badRequest("params: " + e.getMessage());
        }
        if (!info.error().isEmpty()) {
            throw new ApiError(500, "starting " + gadget.description().id() + " on node " + info.node() + ": "
                    + info.error());
        }
        requireCgroups(request.containers());
        Session session;
        try {
            session = sessions.start(gadget, values, request);
        } catch (ApiError e) {
            throw e;
        } catch (ParamException e) { // values the gadget refuses together, found as it opens
            throw ApiError.badRequest("params: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "starting " + gadget.description().id() + ": " + e.getMessage(), e);
            throw new ApiError(500, "starting " + gadget.description().id() + " on node " + info.node() + ": "
                    + Session.oneLine(e));
        }
        exchange.getResponseHeaders().set("Content-Type", "application/x-ndjson");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("Gadget-Session", session.id);
        try {
            exchange.sendResponseHeaders(200, 0);
        } catch (IOException e) {
            session.clientGone(Session.oneLine(e));
            throw e;
        }
        session.stream(exchange.getResponseBody());
    }

    private void stopRun(HttpExchange exchange, Session session) throws IOException {
        session.stop();
        boolean ended;
        try {
            ended = session.awaitEnd(DELETE_PATIENCE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ended = false;
        }
        json(exchange, 200, new Stopped(session.id, ended));
    }

    private void select(HttpExchange exchange, Session session) throws IOException {
        ContainerSelection selection = Json.read(body(exchange), ContainerSelection.class);
        requireCgroups(selection);
        session.select(selection);
        json(exchange, 200, new Selected(session.id, selection));
    }

    private void requireCgroups(ContainerSelection selection) {
        if (!(selection instanceof ContainerSelection.Everything) && !info.cgroupV2()) {
            throw ApiError.conflict("containers: node " + info.node() + " has no cgroup v2 hierarchy, so its containers"
                    + " cannot be told apart: select everything ({\"type\":\"everything\"})");
        }
    }

    private Session session(String id) {
        return sessions.find(id).orElseThrow(() -> ApiError.notFound("no session '" + id
                + "' on node " + info.node() + ": it ended, or never was (GET /v1/runs lists those running)"));
    }

    private void serveMetrics(HttpExchange exchange) throws IOException {
        byte[] text = metrics.exposition().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        exchange.sendResponseHeaders(200, text.length);
        exchange.getResponseBody().write(text);
    }

    private static RunSummary summary(Session session) {
        RunRequest request = session.request;
        return new RunSummary(session.id, request.category(), request.name(), request.params(), session.selection(),
                request.timeoutSeconds(), session.startedAt.toString(), session.dropped(), session.queuedBytes());
    }

    /** The method, if it is one of {@code allowed}; else a 405 naming them (and the Allow header). */
    private static String allow(HttpExchange exchange, String... allowed) {
        String method = exchange.getRequestMethod();
        if (Arrays.asList(allowed).contains(method)) {
            return method;
        }
        String methods = String.join(", ", allowed);
        exchange.getResponseHeaders().set("Allow", methods);
        throw new ApiError(405, exchange.getRequestURI().getRawPath() + " takes " + methods + ", not " + method);
    }

    /** The request body, at most {@value #MAX_BODY_BYTES} bytes, else a 413. */
    private static byte[] body(HttpExchange exchange) throws IOException {
        InputStream in = exchange.getRequestBody();
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null && declared.strip().matches("\\d{1,18}") && Long.parseLong(declared.strip()) > MAX_BODY_BYTES) {
            throw tooLarge(in, declared.strip());
        }
        byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
        if (body.length > MAX_BODY_BYTES) {
            throw tooLarge(in, "more than " + MAX_BODY_BYTES);
        }
        return body;
    }

    /**
     * Reads what the client still sends (up to a bound), so that it can read the answer: a connection
     * closed on unread data is reset, and a reset can destroy the answer before the client reads it.
     */
    private static ApiError tooLarge(InputStream in, String size) throws IOException {
        byte[] sink = new byte[8192];
        for (long drained = 0; drained < MAX_DRAIN_BYTES; ) {
            int n = in.read(sink);
            if (n < 0) {
                break;
            }
            drained += n;
        }
        return tooLarge(size);
    }

    private static ApiError tooLarge(String size) {
        return new ApiError(413, "the body is " + size + " bytes; the daemon takes at most " + MAX_BODY_BYTES
                + ": send a smaller request");
    }

    private static void json(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] json = Json.bytes(body);
        byte[] line = Arrays.copyOf(json, json.length + 1);
        line[json.length] = '\n';
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (exchange.getRequestMethod().equals("HEAD")) { // an answer to HEAD has a head only
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, line.length);
        exchange.getResponseBody().write(line);
    }

    /** An error answer, unless a response (a stream) already began: then there is nobody to tell but the log. */
    private static void respondError(HttpExchange exchange, int status, String message) {
        if (exchange.getResponseCode() != -1) {
            return;
        }
        try {
            json(exchange, status, new Error(message));
        } catch (IOException | RuntimeException e) {
            LOG.fine(() -> "could not answer " + status + ": " + e.getMessage());
        }
    }
}
