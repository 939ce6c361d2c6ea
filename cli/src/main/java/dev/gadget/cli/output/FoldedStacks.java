package dev.gadget.cli.output;

import dev.gadget.gadgets.model.FieldSpec;
import dev.gadget.gadgets.model.ProfileFields;
import java.util.ArrayList;
import java.util.List;

/**
 * A profile's report as whole stacks, outermost frame first: the command, its user frames, then its
 * kernel frames, each stack with its sample count. Works from the fields every profile has.
 */
final class FoldedStacks {
    enum Kind { COMMAND, USER, KERNEL }

    record Frame(String name, Kind kind) {
    }

    record Stack(List<Frame> frames, long samples) {
    }

    private final int samples;
    private final int userStack;
    private final int kernelStack;
    private final int comm;

    FoldedStacks(List<FieldSpec> fields) {
        this.samples = index(fields, ProfileFields.SAMPLES);
        this.userStack = index(fields, ProfileFields.USER_STACK);
        this.kernelStack = index(fields, ProfileFields.KERNEL_STACK);
        this.comm = fields.stream().map(FieldSpec::name).toList().indexOf("comm");
    }

    List<Stack> of(List<List<Object>> rows) {
        List<Stack> stacks = new ArrayList<>(rows.size());
        for (List<Object> row : rows) {
            List<Frame> frames = new ArrayList<>();
            if (comm >= 0) {
                frames.add(new Frame((String) row.get(comm), Kind.COMMAND));
            }
            addOutermostFirst(row.get(userStack), Kind.USER, frames);
            addOutermostFirst(row.get(kernelStack), Kind.KERNEL, frames);
            stacks.add(new Stack(frames, (Long) row.get(samples)));
        }
        return stacks;
    }

    private static void addOutermostFirst(Object stack, Kind kind, List<Frame> frames) {
        if (stack == null) {
            return;
        }
        @SuppressWarnings("unchecked")
        List<String> innermostFirst = (List<String>) stack;
        for (int i = innermostFirst.size() - 1; i >= 0; i--) {
            frames.add(new Frame(innermostFirst.get(i), kind));
        }
    }

    private static int index(List<FieldSpec> fields, String name) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("not a profile: no field " + name);
    }
}
