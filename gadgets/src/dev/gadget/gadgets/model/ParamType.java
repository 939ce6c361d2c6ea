package dev.gadget.gadgets.model;

/** What a parameter takes, and so what its value is after {@link ParamSpec#parse}. */
public enum ParamType {
    /** true or false (a flag given alone means true): Boolean. */
    BOOL,
    /** A whole number within [min, max]: Long. */
    INT,
    /** A duration above zero such as 500ms, 2s, 1m (a bare number is seconds), at most max nanoseconds: java.time.Duration. */
    DURATION,
    /** Any text that is not empty: String. */
    STRING,
    /** One of the allowed values: String. */
    ENUM,
    /** Comma-separated allowed values (field names) each optionally prefixed by - for descending: List of SortKey. */
    SORT
}
