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
    /** A run asks for at most a year: enough for anyone, and far from overflowing a deadline in nanoseconds. */
    public static final long MAX_TIMEOUT_SECONDS = 365L * 24 * 3600;

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
            throw new IllegalArgumentException("timeoutSeconds: " + timeoutSeconds + " is below 0: give 0 to run until"
                    + " stopped, or up to " + MAX_TIMEOUT_SECONDS);
        }
        if (timeoutSeconds > MAX_TIMEOUT_SECONDS) {
            throw new IllegalArgumentException("timeoutSeconds: " + timeoutSeconds + " is more than a year ("
                    + MAX_TIMEOUT_SECONDS + "): give less, or 0 to run until stopped");
        }
    }
}
