package dev.gadget.cli.kubectl;

import dev.gadget.gadgets.model.FieldSpec;
import dev.gadget.gadgets.model.FieldType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A gadget's fields as the plugin shows them: the gadget's own, with the Kubernetes ones in place of
 * the runtime's container name: node, namespace, pod, container (the default columns), then the pod's
 * labels and owner (JSON: k8s{node, namespace, podName, containerName, podLabels, owner{kind, name}}).
 * A node's rows come in the order its daemon named in Started; {@link #mapping} puts them in this layout.
 */
final class ClusterFields {
    static final String NODE = "k8s.node";
    static final String NAMESPACE = "k8s.namespace";
    static final String POD = "k8s.podName";
    static final String CONTAINER = "k8s.containerName";
    static final String LABELS = "k8s.podLabels";
    static final String OWNER_KIND = "k8s.owner.kind";
    static final String OWNER_NAME = "k8s.owner.name";
    static final String CONTAINER_ID = "runtime.containerId";
    private static final String RUNTIME_CONTAINER_NAME = "runtime.containerName";

    private static final List<FieldSpec> KUBERNETES = List.of(
            FieldSpec.of(NODE, FieldType.STRING, "Kubernetes node the event happened on").shown().width(16),
            FieldSpec.of(NAMESPACE, FieldType.STRING, "Kubernetes namespace of the pod").shown().width(16),
            FieldSpec.of(POD, FieldType.STRING, "Kubernetes pod").shown().width(24),
            FieldSpec.of(CONTAINER, FieldType.STRING, "Container name in the pod spec").shown().width(16),
            FieldSpec.of(LABELS, FieldType.LABELS, "The pod's labels"),
            FieldSpec.of(OWNER_KIND, FieldType.STRING, "Kind of the pod's controller: Deployment, StatefulSet, DaemonSet,"
                    + " CronJob, Job, ReplicaSet, ..."),
            FieldSpec.of(OWNER_NAME, FieldType.STRING, "Name of the pod's controller"));

    private final List<FieldSpec> fields;
    private final Map<String, Integer> index = new HashMap<>();

    private ClusterFields(List<FieldSpec> fields) {
        this.fields = List.copyOf(fields);
        for (int i = 0; i < fields.size(); i++) {
            index.put(fields.get(i).name(), i);
        }
    }

    /** From the fields of a run of the gadget (its description's fieldsFor the run's parameters). */
    static ClusterFields of(List<FieldSpec> gadgetFields) {
        List<FieldSpec> fields = new ArrayList<>();
        int lastRuntime = -1;
        for (FieldSpec field : gadgetFields) {
            if (field.name().startsWith("k8s.")) {
                continue; // the API server's, below, replace the runtime's view
            }
            if (field.name().startsWith("runtime.")) {
                lastRuntime = fields.size();
            }
            fields.add(field.name().equals(RUNTIME_CONTAINER_NAME) ? hidden(field) : field);
        }
        fields.addAll(lastRuntime + 1, KUBERNETES);
        return new ClusterFields(fields);
    }

    List<FieldSpec> fields() {
        return fields;
    }

    /** Position of a field in the layout, or -1. */
    int indexOf(String name) {
        return index.getOrDefault(name, -1);
    }

    /**
     * Where the values of a node's rows go, by the names its Started gave: a field this plugin does not
     * know (a newer daemon) is left out; the daemon's k8s.* values stand until the API server's replace them.
     */
    Mapping mapping(List<String> nodeFields) {
        int[] target = new int[nodeFields.size()];
        FieldType[] types = new FieldType[nodeFields.size()];
        for (int i = 0; i < nodeFields.size(); i++) {
            target[i] = indexOf(nodeFields.get(i));
            types[i] = target[i] < 0 ? null : fields.get(target[i]).type();
        }
        return new Mapping(target, types, fields.size());
    }

    /** Node field i goes to layout position target[i] (-1: dropped), coerced to its type. */
    record Mapping(int[] target, FieldType[] types, int width) {
        void put(int nodeIndex, Object value, Object[] row) {
            if (nodeIndex >= target.length || target[nodeIndex] < 0) {
                return;
            }
            row[target[nodeIndex]] = value == null ? null : types[nodeIndex].coerce(value);
        }
    }

    private static FieldSpec hidden(FieldSpec field) {
        return new FieldSpec(field.name(), field.type(), field.description(), false, field.width(), field.align(),
                field.onlyWith(), field.marks());
    }
}
