package dev.gadget.cli.kubectl.cluster;

import dev.gadget.daemon.testing.DaemonImage;
import dev.gadget.daemon.testing.DaemonManifest;
import dev.gadget.daemon.testing.DaemonPod;
import dev.gadget.gadgets.testing.ContainerdTestbed;
import java.io.IOException;

/**
 * A test node's daemon as its DaemonSet pod: the daemon's image, run from the project's manifest as a
 * kubelet would (capabilities, read-only root, mounts, seccomp), in a network namespace of its own.
 */
public final class PodDaemon implements NodeDaemon {
    private final DaemonPod pod;

    private PodDaemon(DaemonPod pod) {
        this.pod = pod;
    }

    /** Imports the daemon's image into the test bed, once before the first pod runs on it. */
    public static void importImage(ContainerdTestbed testbed) throws IOException, InterruptedException {
        testbed.importImage(DaemonImage.built().archive().toAbsolutePath());
    }

    /** Starts node {@code node}'s daemon pod on the test bed and waits until it is ready. */
    public static PodDaemon start(ContainerdTestbed testbed, String node) throws IOException, InterruptedException {
        DaemonPod pod = DaemonPod.start(testbed, DaemonImage.built(), DaemonManifest.project(), node);
        try {
            pod.awaitReady();
            return new PodDaemon(pod);
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            pod.close();
            throw e;
        }
    }

    @Override
    public String node() {
        return pod.nodeName();
    }

    @Override
    public String netns() {
        return pod.network().name();
    }

    @Override
    public void stop() throws IOException, InterruptedException {
        pod.stop();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        pod.close();
    }
}
