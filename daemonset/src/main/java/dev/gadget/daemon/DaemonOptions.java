package dev.gadget.daemon;

import dev.gadget.gadgets.containers.HostRoot;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The daemon's command line, checked: each problem is one line naming the flag and what to give.
 *
 * @param metricsListen where /metrics (and /healthz) are served too, on an address of the pod's own; empty: nowhere else
 */
record DaemonOptions(InetSocketAddress listen, Optional<InetSocketAddress> metricsListen, HostRoot hostRoot,
        String nodeName, int maxSessions, long clientQueueBytes, boolean verbose) {

    static final String USAGE = """
            Usage: gadget-daemon [--listen ADDRESS:PORT] [--metrics-listen ADDRESS:PORT] [--host-root DIR]
                                 [--node-name NAME] [--max-sessions N] [--client-queue-bytes SIZE] [--verbose]
            Runs gadgets on this node for clients that reach it through the API server (kubectl port-forward),
            each session streaming to its own client. The protocol: docs/protocol.md.
              --listen ADDRESS:PORT          the gadget API, on loopback only (127.0.0.1 or [::1]): only the API
                                             server's pods/portforward reaches it (default 127.0.0.1:8080; port 0
                                             takes a free port, which the log names)
              --metrics-listen ADDRESS:PORT  serve Prometheus metrics (GET /metrics) and GET /healthz here too, e.g.
                                             on the pod's address (0.0.0.0:2224); counts only, never event data
              --host-root DIR                where the host's / is mounted (default /)
              --node-name NAME               this node's name (default: $NODE_NAME, set from the downward API)
              --max-sessions N               sessions at once, more are refused with 429 (1 to 1024, default 16)
              --client-queue-bytes SIZE      what a slow client may have waiting; beyond, messages are dropped
                                             and counted (64KiB to 1GiB, default 8MiB; bytes, or KiB, MiB, GiB)
              --verbose                      log libbpf's messages and stack traces too
              --help, --version
            """;

    static final String DEFAULT_LISTEN = "127.0.0.1:8080";
    private static final int DEFAULT_MAX_SESSIONS = 16;
    private static final long DEFAULT_QUEUE_BYTES = 8L << 20;
    private static final long MIN_QUEUE_BYTES = 64L << 10;
    private static final long MAX_QUEUE_BYTES = 1L << 30;
    private static final Pattern ADDRESS = Pattern.compile("(?:\\[([0-9A-Fa-f:.]+)]|([0-9.]+)):(\\d{1,5})");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,10})(KiB|MiB|GiB)?");
    private static final List<String> VALUED = List.of("--listen", "--metrics-listen", "--host-root", "--node-name",
            "--max-sessions", "--client-queue-bytes");

    /** A command line that cannot be run; the message is the one line to print. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message, null, false, false);
        }
    }

    /** What the command line asks for. */
    sealed interface Command {
    }

    record Help() implements Command {
    }

    record Version() implements Command {
    }

    record Serve(DaemonOptions options) implements Command {
    }

    static Command parse(List<String> args, Map<String, String> environment) {
        Map<String, String> given = new HashMap<>();
        boolean verbose = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            switch (name) {
                case "--help", "-h" -> {
                    return new Help();
                }
                case "--version", "-V" -> {
                    return new Version();
                }
                case "--verbose" -> verbose = true;
                default -> {
                    if (!VALUED.contains(name)) {
                        throw new UsageException("unknown option " + arg + ": the options are " + String.join(", ", VALUED)
                                + ", --verbose, --help, --version");
                    }
                    String value;
                    if (arg.contains("=")) {
                        value = arg.substring(arg.indexOf('=') + 1);
                    } else if (i + 1 < args.size()) {
                        value = args.get(++i);
                    } else {
                        throw new UsageException(name + " needs a value: see --help");
                    }
                    if (given.put(name, value) != null) {
                        throw new UsageException(name + " is given twice: give it once");
                    }
                }
            }
        }
        InetSocketAddress listen = address("--listen", given.getOrDefault("--listen", DEFAULT_LISTEN));
        if (!listen.getAddress().isLoopbackAddress()) {
            throw new UsageException("--listen " + given.get("--listen") + ": the gadget API listens on loopback only"
                    + " (127.0.0.1 or [::1]), so that the API server's pods/portforward, under RBAC, is its only door;"
                    + " serve metrics elsewhere with --metrics-listen");
        }
        Optional<InetSocketAddress> metrics = Optional.ofNullable(given.get("--metrics-listen"))
                .map(text -> address("--metrics-listen", text));
        if (metrics.isPresent() && listen.getPort() != 0 && metrics.get().getPort() == listen.getPort()) {
            throw new UsageException("--metrics-listen " + given.get("--metrics-listen") + ": port " + listen.getPort()
                    + " is the gadget API's (--listen): give the metrics a port of their own, e.g. 2224");
        }
        Path root = Path.of(given.getOrDefault("--host-root", "/"));
        if (!Files.isDirectory(root)) {
            throw new UsageException("--host-root " + root + ": no such directory: mount the host's / there (a hostPath"
                    + " volume) or give --host-root /");
        }
        String node = given.getOrDefault("--node-name", environment.getOrDefault("NODE_NAME", ""));
        if (node.isBlank()) {
            throw new UsageException("--node-name is not given and NODE_NAME is not set: set NODE_NAME from the downward"
                    + " API (fieldRef spec.nodeName) or give --node-name");
        }
        if (!node.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,252}")) {
            throw new UsageException("--node-name '" + node + "' is not a node name (letters, digits, '.', '-', '_',"
                    + " at most 253)");
        }
        int maxSessions = (int) number("--max-sessions", given.get("--max-sessions"), DEFAULT_MAX_SESSIONS, 1, 1024);
        long queueBytes = size(given.get("--client-queue-bytes"));
        return new Serve(new DaemonOptions(listen, metrics, new HostRoot(root), node, maxSessions, queueBytes, verbose));
    }

    private static InetSocketAddress address(String flag, String text) {
        Matcher m = ADDRESS.matcher(text);
        if (!m.matches()) {
            throw new UsageException(flag + " '" + text + "' is not ADDRESS:PORT with an IP address, e.g. 127.0.0.1:8080"
                    + " or [::1]:8080");
        }
        int port = Integer.parseInt(m.group(3));
        if (port > 65535) {
            throw new UsageException(flag + " '" + text + "': port " + port + " is above 65535");
        }
        String host = m.group(1) != null ? m.group(1) : m.group(2);
        try {
            // An IP literal: no name service is asked.
            return new InetSocketAddress(InetAddress.ofLiteral(host), port);
        } catch (IllegalArgumentException e) {
            throw new UsageException(flag + " '" + text + "': '" + host + "' is not an IP address");
        }
    }

    private static long number(String flag, String text, long defaultValue, long min, long max) {
        if (text == null) {
            return defaultValue;
        }
        long value;
        try {
            value = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " '" + text + "' is not a number from " + min + " to " + max);
        }
        if (value < min || value > max) {
            throw new UsageException(flag + " " + value + " is not a number from " + min + " to " + max);
        }
        return value;
    }

    private static long size(String text) {
        if (text == null) {
            return DEFAULT_QUEUE_BYTES;
        }
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) {
            throw new UsageException("--client-queue-bytes '" + text + "' is not a size such as 65536, 512KiB or 8MiB");
        }
        int shift = switch (m.group(2) == null ? "" : m.group(2)) {
            case "KiB" -> 10;
            case "MiB" -> 20;
            case "GiB" -> 30;
            default -> 0;
        };
        long amount = Long.parseLong(m.group(1));
        if (amount > MAX_QUEUE_BYTES >> shift || amount << shift < MIN_QUEUE_BYTES) {
            throw new UsageException("--client-queue-bytes " + text + " is not from 64KiB to 1GiB");
        }
        return amount << shift;
    }
}
