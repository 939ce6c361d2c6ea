package dev.gadget.cli.kubectl;

import dev.gadget.gadgets.model.GadgetDescription;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.util.List;

/**
 * The gadgets the cluster's daemons run, as one ready daemon describes them (GET /v1/gadgets): the
 * plugin's commands, flags, help and columns are made from these, so a plugin works with daemons of
 * another version. If no daemon can be asked, {@code unavailable} says why in one line.
 */
record Catalog(List<GadgetDescription> gadgets, String unavailable) {

    static Catalog fetch(Cluster cluster) {
        try {
            List<DaemonPod> pods = DaemonPod.list(cluster.client());
            if (pods.isEmpty()) {
                return none("no gadget pod runs in the cluster (" + DaemonPod.WHERE + "): deploy them with"
                        + " 'kubectl gadget deploy'");
            }
            DaemonPod ready = pods.stream().filter(DaemonPod::ready).findFirst().orElse(null);
            if (ready == null) {
                DaemonPod first = pods.getFirst();
                return none("no gadget pod is ready (" + first.name() + " on node " + first.node() + ": "
                        + first.notReady() + "): see kubectl -n " + DaemonPod.NAMESPACE + " get pods");
            }
            try {
                return new Catalog(new DaemonClient(cluster.client(), ready).gadgets(), "");
            } catch (IOException e) {
                return none("the gadget daemon on node " + ready.node() + " (pod " + ready.name()
                        + ") could not be asked for its gadgets: " + PodConnection.describe(e));
            }
        } catch (KubernetesClientException e) {
            return none(Cluster.describe(e, cluster.client()));
        } catch (IllegalStateException e) {
            return none(e.getMessage());
        }
    }

    private static Catalog none(String why) {
        return new Catalog(List.of(), why);
    }
}
