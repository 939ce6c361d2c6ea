package dev.gadget.cli.output;

import dev.gadget.gadgets.model.FieldSpec;
import dev.gadget.gadgets.model.ProfileFields;
import java.util.ArrayList;
import java.util.List;

/**
 * A profile's report as whole stacks, outermost frame first: the command, its user frames, then its
 * kernel frames marked "_[k]" (flamegraph.pl's convention), each stack with its sample count.
 */
final class FoldedStacks {
    record Stack(List<String> frames, long samples) {
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
            List<String> frames = new ArrayList<>();
            if (comm >= 0) {
                frames.add((String) row.get(comm));
            }
            frames.addAll(outermostFirst(row.get(userStack), ""));
            frames.addAll(outermostFirst(row.get(kernelStack), "_[k]"));
            stacks.add(new Stack(frames, (Long) row.get(samples)));
        }
        return stacks;
    }

    private static List<String> outermostFirst(Object stack, String suffix) {
        @SuppressWarnings("unchecked")
        List<String> innermostFirst = (List<String>) stack;
        List<String> frames = new ArrayList<>(innermostFirst.size());
        for (int i = innermostFirst.size() - 1; i >= 0; i--) {
            frames.add(innermostFirst.get(i) + suffix);
        }
        return frames;
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
