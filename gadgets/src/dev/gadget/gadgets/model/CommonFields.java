package dev.gadget.gadgets.model;

import java.util.List;

/**
 * Fields declared once for every gadget. Every gadget's rows start with the container's (empty
 * strings for host processes, so every row has the same shape); a trace's events go on with those of
 * the event header, what gadget.h's struct gadget_header carries.
 */
public final class CommonFields {
    private static final List<FieldSpec> CONTAINER = List.of(
            FieldSpec.of("runtime.runtimeName", FieldType.STRING, "Container runtime: containerd, cri-o, docker or podman").width(10),
            FieldSpec.of("runtime.containerId", FieldType.STRING, "Container id").width(13),
            FieldSpec.of("runtime.containerName", FieldType.STRING, "Container name, empty for host processes").shown().width(21),
            FieldSpec.of("runtime.containerImageName", FieldType.STRING, "Container image").width(26),
            FieldSpec.of("k8s.namespace", FieldType.STRING, "Kubernetes namespace of the pod").width(13),
            FieldSpec.of("k8s.podName", FieldType.STRING, "Kubernetes pod").width(16),
            FieldSpec.of("k8s.containerName", FieldType.STRING, "Container name in the pod spec").width(17));

    private static final List<FieldSpec> EVENT_HEADER = List.of(
            FieldSpec.of("timestamp", FieldType.TIMESTAMP, "When it happened, nanoseconds since the Unix epoch"),
            FieldSpec.of("mountnsid", FieldType.UINT, "Mount namespace inode number").width(10),
            FieldSpec.of("cgroupid", FieldType.UINT, "cgroup v2 id (inode of the cgroup directory)").width(10),
            FieldSpec.of("pid", FieldType.INT, "Process id"),
            FieldSpec.of("tid", FieldType.INT, "Thread id"),
            FieldSpec.of("ppid", FieldType.INT, "Parent process id"),
            FieldSpec.of("uid", FieldType.UINT, "User id").width(6),
            FieldSpec.of("gid", FieldType.UINT, "Group id").width(6),
            FieldSpec.of("comm", FieldType.STRING, "Command name (first 15 bytes)"));

    /** Row positions of the container fields, the same in every gadget. */
    public static final int RUNTIME_NAME = 0;
    public static final int CONTAINER_ID = 1;
    public static final int CONTAINER_NAME = 2;
    public static final int IMAGE_NAME = 3;
    public static final int POD_NAMESPACE = 4;
    public static final int POD_NAME = 5;
    public static final int POD_CONTAINER_NAME = 6;

    /** Index of the first field after the container's; a trace's event header starts here. */
    public static final int HEADER_START = 7;

    private CommonFields() {
    }

    /** The container fields; only the container name is a default column. */
    public static List<FieldSpec> container() {
        return CONTAINER;
    }

    /** The event header fields, the ones named shown by default (a gadget picks what matters for it). */
    public static List<FieldSpec> eventHeader(String... shown) {
        List<String> names = List.of(shown);
        List<FieldSpec> fields = EVENT_HEADER.stream().map(f -> names.contains(f.name()) ? f.shown() : f).toList();
        for (String name : names) {
            if (fields.stream().noneMatch(f -> f.name().equals(name))) {
                throw new IllegalArgumentException("the event header has no field " + name);
            }
        }
        return fields;
    }
}
