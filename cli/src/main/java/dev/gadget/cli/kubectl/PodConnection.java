package dev.gadget.cli.kubectl;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.PortForward;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.util.ArrayList;
import java.util.List;

/**
 * A byte stream to a port inside a pod, through the API server's pods/portforward (fabric8's
 * portForward over the v4.channel.k8s.io WebSocket protocol): what the plugin writes reaches the
 * port, what the port answers is read back. No local port is opened. Closing it closes the stream
 * at the API server, which closes the connection inside the pod.
 */
final class PodConnection implements AutoCloseable {
    private final String pod;
    private final PortForward forward;
    private final Pipe request;
    private final Pipe response;
    private final OutputStream out;
    private final InputStream in;

    private PodConnection(String pod, PortForward forward, Pipe request, Pipe response) {
        this.pod = pod;
        this.forward = forward;
        this.request = request;
        this.response = response;
        this.out = Channels.newOutputStream(request.sink());
        this.in = Channels.newInputStream(response.source());
    }

    static PodConnection open(KubernetesClient client, String namespace, String pod, int port) {
        try {
            Pipe request = Pipe.open();
            Pipe response = Pipe.open();
            PortForward forward = client.pods().inNamespace(namespace).withName(pod)
                    .portForward(port, request.source(), response.sink());
            return new PodConnection(pod, forward, request, response);
        } catch (IOException e) {
            throw new UncheckedIOException("opening pipes for a port-forward to pod " + pod + ": " + e.getMessage(), e);
        }
    }

    /** Where the request goes; closing it ends the request (the stream stays open for the answer). */
    OutputStream out() {
        return out;
    }

    /** The answer; it ends when the pod's side closes, the stream breaks, or {@link #close} is called. */
    InputStream in() {
        return in;
    }

    /** Why the stream ended other than normally, as the API server or the client said it; "" if it did not. */
    String failure() {
        List<Throwable> problems = new ArrayList<>(forward.getServerThrowables());
        problems.addAll(forward.getClientThrowables());
        if (problems.isEmpty()) {
            return "";
        }
        return "port-forward to pod " + pod + ": " + describe(problems.getFirst());
    }

    @Override
    public void close() {
        try {
            forward.close();
        } catch (IOException ignored) {
            // fabric8's close only sends the WebSocket's close frame; a stream that is gone is closed
        }
        closeQuietly(request.sink());
        closeQuietly(response.source());
    }

    /** The problem in one line, in the words of whoever saw it (e.g. the API server's "pods \"x\" is forbidden: ..."). */
    static String describe(Throwable problem) {
        Throwable said = problem;
        while (said.getMessage() == null && said.getCause() != null) {
            said = said.getCause();
        }
        String message = said.getMessage() == null ? said.getClass().getSimpleName() : said.getMessage();
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    private static void closeQuietly(java.nio.channels.Channel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a pipe end fails only if it is closed already
        }
    }
}
