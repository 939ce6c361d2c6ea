package dev.gadget.cli.output;

import dev.gadget.gadgets.model.FieldSpec;
import java.io.PrintWriter;
import java.util.List;

/** A profile as folded stacks, the input of flamegraph.pl and speedscope: "comm;outer;...;inner count". */
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
            out.append(String.join(";", stack.frames().stream().map(f -> f.replace(';', ':')).toList()))
                    .append(' ').append(String.valueOf(stack.samples())).append('\n');
        }
    }
}
