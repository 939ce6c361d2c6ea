package dev.gadget.cli.kubectl.cluster;

/**
 * The gadget daemon of one test node, listening on 127.0.0.1:8080 inside a network namespace of its
 * own, as in its pod. {@link NetnsDaemon} runs the packaged jar as a process; the image's pod helper
 * can take its place: the mock API server needs only the node, the namespace and the port.
 */
public interface NodeDaemon extends AutoCloseable {
    int PORT = 8080;

    String node();

    /** The ip-netns name of the pod's network namespace (/var/run/netns/NAME). */
    String netns();

    /** Stops the daemon (SIGTERM, as the kubelet does); the namespace stays until {@link #close}. */
    void stop() throws Exception;

    @Override
    void close() throws Exception;
}
