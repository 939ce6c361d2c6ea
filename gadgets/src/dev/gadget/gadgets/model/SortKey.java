package dev.gadget.gadgets.model;

/** One key of a --sort value: a field, in ascending or (prefixed by -) descending order. */
public record SortKey(String field, boolean descending) {
    @Override
    public String toString() {
        return (descending ? "-" : "") + field;
    }
}
