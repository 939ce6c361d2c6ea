package dev.gadget.gadgets.model;

import java.util.Locale;
import java.util.Objects;

/**
 * One piece of what a gadget reports: a JSON member (dotted names nest: "runtime.containerName") and a
 * column (header: the name in upper case).
 *
 * @param name Inspektor Gadget's JSON name
 * @param visible whether it is a column unless the user picks others
 * @param width column width; the last column of a table is never cut, a wider value pushes its row
 * @param onlyWith "" or the boolean parameter without which the field is not part of a run at all
 *     (trace exec's cwd exists only with --paths)
 * @param cutFlag "" or the boolean field that says this one was cut short; columns then mark the cut
 */
public record FieldSpec(String name, FieldType type, String description, boolean visible, int width, Align align,
        String onlyWith, String cutFlag) {

    public enum Align { LEFT, RIGHT }

    public FieldSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type of " + name);
        Objects.requireNonNull(description, "description of " + name);
        Objects.requireNonNull(align, "align of " + name);
        onlyWith = Objects.requireNonNullElse(onlyWith, "");
        cutFlag = Objects.requireNonNullElse(cutFlag, "");
        if (!name.matches("[a-z][A-Za-z0-9]*(\\.[a-z][A-Za-z0-9]*)*")) {
            throw new IllegalArgumentException("field name '" + name + "' is not lowerCamelCase words joined by dots");
        }
        if (width < 1) {
            throw new IllegalArgumentException("field " + name + " has width " + width + ", not at least 1");
        }
    }

    /** A hidden field with the usual width and alignment of its type; chain the withers to change them. */
    public static FieldSpec of(String name, FieldType type, String description) {
        boolean numeric = switch (type) {
            case INT, UINT, DURATION -> true;
            default -> false;
        };
        int width = switch (type) {
            case INT, UINT -> 7;
            case ERRNO -> 12;
            case BOOL -> 5;
            case TIMESTAMP -> 30;
            case DURATION -> 10;
            case ADDRESS -> 22;
            case STRING, STRING_LIST, BYTES -> 16;
        };
        return new FieldSpec(name, type, description, false, width, numeric ? Align.RIGHT : Align.LEFT, "", "");
    }

    public FieldSpec shown() {
        return new FieldSpec(name, type, description, true, width, align, onlyWith, cutFlag);
    }

    public FieldSpec width(int columns) {
        return new FieldSpec(name, type, description, visible, columns, align, onlyWith, cutFlag);
    }

    public FieldSpec onlyWith(String param) {
        return new FieldSpec(name, type, description, visible, width, align, param, cutFlag);
    }

    public FieldSpec cutFlag(String boolField) {
        return new FieldSpec(name, type, description, visible, width, align, onlyWith, boolField);
    }

    public String header() {
        return name.toUpperCase(Locale.ROOT);
    }
}
