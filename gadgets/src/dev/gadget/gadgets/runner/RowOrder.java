package dev.gadget.gadgets.runner;

import dev.gadget.gadgets.model.FieldSpec;
import dev.gadget.gadgets.model.FieldType;
import dev.gadget.gadgets.model.GadgetDescription;
import dev.gadget.gadgets.model.SortKey;
import java.util.Comparator;
import java.util.List;

/** Orders full rows by sort keys, each compared as its field's type says (unsigned numbers as unsigned). */
final class RowOrder {
    private RowOrder() {
    }

    static Comparator<Object[]> of(GadgetDescription description, List<SortKey> keys) {
        Comparator<Object[]> order = (a, b) -> 0;
        for (SortKey key : keys) {
            int index = description.fieldIndex(key.field());
            Comparator<Object[]> byField = by(description.fields().get(index), index);
            order = order.thenComparing(key.descending() ? byField.reversed() : byField);
        }
        return order;
    }

    private static Comparator<Object[]> by(FieldSpec field, int index) {
        return (a, b) -> {
            Object x = a[index];
            Object y = b[index];
            if (x == null || y == null) {
                return x == null ? (y == null ? 0 : -1) : 1;
            }
            return switch (x) {
                case Long l when field.type() == FieldType.UINT -> Long.compareUnsigned(l, (Long) y);
                case Long l -> Long.compare(l, (Long) y);
                case String s -> s.compareTo((String) y);
                case Boolean f -> Boolean.compare(f, (Boolean) y);
                default -> 0;
            };
        };
    }
}
