package dev.gadget.gadgets.model;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The checked, typed values of a run's parameters, every parameter of the gadget present (its default
 * when not given; absent only when it has no default). Made by {@link GadgetDescription#parseParams}.
 */
public record ParamValues(Map<String, Object> values) {
    public static final ParamValues NONE = new ParamValues(Map.of());

    public ParamValues {
        values = Map.copyOf(values);
    }

    public boolean flag(String name) {
        return values.get(name) instanceof Boolean on && on;
    }

    public long number(String name) {
        return (Long) require(name);
    }

    public Duration duration(String name) {
        return (Duration) require(name);
    }

    public String text(String name) {
        return (String) require(name);
    }

    @SuppressWarnings("unchecked")
    public List<SortKey> sortKeys(String name) {
        return (List<SortKey>) require(name);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    private Object require(String name) {
        Object value = values.get(name);
        if (value == null) {
            throw new IllegalStateException("parameter " + name + " has no value and no default");
        }
        return value;
    }
}
