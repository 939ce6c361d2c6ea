package dev.gadget.gadgets.model;

import java.util.Map;
import java.util.Objects;

/**
 * What a front end asks for: run this gadget with these parameter values (as typed by a user, checked
 * by the gadget's description) on these containers, for at most this long.
 *
 * @param timeoutSeconds 0: until stopped
 */
public record RunRequest(String category, String name, Map<String, String> params, ContainerSelection containers,
        long timeoutSeconds) {

    public RunRequest {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(name, "name");
        params = Objects.requireNonNullElse(params, Map.of());
        params.forEach((param, value) -> {
            if (value == null) {
                throw new IllegalArgumentException("params: " + param + " has no value (null): give it as text, as typed"
                        + " after --" + param);
            }
        });
        params = Map.copyOf(params);
        containers = Objects.requireNonNullElse(containers, ContainerSelection.EVERYTHING);
        if (timeoutSeconds < 0) {
            throw new IllegalArgumentException("timeoutSeconds: " + timeoutSeconds + " is below 0 (0 runs until stopped)");
        }
    }
}
