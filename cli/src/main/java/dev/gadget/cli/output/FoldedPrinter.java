package dev.gadget.cli.output;

import dev.gadget.gadgets.model.FieldSpec;
import java.io.PrintWriter;
import java.util.List;

/**
 * A profile as folded stacks, the input of flamegraph.pl and speedscope: "comm;outer;...;inner count",
 * kernel frames marked "_[k]" (flamegraph.pl's convention). A frame's ';' becomes ':' and control
 * characters and bytes that are not UTF-8 are escaped (\n, \xff): every stack stays one line.
 */
final class FoldedPrinter implements RunPrinter {
    private final FoldedStacks stacks;
    private final PrintWriter out;

    FoldedPrinter(List<FieldSpec> fields, PrintWriter out) {
        this.stacks = new FoldedStacks(fields);
        this.out = out;
    }

    @Override
    public void start() {
    }

    @Override
    public void event(List<Object> values) {
        throw new UnsupportedOperationException("folded stacks are for profiles, which emit tables");
    }

    @Override
    public void table(List<List<Object>> rows) {
        for (FoldedStacks.Stack stack : stacks.of(rows)) {
            StringBuilder line = new StringBuilder(256);
            for (FoldedStacks.Frame frame : stack.frames()) {
                if (!line.isEmpty()) {
                    line.append(';');
                }
                line.append(ValueText.escape(frame.name()).replace(';', ':'));
                if (frame.kind() == FoldedStacks.Kind.KERNEL) {
                    line.append("_[k]");
                }
            }
            out.append(line).append(' ').append(String.valueOf(stack.samples())).append('\n');
        }
    }
}
