package dev.gadget.cli.kubectl;

/**
 * Names each row's pod as the API server knows it: its node, namespace, pod, container, labels and
 * owner, matched by the container id the daemon saw. A row whose container is no pod's the plugin
 * follows keeps what the daemon said, with its node.
 */
final class Enricher {
    private final PodIndex pods;
    private final String node;
    private final int containerId;
    private final int nodeField;
    private final int namespace;
    private final int pod;
    private final int container;
    private final int labels;
    private final int ownerKind;
    private final int ownerName;

    Enricher(ClusterFields fields, PodIndex pods, String node) {
        this.pods = pods;
        this.node = node;
        this.containerId = fields.indexOf(ClusterFields.CONTAINER_ID);
        this.nodeField = fields.indexOf(ClusterFields.NODE);
        this.namespace = fields.indexOf(ClusterFields.NAMESPACE);
        this.pod = fields.indexOf(ClusterFields.POD);
        this.container = fields.indexOf(ClusterFields.CONTAINER);
        this.labels = fields.indexOf(ClusterFields.LABELS);
        this.ownerKind = fields.indexOf(ClusterFields.OWNER_KIND);
        this.ownerName = fields.indexOf(ClusterFields.OWNER_NAME);
    }

    Object[] enrich(Object[] row) {
        row[nodeField] = node;
        PodIndex.PodContainer known = containerId < 0 ? null : pods.find((String) row[containerId]);
        if (known != null) {
            row[namespace] = known.namespace();
            row[pod] = known.pod();
            row[container] = known.container();
            row[labels] = known.labels();
            row[ownerKind] = known.owner().kind();
            row[ownerName] = known.owner().name();
        }
        return row;
    }
}
