package dev.gadget.cli.output;

import dev.gadget.gadgets.model.FieldSpec;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A profile as a flame graph: one self-contained SVG document (no script, no external resource). Each
 * frame is a box as wide as its share of the samples, its callers below it; kernel frames are drawn in
 * another hue than user frames. Hovering a box shows its name, samples and share.
 */
final class FlameGraphPrinter implements RunPrinter {
    private static final int WIDTH = 1200;
    private static final int FRAME_HEIGHT = 16;
    private static final int MARGIN = 10;
    private static final int TITLE_HEIGHT = 30;
    /** Narrower boxes are not drawn: they would be invisible and only make the file bigger. */
    private static final double MIN_BOX_WIDTH = 0.3;
    private static final double CHAR_WIDTH = 7.0;

    private final FoldedStacks stacks;
    private final PrintWriter out;

    FlameGraphPrinter(List<FieldSpec> fields, PrintWriter out) {
        this.stacks = new FoldedStacks(fields);
        this.out = out;
    }

    /** A frame in the merged call tree. */
    private static final class Node {
        final String name;
        final Map<String, Node> children = new LinkedHashMap<>();
        long samples;

        Node(String name) {
            this.name = name;
        }

        int depth() {
            return 1 + children.values().stream().mapToInt(Node::depth).max().orElse(0);
        }
    }

    @Override
    public void start() {
    }

    @Override
    public void event(List<Object> values) {
        throw new UnsupportedOperationException("flame graphs are for profiles, which emit tables");
    }

    @Override
    public void table(List<List<Object>> rows) {
        Node root = new Node("all");
        for (FoldedStacks.Stack stack : stacks.of(rows)) {
            root.samples += stack.samples();
            Node node = root;
            for (String frame : stack.frames()) {
                node = node.children.computeIfAbsent(frame, Node::new);
                node.samples += stack.samples();
            }
        }
        int depth = root.depth();
        int height = TITLE_HEIGHT + depth * FRAME_HEIGHT + 2 * MARGIN;
        StringBuilder svg = new StringBuilder(64 * 1024);
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
                .append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" font-family=\"monospace\" font-size=\"12\">\n")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"#fdfdf5\"/>\n")
                .append("<text x=\"").append(WIDTH / 2).append("\" y=\"20\" text-anchor=\"middle\" font-size=\"16\">")
                .append("CPU flame graph: ").append(root.samples).append(" samples</text>\n");
        draw(svg, root, MARGIN, WIDTH - 2.0 * MARGIN, 0, height, root.samples);
        svg.append("</svg>\n");
        out.append(svg);
    }

    private void draw(StringBuilder svg, Node node, double x, double width, int depth, int height, long total) {
        if (width < MIN_BOX_WIDTH) {
            return;
        }
        double y = height - MARGIN - (depth + 1.0) * FRAME_HEIGHT;
        String label = ValueText.escape(node.name);
        String share = total == 0 ? "0" : String.format(Locale.ROOT, "%.2f", 100.0 * node.samples / total);
        svg.append("<g><title>").append(xml(label)).append(" (").append(node.samples).append(" samples, ")
                .append(share).append("%)</title><rect x=\"").append(number(x)).append("\" y=\"").append(number(y))
                .append("\" width=\"").append(number(width)).append("\" height=\"").append(FRAME_HEIGHT - 1)
                .append("\" rx=\"2\" fill=\"").append(color(node.name, depth)).append("\"/>");
        int fits = (int) ((width - 6) / CHAR_WIDTH);
        if (fits >= 3) {
            String shown = label.length() <= fits ? label : label.substring(0, fits - 2) + "..";
            svg.append("<text x=\"").append(number(x + 3)).append("\" y=\"").append(number(y + FRAME_HEIGHT - 4))
                    .append("\">").append(xml(shown)).append("</text>");
        }
        svg.append("</g>\n");
        double childX = x;
        for (Node child : node.children.values()) {
            double childWidth = width * child.samples / node.samples;
            draw(svg, child, childX, childWidth, depth + 1, height, total);
            childX += childWidth;
        }
    }

    /** Warm hues for user frames, orange-yellow for the kernel's, grey for the root and the commands. */
    private static String color(String name, int depth) {
        if (depth <= 1) {
            return "rgb(200,200,200)";
        }
        int hash = name.hashCode() & 0x7fffffff;
        if (name.endsWith("_[k]")) {
            return "rgb(" + (220 + hash % 35) + "," + (150 + hash % 60) + ",40)";
        }
        return "rgb(" + (205 + hash % 50) + "," + (60 + hash % 110) + "," + (40 + hash % 40) + ")";
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
