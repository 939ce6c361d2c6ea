package dev.gadget.cli.kubectl.cluster;

import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * fabric8's CRUD mock API server, with what a real API server does and the mock does not:
 * pods/portforward (bridged into the pod's network namespace, named by the pod's annotation
 * {@value #NETNS_ANNOTATION}, as the kubelet knows each pod's sandbox), server-side apply (create, or
 * merge into what is there), and set-based label selectors on lists and watches (a watched object that
 * stops matching is DELETED for that watch, one that starts matching ADDED, as the API server does).
 */
public final class ClusterDispatcher extends io.fabric8.mockwebserver.http.Dispatcher {
    public static final String NETNS_ANNOTATION = "gadget.test/netns";
    private static final Pattern PORT_FORWARD = Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/]+)/portforward(\\?.*)?");
    private static final String APPLY = "application/apply-patch+yaml";

    private final KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher();

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String path = request.getPath();
        Matcher portForward = PORT_FORWARD.matcher(path);
        if (request.method() == HttpMethod.GET && portForward.matches()) {
            return portForward(portForward.group(1), portForward.group(2), query(path).get("ports"));
        }
        String contentType = request.getHeader("Content-Type");
        if (request.method() == HttpMethod.PATCH && contentType != null && contentType.startsWith(APPLY)) {
            return apply(request);
        }
        Map<String, String> query = query(path);
        if (request.method() == HttpMethod.GET && query.containsKey("labelSelector")) {
            return selected(request, query);
        }
        return crud.dispatch(request);
    }

    @Override
    public void shutdown() {
        crud.shutdown();
    }

    private MockResponse portForward(String namespace, String name, String ports) {
        MockResponse found = crud.handleGet("/api/v1/namespaces/" + namespace + "/pods/" + name);
        if (found.code() != 200) {
            return status(404, "pods \"" + name + "\" not found", "NotFound");
        }
        Pod pod = Serialization.unmarshal(found.getBody().readUtf8(), Pod.class);
        if (ports == null || !ports.matches("\\d{1,5}")) {
            return status(400, "query parameter \"ports\" is required: one port", "BadRequest");
        }
        if (pod.getStatus() == null || !"Running".equals(pod.getStatus().getPhase())) {
            return status(400, "unable to upgrade connection: pod is not running", "BadRequest");
        }
        String netns = pod.getMetadata().getAnnotations() == null ? null
                : pod.getMetadata().getAnnotations().get(NETNS_ANNOTATION);
        if (netns == null) {
            return status(500, "the test cluster does not know the network namespace of pod " + name
                    + ": annotate it with " + NETNS_ANNOTATION, "InternalError");
        }
        return new MockResponse().withWebSocketUpgrade(new PortForwardBridge(name, netns, Integer.parseInt(ports)));
    }

    /** Server-side apply, as far as a whole object goes: created if missing, else merged into what is there. */
    private MockResponse apply(RecordedRequest request) {
        String resource = request.getPath().replaceFirst("\\?.*", "");
        String body = Serialization.asJson(Serialization.<KubernetesResource>unmarshal(request.getUtf8Body()));
        Headers json = Headers.builder().add("Content-Type", "application/json").build();
        if (crud.handleGet(resource).code() == 404) {
            String collection = resource.substring(0, resource.lastIndexOf('/'));
            return crud.handleCreate(new RecordedRequest("HTTP/1.1", HttpMethod.POST, collection, json,
                    new Buffer(body.getBytes(StandardCharsets.UTF_8))));
        }
        // The applier owns every field it sends: its object replaces what was there but the server's own
        // metadata and the status (a merge patch would append to lists such as containers).
        ObjectNode existing = (ObjectNode) Serialization.unmarshal(crud.handleGet(resource).getBody().readUtf8(), JsonNode.class);
        ObjectNode applied = (ObjectNode) Serialization.unmarshal(body, JsonNode.class);
        ObjectNode metadata = (ObjectNode) applied.path("metadata");
        for (String kept : List.of("uid", "resourceVersion", "creationTimestamp", "generation")) {
            if (existing.path("metadata").has(kept)) {
                metadata.set(kept, existing.path("metadata").get(kept));
            }
        }
        if (existing.has("status")) {
            applied.set("status", existing.get("status"));
        }
        return crud.handleUpdate(new RecordedRequest("HTTP/1.1", HttpMethod.PUT, resource, json,
                new Buffer(Serialization.asJson(applied).getBytes(StandardCharsets.UTF_8))));
    }

    private MockResponse selected(RecordedRequest request, Map<String, String> query) {
        LabelSelector selector;
        try {
            selector = LabelSelector.parse(query.get("labelSelector"));
        } catch (IllegalArgumentException e) {
            return status(400, e.getMessage(), "BadRequest");
        }
        query.remove("labelSelector");
        String path = request.getPath().replaceFirst("\\?.*", "") + (query.isEmpty() ? "" : "?" + encode(query));
        MockResponse all = crud.handleGet(path);
        if (all.getWebSocketListener() != null) {
            return new MockResponse().withWebSocketUpgrade(new SelectingWatch(all.getWebSocketListener(), selector));
        }
        if (all.code() != 200) {
            return all;
        }
        ObjectNode list = (ObjectNode) Serialization.unmarshal(all.getBody().readUtf8(), JsonNode.class);
        JsonNode items = list.remove("items");
        ArrayNode kept = list.putArray("items");
        for (JsonNode item : items) {
            if (selector.matches(labels(item.path("metadata").path("labels")))) {
                kept.add(item);
            }
        }
        return new MockResponse().setResponseCode(200).setBody(Serialization.asJson(list));
    }

    /** A watch whose events are those of objects the selector matches, with their coming and going. */
    private static final class SelectingWatch extends WebSocketListener {
        private final WebSocketListener watch;
        private final LabelSelector selector;
        private final Set<String> matching = new HashSet<>();

        SelectingWatch(WebSocketListener watch, LabelSelector selector) {
            this.watch = watch;
            this.selector = selector;
        }

        @Override
        public void onBeforeAccept(WebSocket webSocket, Response response) {
            watch.onBeforeAccept(filtering(webSocket), response);
        }

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            watch.onOpen(filtering(webSocket), response);
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            watch.onMessage(filtering(webSocket), text);
        }

        @Override
        public void onMessage(WebSocket webSocket, byte[] bytes) {
            watch.onMessage(filtering(webSocket), bytes);
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            watch.onClosing(filtering(webSocket), code, reason);
        }

        @Override
        public void onClosed(WebSocket webSocket, int code, String reason) {
            watch.onClosed(filtering(webSocket), code, reason);
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable error, Response response) {
            watch.onFailure(filtering(webSocket), error, response);
        }

        private WebSocket filtering(WebSocket socket) {
            return new WebSocket() {
                @Override
                public RecordedRequest request() {
                    return socket.request();
                }

                @Override
                public boolean send(String text) {
                    String event = select(text);
                    return event == null || socket.send(event);
                }

                @Override
                public boolean send(byte[] bytes) {
                    return send(new String(bytes, StandardCharsets.UTF_8));
                }

                @Override
                public boolean close(int code, String reason) {
                    return socket.close(code, reason);
                }
            };
        }

        /** The event as this watch sees it, or null if it does not. */
        private synchronized String select(String text) {
            ObjectNode event = (ObjectNode) Serialization.unmarshal(text, JsonNode.class);
            JsonNode object = event.path("object");
            String uid = object.path("metadata").path("uid").asText(object.path("metadata").path("name").asText());
            boolean was = matching.contains(uid);
            boolean now = selector.matches(labels(object.path("metadata").path("labels")));
            String type = event.path("type").asText();
            String seen = switch (type) {
                case "ADDED", "MODIFIED" -> now ? (was ? type : "ADDED") : (was ? "DELETED" : null);
                case "DELETED" -> was ? type : null;
                default -> type;
            };
            if ("DELETED".equals(seen) || !now) {
                matching.remove(uid);
            } else if (seen != null) {
                matching.add(uid);
            }
            if (seen == null) {
                return null;
            }
            event.put("type", seen);
            return Serialization.asJson(event);
        }
    }

    private static Map<String, String> labels(JsonNode labels) {
        Map<String, String> map = new HashMap<>();
        labels.properties().forEach(entry -> map.put(entry.getKey(), entry.getValue().asText()));
        return map;
    }

    private static Map<String, String> query(String path) {
        Map<String, String> query = new java.util.LinkedHashMap<>();
        int question = path.indexOf('?');
        if (question >= 0) {
            for (String pair : path.substring(question + 1).split("&")) {
                int equals = pair.indexOf('=');
                String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                query.put(key, equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    private static String encode(Map<String, String> query) {
        List<String> pairs = new ArrayList<>();
        query.forEach((key, value) -> pairs.add(URLEncoder.encode(key, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return String.join("&", pairs);
    }

    private static MockResponse status(int code, String message, String reason) {
        return new MockResponse().setResponseCode(code).setBody(Serialization.asJson(new StatusBuilder()
                .withStatus("Failure").withCode(code).withMessage(message).withReason(reason).build()));
    }
}
