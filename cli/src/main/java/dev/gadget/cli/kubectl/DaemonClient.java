package dev.gadget.cli.kubectl;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gadget.gadgets.model.ContainerSelection;
import dev.gadget.gadgets.model.GadgetDescription;
import dev.gadget.gadgets.model.RunRequest;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The daemon of one node, reached through its pod's port-forward: one connection (one stream at the
 * API server) per request, as the daemon answers each with Connection: close.
 */
final class DaemonClient {
    /** The protocol version this plugin speaks (docs/protocol.md). */
    static final int PROTOCOL_VERSION = 1;

    /** What GET /v1/info says that the plugin uses. */
    record Info(String daemonVersion, int protocolVersion, String node) {
    }

    /** A run's stream: its session id, the answer's body; closing ends the run at the daemon. */
    record RunStream(String session, PodConnection connection, DaemonHttp.Response response) implements AutoCloseable {
        @Override
        public void close() {
            connection.close();
        }
    }

    private final KubernetesClient client;
    private final DaemonPod pod;

    DaemonClient(KubernetesClient client, DaemonPod pod) {
        this.client = client;
        this.pod = pod;
    }

    DaemonPod pod() {
        return pod;
    }

    Info info() throws IOException {
        JsonNode info = json("GET", "/v1/info", null);
        return new Info(info.path("daemonVersion").asText("unknown"), info.path("protocolVersion").asInt(-1),
                info.path("node").asText(""));
    }

    List<GadgetDescription> gadgets() throws IOException {
        JsonNode gadgets = json("GET", "/v1/gadgets", null).path("gadgets");
        List<GadgetDescription> descriptions = new ArrayList<>();
        for (JsonNode gadget : gadgets) {
            descriptions.add(Wire.JSON.treeToValue(gadget, GadgetDescription.class));
        }
        return descriptions;
    }

    /** The daemon's /metrics text (Prometheus). */
    String metrics() throws IOException {
        return new String(body("GET", "/metrics", null), StandardCharsets.UTF_8);
    }

    /** Starts a run; its messages follow in the stream. Throws with the daemon's one-line error if refused. */
    RunStream run(RunRequest request) throws IOException {
        PodConnection connection = connect();
        try {
            DaemonHttp.Response response = DaemonHttp.exchange(connection, "POST", "/v1/runs",
                    Wire.JSON.writeValueAsBytes(request));
            if (response.status() != 200) {
                throw refused(response);
            }
            return new RunStream(response.header("Gadget-Session"), connection, response);
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw broken(e, connection);
        }
    }

    void select(String session, ContainerSelection selection) throws IOException {
        json("PUT", "/v1/runs/" + session + "/containers", Wire.JSON.writeValueAsBytes(selection));
    }

    void stop(String session) throws IOException {
        json("DELETE", "/v1/runs/" + session, null);
    }

    private JsonNode json(String method, String path, byte[] body) throws IOException {
        return Wire.JSON.readTree(body(method, path, body));
    }

    private byte[] body(String method, String path, byte[] body) throws IOException {
        try (PodConnection connection = connect()) {
            try {
                DaemonHttp.Response response = DaemonHttp.exchange(connection, method, path, body);
                if (response.status() != 200) {
                    throw refused(response);
                }
                return response.bodyBytes();
            } catch (IOException | RuntimeException e) {
                throw broken(e, connection);
            }
        }
    }

    private PodConnection connect() {
        return PodConnection.open(client, DaemonPod.NAMESPACE, pod.name(), DaemonPod.PORT);
    }

    /** A refusal: the daemon's own one-line error when it gave one. */
    private static IOException refused(DaemonHttp.Response response) {
        String error;
        try {
            error = Wire.JSON.readTree(response.bodyBytes()).path("error").asText("");
        } catch (IOException e) {
            error = "";
        }
        return new Refused(error.isEmpty() ? "answered " + response.status() : error);
    }

    /** The daemon said no: its words stand as they are. */
    static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /** A failure, with the port-forward's own explanation when the stream broke (e.g. connection refused in the pod). */
    private static IOException broken(Exception e, PodConnection connection) {
        if (e instanceof Refused refused) {
            return refused;
        }
        String why = connection.failure();
        String message = why.isEmpty() ? PodConnection.describe(e) : why;
        return new IOException(message, e);
    }
}
