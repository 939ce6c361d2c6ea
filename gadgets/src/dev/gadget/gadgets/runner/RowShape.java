package dev.gadget.gadgets.runner;

import dev.gadget.gadgets.model.FieldSpec;
import dev.gadget.gadgets.model.GadgetDescription;
import dev.gadget.gadgets.model.ParamValues;
import java.util.Arrays;
import java.util.List;

/**
 * A gadget fills a slot for every field of its description; a run emits the values of its own fields
 * ({@link GadgetDescription#fieldsFor}) only, in their order.
 */
final class RowShape {
    /** Positions of the run's fields in a full row; null when the run has them all. */
    private final int[] kept;
    private final int width;

    RowShape(GadgetDescription description, ParamValues values) {
        List<FieldSpec> all = description.fields();
        List<FieldSpec> run = description.fieldsFor(values);
        this.width = all.size();
        this.kept = run.size() == all.size() ? null : run.stream().mapToInt(all::indexOf).toArray();
    }

    Object[] newRow() {
        return new Object[width];
    }

    List<Object> emitted(Object[] row) {
        if (kept == null) {
            return Arrays.asList(row);
        }
        Object[] values = new Object[kept.length];
        for (int i = 0; i < kept.length; i++) {
            values[i] = row[kept[i]];
        }
        return Arrays.asList(values);
    }
}
