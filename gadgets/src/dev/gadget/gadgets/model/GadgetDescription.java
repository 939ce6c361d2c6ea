package dev.gadget.gadgets.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A gadget as data: everything a front end needs to offer it (flags, help, columns, JSON) and to check
 * a request for it, without its code. The daemon serves these; the kubectl plugin renders them.
 * A description that does not hold together cannot be made: the constructor checks it.
 */
public record GadgetDescription(String category, String name, GadgetKind kind, String description,
        List<ParamSpec> params, List<FieldSpec> fields) {

    /**
     * Flags the front ends take for every gadget (output, selection, kubectl's), long and short: no
     * gadget parameter may use them.
     */
    public static final Set<String> RESERVED_FLAGS = Set.of("output", "o", "timeout", "t", "containername", "c",
            "host", "host-root", "verbose", "help", "h", "version", "V", "namespace", "n", "all-namespaces", "A",
            "podname", "p", "selector", "l", "node", "kubeconfig", "context");

    public GadgetDescription {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(description, "description");
        params = List.copyOf(params);
        fields = List.copyOf(fields);
        String id = category + " " + name;
        if (!category.matches("[a-z][a-z0-9-]*") || !name.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("gadget '" + id + "': category and name are lower-case words");
        }
        if (description.isBlank() || description.contains("\n")) {
            throw new IllegalArgumentException(id + ": the description is one line");
        }
        checkParams(id, params);
        checkFields(id, kind, params, fields);
    }

    /** "trace exec". */
    public String id() {
        return category + " " + name;
    }

    public ParamSpec param(String name) {
        return params.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new ParamException("unknown parameter --" + name + " for " + id() + ": "
                        + (params.isEmpty() ? "it takes none" : "it takes " + flags())));
    }

    /**
     * Checks and types the given parameter values (as a user typed them), adding the defaults of the
     * ones not given. Every problem is a one-line ParamException naming the flag.
     */
    public ParamValues parseParams(Map<String, String> given) {
        Map<String, Object> values = new LinkedHashMap<>();
        given.forEach((key, text) -> values.put(param(key).name(), param(key).parse(text)));
        for (ParamSpec param : params) {
            if (!values.containsKey(param.name()) && param.defaultValue() != null) {
                values.put(param.name(), param.parse(param.defaultValue()));
            }
        }
        return new ParamValues(values);
    }

    /** The fields of a run with these values, in order: those that exist only with a parameter drop out without it. */
    public List<FieldSpec> fieldsFor(ParamValues values) {
        return fields.stream().filter(f -> f.onlyWith().isEmpty() || values.flag(f.onlyWith())).toList();
    }

    /** Position of a field among all {@link #fields()}. */
    public int fieldIndex(String field) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().equals(field)) {
                return i;
            }
        }
        throw new IllegalArgumentException(id() + " has no field " + field);
    }

    private String flags() {
        return params.stream().map(ParamSpec::flag).collect(Collectors.joining(", "));
    }

    private static void checkParams(String id, List<ParamSpec> params) {
        Set<String> names = new HashSet<>();
        for (ParamSpec param : params) {
            for (String flag : List.of(param.name(), param.shortName())) {
                if (flag.isEmpty()) {
                    continue;
                }
                if (RESERVED_FLAGS.contains(flag)) {
                    throw new IllegalArgumentException(id + ": parameter " + param.name() + " takes the flag " + flag
                            + ", which every gadget has");
                }
                if (!names.add(flag)) {
                    throw new IllegalArgumentException(id + ": two parameters take the flag " + flag);
                }
            }
        }
    }

    private static void checkFields(String id, GadgetKind kind, List<ParamSpec> params, List<FieldSpec> fields) {
        Map<String, FieldSpec> byName = new LinkedHashMap<>();
        for (FieldSpec field : fields) {
            if (byName.put(field.name(), field) != null) {
                throw new IllegalArgumentException(id + ": two fields are named " + field.name());
            }
        }
        for (String name : byName.keySet()) {
            for (int dot = name.indexOf('.'); dot > 0; dot = name.indexOf('.', dot + 1)) {
                if (byName.containsKey(name.substring(0, dot))) {
                    throw new IllegalArgumentException(id + ": field " + name + " nests under " + name.substring(0, dot)
                            + ", which is a field itself");
                }
            }
        }
        List<FieldSpec> common = new ArrayList<>(CommonFields.container());
        if (kind == GadgetKind.TRACE) {
            common.addAll(CommonFields.eventHeader());
        }
        for (int i = 0; i < common.size(); i++) {
            if (i >= fields.size() || !fields.get(i).name().equals(common.get(i).name())) {
                throw new IllegalArgumentException(id + ": a " + kind.name().toLowerCase(java.util.Locale.ROOT)
                        + " gadget's fields start with the common ones: " + common.stream().map(FieldSpec::name).toList());
            }
        }
        for (FieldSpec field : fields) {
            if (!field.onlyWith().isEmpty() && params.stream()
                    .noneMatch(p -> p.name().equals(field.onlyWith()) && p.type() == ParamType.BOOL)) {
                throw new IllegalArgumentException(id + ": field " + field.name() + " exists only with "
                        + field.onlyWith() + ", which is not a boolean parameter");
            }
            for (FieldSpec.Mark mark : field.marks()) {
                FieldSpec flag = byName.get(mark.flag());
                if (flag == null || flag.type() != FieldType.BOOL || !flag.onlyWith().equals(field.onlyWith())) {
                    throw new IllegalArgumentException(id + ": field " + field.name() + " is marked by "
                            + mark.flag() + ", which is not a boolean field present whenever it is");
                }
            }
        }
        switch (kind) {
            case TOP -> {
                for (String standard : List.of(TopParams.INTERVAL, TopParams.SORT, TopParams.MAX_ROWS)) {
                    if (params.stream().noneMatch(p -> p.name().equals(standard))) {
                        throw new IllegalArgumentException(id + ": a top gadget has --" + standard + " (TopParams.of)");
                    }
                }
            }
            case PROFILE -> {
                require(id, byName, ProfileFields.SAMPLES, FieldType.UINT);
                require(id, byName, ProfileFields.USER_STACK, FieldType.STRING_LIST);
                require(id, byName, ProfileFields.KERNEL_STACK, FieldType.STRING_LIST);
            }
            case TRACE, SNAPSHOT -> {
            }
        }
    }

    private static void require(String id, Map<String, FieldSpec> fields, String name, FieldType type) {
        FieldSpec field = fields.get(name);
        if (field == null || field.type() != type || !field.onlyWith().isEmpty()) {
            throw new IllegalArgumentException(id + ": a profile gadget has the field " + name + " of type " + type);
        }
    }
}
