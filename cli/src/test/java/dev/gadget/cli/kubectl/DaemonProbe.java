package dev.gadget.cli.kubectl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.LocalPortForward;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a node's daemon says of itself (metrics, runs), asked by the test through its pod's port-forward. */
final class DaemonProbe {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private DaemonProbe() {
    }

    static String get(KubernetesClient client, String node, String path) throws IOException, InterruptedException {
        try (LocalPortForward forward = client.pods().inNamespace("gadget").withName("gadget-" + node).portForward(8080)) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + forward.getLocalPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
            return response.body();
        }
    }

    /** A metric of the node's daemon without labels, e.g. gadget_bpf_programs. */
    static long metric(KubernetesClient client, String node, String name) throws IOException, InterruptedException {
        Matcher m = Pattern.compile("(?m)^" + name + " (\\d+)$").matcher(get(client, node, "/metrics"));
        if (!m.find()) {
            throw new AssertionError("node " + node + " has no " + name);
        }
        return Long.parseLong(m.group(1));
    }

    /** A per-gadget metric of the node's daemon, e.g. gadget_events_filtered_total for "trace exec". */
    static long metric(KubernetesClient client, String node, String name, String gadget) throws IOException, InterruptedException {
        Matcher m = Pattern.compile("(?m)^" + name + "\\{gadget=\"" + gadget + "\"} (\\d+)$").matcher(get(client, node, "/metrics"));
        if (!m.find()) {
            throw new AssertionError("node " + node + " has no " + name + " for " + gadget);
        }
        return Long.parseLong(m.group(1));
    }

    /** The container ids each running session of the node's daemon traces. */
    static List<List<String>> selections(KubernetesClient client, String node) throws IOException, InterruptedException {
        JsonNode runs = new ObjectMapper().readTree(get(client, node, "/v1/runs")).path("runs");
        List<List<String>> selections = new ArrayList<>();
        for (JsonNode run : runs) {
            List<String> ids = new ArrayList<>();
            run.path("containers").path("containerIds").forEach(id -> ids.add(id.asText()));
            selections.add(ids);
        }
        return selections;
    }
}
