package dev.gadget.cli.kubectl;

import dev.gadget.cli.Output;
import dev.gadget.cli.output.RunPrinter;
import dev.gadget.gadgets.model.FieldType;
import dev.gadget.gadgets.model.GadgetKind;
import dev.gadget.gadgets.model.ProfileFields;
import dev.gadget.gadgets.model.SortKey;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The nodes' data merged into one output, from the nodes' reader threads. A trace's events are printed
 * as they come. A snapshot's tables, one per node, become one table once every node has answered;
 * a profile's reports too, the most sampled stacks first (each row keeps its node); a top gadget's
 * tables become one per interval, once every node still running has sent its table of that interval,
 * sorted by --sort and cut to --max-rows as each node's were.
 */
final class ClusterOutput {
    private final GadgetKind kind;
    private final RunPrinter printer;
    private final Output output;
    private final Comparator<Object[]> order;
    private final int maxRows;
    private final int nodeField;
    private final Set<String> running = new TreeSet<>();
    private final Map<String, List<Object[]>> tables = new LinkedHashMap<>();
    private boolean started;

    /**
     * @param sort for top gadgets the --sort keys (else empty)
     * @param maxRows for top gadgets --max-rows (else 0: no limit)
     */
    ClusterOutput(GadgetKind kind, RunPrinter printer, Output output, ClusterFields fields, List<SortKey> sort,
            int maxRows) {
        this.kind = kind;
        this.printer = printer;
        this.output = output;
        this.nodeField = fields.indexOf(ClusterFields.NODE);
        this.order = switch (kind) {
            case TOP -> order(fields, sort);
            case PROFILE -> order(fields, List.of(new SortKey(ProfileFields.SAMPLES, true)));
            case TRACE, SNAPSHOT -> byNode();
        };
        this.maxRows = maxRows;
    }

    /** The nodes whose tables are awaited, before any runs. */
    synchronized void expect(String node) {
        running.add(node);
    }

    /** A node's run is loaded and attached: the first one prints a trace's header. */
    synchronized void started() {
        if (!started) {
            started = true;
            printer.start();
            flush();
        }
    }

    synchronized void event(Object[] row) {
        printer.event(Arrays.asList(row));
    }

    synchronized void table(String node, List<Object[]> rows) {
        if (kind == GadgetKind.TOP) {
            tables.put(node, rows);
            if (tables.keySet().containsAll(running)) {
                printMerged();
            }
        } else {
            tables.merge(node, new ArrayList<>(rows), (kept, more) -> {
                kept.addAll(more);
                return kept;
            });
        }
    }

    /** A node is done (ended, failed): a top interval no longer waits for it. */
    synchronized void ended(String node) {
        running.remove(node);
        if (kind == GadgetKind.TOP && !tables.isEmpty() && tables.keySet().containsAll(running)) {
            printMerged();
        }
    }

    /** Every node is done: what is still merged is printed. */
    synchronized void finish() {
        if (!tables.isEmpty()) {
            printMerged();
        }
        flush();
    }

    synchronized void flush() {
        output.writer().flush();
    }

    boolean gone() {
        return output.gone();
    }

    PrintWriter writer() {
        return output.writer();
    }

    private void printMerged() {
        List<Object[]> rows = new ArrayList<>();
        tables.values().forEach(rows::addAll);
        tables.clear();
        rows.sort(order);
        if (maxRows > 0 && rows.size() > maxRows) {
            rows = rows.subList(0, maxRows);
        }
        printer.table(rows.stream().map(Arrays::asList).toList());
        flush();
    }

    private Comparator<Object[]> byNode() {
        return Comparator.comparing(row -> (String) row[nodeField], Comparator.nullsFirst(Comparator.naturalOrder()));
    }

    /** Rows by sort keys, each compared as its field's type says (unsigned as unsigned); unknown fields are skipped. */
    private static Comparator<Object[]> order(ClusterFields fields, List<SortKey> keys) {
        Comparator<Object[]> order = (a, b) -> 0;
        for (SortKey key : keys) {
            int index = fields.indexOf(key.field());
            if (index < 0) {
                continue;
            }
            FieldType type = fields.fields().get(index).type();
            Comparator<Object[]> byField = (a, b) -> compare(a[index], b[index], type);
            order = order.thenComparing(key.descending() ? byField.reversed() : byField);
        }
        return order;
    }

    private static int compare(Object x, Object y, FieldType type) {
        if (x == null || y == null) {
            return x == null ? (y == null ? 0 : -1) : 1;
        }
        return switch (x) {
            case Long l when type == FieldType.UINT -> Long.compareUnsigned(l, (Long) y);
            case Long l -> Long.compare(l, (Long) y);
            case String s -> s.compareTo((String) y);
            case Boolean b -> Boolean.compare(b, (Boolean) y);
            default -> 0;
        };
    }
}
