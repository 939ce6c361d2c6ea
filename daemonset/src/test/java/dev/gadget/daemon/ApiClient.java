package dev.gadget.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gadget.gadgets.catalog.Catalog;
import dev.gadget.gadgets.model.FieldSpec;
import dev.gadget.gadgets.model.GadgetDescription;
import dev.gadget.gadgets.model.RunMessage;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** A client of the daemon's API over a real socket: the JDK's HTTP client, HTTP/1.1, as curl would be. */
final class ApiClient {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String base;

    record Response(int status, String contentType, String body) {
    }

    ApiClient(InetSocketAddress address) {
        this.base = "http://" + address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    Response get(String path) throws IOException, InterruptedException {
        return send("GET", path, (byte[]) null);
    }

    Response send(String method, String path, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
    }

    Response send(String method, String path, String body) throws IOException, InterruptedException {
        return send(method, path, body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Starts a run (POST /v1/runs with this JSON) and reads its stream; the run's fields are those of the
     * gadget for {@code params}, and the stream's first message must name them.
     */
    RunStream run(String category, String name, Map<String, String> params, String requestJson)
            throws IOException, InterruptedException {
        GadgetDescription gadget = Catalog.find(category, name).orElseThrow().description();
        List<FieldSpec> fields = gadget.fieldsFor(gadget.parseParams(params));
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/runs"))
                .POST(HttpRequest.BodyPublishers.ofString(requestJson)).build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            String error = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
            throw new AssertionError("POST /v1/runs " + requestJson + " answered " + response.statusCode() + ": " + error);
        }
        assertEquals("application/x-ndjson", response.headers().firstValue("Content-Type").orElse(""));
        assertEquals("1", response.headers().firstValue("Gadget-Protocol").orElse(""));
        RunStream stream = new RunStream(response.headers().firstValue("Gadget-Session").orElseThrow(), fields,
                response.body());
        RunMessage first = stream.awaitMessage(m -> true);
        assertEquals(new RunMessage.Started(fields.stream().map(FieldSpec::name).toList()), first,
                "the stream starts by naming the run's fields");
        return stream;
    }

    /** Trace exec of every process. */
    RunStream traceExec() throws IOException, InterruptedException {
        return run("trace", "exec", Map.of(), "{\"category\":\"trace\",\"name\":\"exec\"}");
    }
}
