package dev.gadget.gadgets.model;

import java.util.ArrayList;
import java.util.List;
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
 * @param marks what columns append to the value when a boolean field says so (" …[truncated]" when
 *     argsTruncated is true); JSON carries those fields themselves
 */
public record FieldSpec(String name, FieldType type, String description, boolean visible, int width, Align align,
        String onlyWith, List<Mark> marks) {

    public enum Align { LEFT, RIGHT }

    /** Text a column appends to the value when the boolean field {@code flag} is true. */
    public record Mark(String flag, String text) {
    }

    /** The mark of a value cut short. */
    public static final String CUT = " …[truncated]";
    /** The mark of a path whose file or directory was deleted, as /proc shows it. */
    public static final String DELETED = " (deleted)";

    public FieldSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type of " + name);
        Objects.requireNonNull(description, "description of " + name);
        Objects.requireNonNull(align, "align of " + name);
        onlyWith = Objects.requireNonNullElse(onlyWith, "");
        marks = List.copyOf(Objects.requireNonNullElse(marks, List.of()));
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
            case STRING, STRING_LIST, BYTES, LABELS -> 16;
        };
        return new FieldSpec(name, type, description, false, width, numeric ? Align.RIGHT : Align.LEFT, "", List.of());
    }

    public FieldSpec shown() {
        return new FieldSpec(name, type, description, true, width, align, onlyWith, marks);
    }

    public FieldSpec width(int columns) {
        return new FieldSpec(name, type, description, visible, columns, align, onlyWith, marks);
    }

    public FieldSpec onlyWith(String param) {
        return new FieldSpec(name, type, description, visible, width, align, param, marks);
    }

    /** Marks the value as cut short (" …[truncated]") when the boolean field {@code boolField} is true. */
    public FieldSpec cutFlag(String boolField) {
        return markedBy(boolField, CUT);
    }

    /** Appends {@code text} to the value in columns when the boolean field {@code boolField} is true. */
    public FieldSpec markedBy(String boolField, String text) {
        List<Mark> more = new ArrayList<>(marks);
        more.add(new Mark(boolField, text));
        return new FieldSpec(name, type, description, visible, width, align, onlyWith, more);
    }

    public String header() {
        return name.toUpperCase(Locale.ROOT);
    }
}
