package dev.gadget.gadgets.model;

import java.util.List;

/** A row read by field name: for tests, and for front ends that add to what a gadget reports. */
public record RowView(List<FieldSpec> fields, List<Object> values) {

    public RowView {
        if (fields.size() != values.size()) {
            throw new IllegalArgumentException(values.size() + " values for " + fields.size() + " fields");
        }
    }

    public Object get(String field) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().equals(field)) {
                return values.get(i);
            }
        }
        throw new IllegalArgumentException("no field " + field + " among " + fields.stream().map(FieldSpec::name).toList());
    }

    public String string(String field) {
        return (String) get(field);
    }

    public long number(String field) {
        return (Long) get(field);
    }

    public boolean flag(String field) {
        return (Boolean) get(field);
    }

    @SuppressWarnings("unchecked")
    public List<String> strings(String field) {
        return (List<String>) get(field);
    }
}
