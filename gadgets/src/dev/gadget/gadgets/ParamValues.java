package dev.gadget.gadgets;

import java.util.Set;

/** The {@link Param}s switched on for one run. */
public record ParamValues(Set<String> enabled) {
    public static final ParamValues NONE = new ParamValues(Set.of());

    public ParamValues {
        enabled = Set.copyOf(enabled);
    }

    public boolean isOn(Param param) {
        return enabled.contains(param.name());
    }
}
