package dev.gadget.gadgets.model;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a field's values are. Every type has one Java representation in a row ({@link #coerce} makes
 * it from what JSON gives back), and JSON carries it as a number, string, boolean or array.
 */
public enum FieldType {
    /** A signed integer: Long. */
    INT,
    /** An unsigned integer (a u64 may exceed Long.MAX_VALUE): Long, read as unsigned. */
    UINT,
    /** Text: String. Bytes that are not UTF-8 are kept as U+DC80..U+DCFF (see Text.decode). */
    STRING,
    /** A list of texts, e.g. argv: List of String. */
    STRING_LIST,
    /** Raw bytes: byte[]; base64 in JSON. */
    BYTES,
    /** Boolean. */
    BOOL,
    /** Nanoseconds since the Unix epoch: Long. */
    TIMESTAMP,
    /** Nanoseconds: Long. */
    DURATION,
    /** 0 or a negative errno (-2 is ENOENT): Long. */
    ERRNO,
    /** A network address as text, e.g. 10.0.0.7:443 or [::1]:80: String. */
    ADDRESS,
    /** Keys and their values, e.g. a pod's labels: a Map of String to String, ordered by key; a JSON object. */
    LABELS;

    /** The row representation of a value of this type, from itself or from what a JSON parser returns. */
    public Object coerce(Object value) {
        return switch (this) {
            case INT, UINT, TIMESTAMP, DURATION, ERRNO -> switch (value) {
                case Long l -> l;
                case Number n -> n.longValue();
                default -> throw mismatch(value);
            };
            case STRING, ADDRESS -> {
                if (value instanceof String s) {
                    yield s;
                }
                throw mismatch(value);
            }
            case BOOL -> {
                if (value instanceof Boolean b) {
                    yield b;
                }
                throw mismatch(value);
            }
            case BYTES -> switch (value) {
                case byte[] bytes -> bytes;
                case String base64 -> Base64.getDecoder().decode(base64);
                default -> throw mismatch(value);
            };
            case LABELS -> {
                if (!(value instanceof Map<?, ?> map)) {
                    throw mismatch(value);
                }
                Map<String, String> labels = new TreeMap<>();
                map.forEach((key, text) -> {
                    if (!(key instanceof String k) || !(text instanceof String v)) {
                        throw mismatch(value);
                    }
                    labels.put(k, v);
                });
                yield labels;
            }
            case STRING_LIST -> {
                if (!(value instanceof List<?> list)) {
                    throw mismatch(value);
                }
                List<String> strings = new ArrayList<>(list.size());
                for (Object item : list) {
                    if (!(item instanceof String s)) {
                        throw mismatch(value);
                    }
                    strings.add(s);
                }
                yield strings;
            }
        };
    }

    private IllegalArgumentException mismatch(Object value) {
        return new IllegalArgumentException("a " + name().toLowerCase(java.util.Locale.ROOT) + " value cannot be "
                + (value == null ? "null" : value.getClass().getSimpleName() + " " + value));
    }
}
