package dev.gadget.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The daemon's flags: defaults, the downward API's NODE_NAME, and a one-line error for each mistake. */
class DaemonOptionsTest {

    @Test
    void defaultsListenOnLoopback8080AndTakeTheNodeFromTheEnvironment() {
        DaemonOptions options = serve(List.of(), Map.of("NODE_NAME", "node-7"));
        assertEquals(new InetSocketAddress("127.0.0.1", 8080), options.listen());
        assertEquals(Optional.empty(), options.metricsListen());
        assertEquals("node-7", options.nodeName());
        assertEquals(16, options.maxSessions());
        assertEquals(8 << 20, options.clientQueueBytes());
    }

    @Test
    void everyFlagIsTaken() {
        DaemonOptions options = serve(List.of("--listen", "[::1]:9000", "--metrics-listen=0.0.0.0:2224", "--host-root", "/",
                "--node-name", "n1", "--max-sessions", "3", "--client-queue-bytes", "512KiB", "--verbose"), Map.of());
        assertEquals(9000, options.listen().getPort());
        assertEquals(new InetSocketAddress("0.0.0.0", 2224), options.metricsListen().orElseThrow());
        assertEquals("n1", options.nodeName());
        assertEquals(3, options.maxSessions());
        assertEquals(512 << 10, options.clientQueueBytes());
        assertEquals(true, options.verbose());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--listen 0.0.0.0:8080 | --listen 0.0.0.0:8080: the gadget API listens on loopback only (127.0.0.1 or [::1]), so that the API server's pods/portforward, under RBAC, is its only door; serve metrics elsewhere with --metrics-listen",
        "--listen 8080 | --listen '8080' is not ADDRESS:PORT with an IP address, e.g. 127.0.0.1:8080 or [::1]:8080",
        "--listen localhost:8080 | --listen 'localhost:8080' is not ADDRESS:PORT with an IP address, e.g. 127.0.0.1:8080 or [::1]:8080",
        "--listen 127.0.0.1:70000 | --listen '127.0.0.1:70000': port 70000 is above 65535",
        "--listen 300.0.0.1:80 | --listen '300.0.0.1:80': '300.0.0.1' is not an IP address",
        "--metrics-listen 0.0.0.0:8080 | --metrics-listen 0.0.0.0:8080: port 8080 is the gadget API's (--listen): give the metrics a port of their own, e.g. 2224",
        "--host-root /no/such/dir | --host-root /no/such/dir: no such directory: mount the host's / there (a hostPath volume) or give --host-root /",
        "--max-sessions 0 | --max-sessions 0 is not a number from 1 to 1024",
        "--max-sessions many | --max-sessions 'many' is not a number from 1 to 1024",
        "--client-queue-bytes 1KiB | --client-queue-bytes 1KiB is not from 64KiB to 1GiB",
        "--client-queue-bytes 9999999999GiB | --client-queue-bytes 9999999999GiB is not from 64KiB to 1GiB",
        "--client-queue-bytes lots | --client-queue-bytes 'lots' is not a size such as 65536, 512KiB or 8MiB",
        "--bogus | unknown option --bogus: the options are --listen, --metrics-listen, --host-root, --node-name, --max-sessions, --client-queue-bytes, --verbose, --help, --version",
        "--listen | --listen needs a value: see --help",
        "--max-sessions 2 --max-sessions 3 | --max-sessions is given twice: give it once",
        "--node-name a/b | --node-name 'a/b' is not a node name (letters, digits, '.', '-', '_', at most 253)",
    })
    void eachMistakeIsOneLineNamingTheFlag(String args, String message) {
        DaemonOptions.UsageException e = assertThrows(DaemonOptions.UsageException.class,
                () -> DaemonOptions.parse(Arrays.asList(args.strip().split(" ")), Map.of("NODE_NAME", "n")));
        assertEquals(message, e.getMessage());
    }

    @Test
    void withoutANodeNameItSaysWhereOneComesFrom() {
        DaemonOptions.UsageException e = assertThrows(DaemonOptions.UsageException.class,
                () -> DaemonOptions.parse(List.of(), Map.of()));
        assertEquals("--node-name is not given and NODE_NAME is not set: set NODE_NAME from the downward API"
                + " (fieldRef spec.nodeName) or give --node-name", e.getMessage());
    }

    @Test
    void helpAndVersionNeedNothingElse() {
        assertInstanceOf(DaemonOptions.Help.class, DaemonOptions.parse(List.of("--help"), Map.of()));
        assertInstanceOf(DaemonOptions.Version.class, DaemonOptions.parse(List.of("-V"), Map.of()));
    }

    private static DaemonOptions serve(List<String> args, Map<String, String> environment) {
        return ((DaemonOptions.Serve) DaemonOptions.parse(args, environment)).options();
    }
}
