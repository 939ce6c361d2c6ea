package dev.gadget.gadgets;

import java.util.Locale;
import java.util.function.Function;

/**
 * One piece of an event as users see it: a JSON member (dotted names nest, "runtime.containerName")
 * and a column (header: the name in upper case). {@code value} is what JSON carries (a number, string,
 * boolean or list of strings); {@code text} is what a column shows.
 *
 * @param width column width; the last column of a table is never cut
 */
public record Field<E>(String name, int width, Align align, Function<? super E, ?> value,
        Function<? super E, String> text) {

    public enum Align { LEFT, RIGHT }

    public static <E> Field<E> text(String name, int width, Function<? super E, String> value) {
        return new Field<>(name, width, Align.LEFT, value, value);
    }

    public static <E> Field<E> number(String name, int width, Function<? super E, ? extends Number> value) {
        return new Field<>(name, width, Align.RIGHT, value, e -> String.valueOf(value.apply(e)));
    }

    public String header() {
        return name.toUpperCase(Locale.ROOT);
    }
}
