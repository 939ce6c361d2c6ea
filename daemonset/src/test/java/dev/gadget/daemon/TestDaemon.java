package dev.gadget.daemon;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A daemon in this JVM on a free loopback port, as main would start it (its logging too), and a client of it. */
final class TestDaemon implements AutoCloseable {
    final Daemon daemon;
    final ApiClient client;

    private TestDaemon(Daemon daemon) {
        this.daemon = daemon;
        this.client = new ApiClient(daemon.address());
    }

    /** With these flags besides --listen (a free port) and --node-name. */
    static TestDaemon start(String... flags) {
        List<String> args = new ArrayList<>(List.of("--listen", "127.0.0.1:0", "--node-name", "test-node"));
        args.addAll(List.of(flags));
        DaemonOptions.Serve serve = (DaemonOptions.Serve) DaemonOptions.parse(args, Map.of());
        DaemonLogging.configure(serve.options().verbose());
        return new TestDaemon(Daemon.start(serve.options()));
    }

    PrometheusText metrics() throws IOException, InterruptedException {
        ApiClient.Response response = client.get("/metrics");
        if (response.status() != 200 || !response.contentType().startsWith("text/plain; version=0.0.4")) {
            throw new AssertionError("GET /metrics answered " + response);
        }
        return PrometheusText.parse(response.body());
    }

    /** Waits until no session runs (a client that just closed its stream is noticed within a heartbeat or two). */
    void awaitNoSessions() throws IOException, InterruptedException {
        long giveUp = System.nanoTime() + 60_000_000_000L;
        while (!client.get("/v1/runs").body().strip().equals("{\"runs\":[]}")) {
            if (System.nanoTime() > giveUp) {
                throw new AssertionError("sessions still run a minute later: " + client.get("/v1/runs").body());
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        daemon.close();
    }
}
