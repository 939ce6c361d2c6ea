package dev.gadget.daemon;

import dev.gadget.gadgets.model.RowView;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The execs of a burst (Programs.burst) among a run's events, for the daemon's tests. */
final class ExecPrograms {
    private ExecPrograms() {
    }

    static boolean isMarked(RowView event, Path program, String marker) {
        List<String> args = event.strings("args");
        return args.size() == 4 && args.get(0).equals(program.toString()) && args.get(1).equals(marker);
    }

    /** The numbers of the marked execs among {@code events}, failing on one seen twice. */
    static Set<Integer> numbers(List<RowView> events, Path program, String marker) {
        Set<Integer> numbers = new TreeSet<>();
        for (RowView event : events) {
            if (isMarked(event, program, marker) && !numbers.add(Integer.parseInt(event.strings("args").get(2)))) {
                throw new AssertionError("exec " + event.strings("args").get(2) + " of " + marker + " came twice");
            }
        }
        return numbers;
    }
}
