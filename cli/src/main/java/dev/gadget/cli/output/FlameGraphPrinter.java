package dev.gadget.cli.output;

import dev.gadget.gadgets.model.FieldSpec;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A profile as a flame graph: one self-contained SVG document (no script, no external resource) that a
 * browser opens. Each frame is a box as wide as its share of the samples, its callees below it: the
 * root sits at the top, where a browser opens the page, however deep the stacks. User frames are in
 * warm colors, kernel frames in blue, commands in lilac, frames with no name in grey. Hovering a box
 * shows its name, kind, samples and share.
 */
final class FlameGraphPrinter implements RunPrinter {
    private static final int WIDTH = 1200;
    private static final int MARGIN = 10;
    private static final int FRAME_HEIGHT = 18;
    private static final int HEADER_HEIGHT = 64;
    private static final double CHAR_WIDTH = 7.3;
    /** Narrower boxes are not drawn: nobody could see or hover them, and they would swell the file. */
    private static final double MIN_BOX_WIDTH = 0.5;

    private final FoldedStacks stacks;
    private final PrintWriter out;

    FlameGraphPrinter(List<FieldSpec> fields, PrintWriter out) {
        this.stacks = new FoldedStacks(fields);
        this.out = out;
    }

    /** A frame of the merged call tree: the same frame called from the same path is one node. */
    private static final class Node {
        final FoldedStacks.Frame frame;
        final Map<FoldedStacks.Frame, Node> children = new HashMap<>();
        long samples;

        Node(FoldedStacks.Frame frame) {
            this.frame = frame;
        }

        int depth() {
            int deepest = 0;
            for (Node child : children.values()) {
                deepest = Math.max(deepest, child.depth());
            }
            return 1 + deepest;
        }

        /** The widest first; equal ones by name, so that the same profile always draws the same. */
        List<Node> ordered() {
            List<Node> ordered = new ArrayList<>(children.values());
            ordered.sort(Comparator.comparingLong((Node n) -> -n.samples).thenComparing(n -> n.frame.name())
                    .thenComparing(n -> n.frame.kind()));
            return ordered;
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
        Node root = new Node(new FoldedStacks.Frame("all", FoldedStacks.Kind.COMMAND));
        for (FoldedStacks.Stack stack : stacks.of(rows)) {
            root.samples += stack.samples();
            Node node = root;
            for (FoldedStacks.Frame frame : stack.frames()) {
                node = node.children.computeIfAbsent(frame, Node::new);
                node.samples += stack.samples();
            }
        }
        int height = HEADER_HEIGHT + root.depth() * FRAME_HEIGHT + MARGIN;
        StringBuilder svg = new StringBuilder(256 * 1024);
        header(svg, height, root.samples);
        if (root.samples == 0) {
            svg.append("<text x=\"").append(WIDTH / 2).append("\" y=\"").append(HEADER_HEIGHT + FRAME_HEIGHT)
                    .append("\" text-anchor=\"middle\">No samples: nothing ran, or nothing was selected</text>\n");
        } else {
            draw(svg, root, MARGIN, WIDTH - 2.0 * MARGIN, 0, root.samples);
        }
        svg.append("</svg>\n");
        out.append(svg);
    }

    private static void header(StringBuilder svg, int height, long samples) {
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
                .append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height).append("\">\n")
                .append("<style>text{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:12px;fill:#000}")
                .append(" .f text{pointer-events:none} .f:hover rect{stroke:#000;stroke-width:1.5}")
                .append(" .title{font-size:17px;font-weight:bold} .note{fill:#555}</style>\n")
                .append("<defs><linearGradient id=\"bg\" x1=\"0\" y1=\"0\" x2=\"0\" y2=\"1\">")
                .append("<stop offset=\"5%\" stop-color=\"#f8f8f8\"/><stop offset=\"95%\" stop-color=\"#e8e8f0\"/>")
                .append("</linearGradient></defs>\n")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"url(#bg)\"/>\n")
                .append("<text class=\"title\" x=\"").append(MARGIN).append("\" y=\"24\">Flame graph: ")
                .append(samples).append(samples == 1 ? " sample" : " samples").append("</text>\n")
                .append("<text class=\"note\" x=\"").append(MARGIN).append("\" y=\"44\">")
                .append("Callers above callees; width is the share of samples; hover a frame for its count.</text>\n");
        double x = WIDTH - MARGIN;
        x = legend(svg, x, "no name", color(new FoldedStacks.Frame("[unknown]", FoldedStacks.Kind.USER), 2));
        x = legend(svg, x, "command", color(new FoldedStacks.Frame("command", FoldedStacks.Kind.COMMAND), 1));
        x = legend(svg, x, "kernel", color(new FoldedStacks.Frame("kernel", FoldedStacks.Kind.KERNEL), 2));
        legend(svg, x, "user", color(new FoldedStacks.Frame("user", FoldedStacks.Kind.USER), 2));
    }

    /** A swatch and its label ending at {@code right}; returns where the next one, to its left, ends. */
    private static double legend(StringBuilder svg, double right, String label, String color) {
        double x = right - 16 - label.length() * CHAR_WIDTH;
        svg.append("<rect x=\"").append(number(x)).append("\" y=\"14\" width=\"12\" height=\"12\" rx=\"2\" fill=\"")
                .append(color).append("\"/><text x=\"").append(number(x + 16)).append("\" y=\"24\">").append(label)
                .append("</text>\n");
        return x - 18;
    }

    private void draw(StringBuilder svg, Node node, double x, double width, int depth, long total) {
        double y = HEADER_HEIGHT + depth * (double) FRAME_HEIGHT;
        String label = depth == 0 ? "all" : ValueText.escape(node.frame.name());
        String share = String.format(Locale.ROOT, "%.2f", 100.0 * node.samples / total);
        svg.append("<g class=\"f\"><title>").append(xml(label)).append(depth == 0 ? "" : " (" + kind(node.frame) + ")")
                .append(": ").append(node.samples).append(node.samples == 1 ? " sample, " : " samples, ")
                .append(share).append("%</title><rect x=\"").append(number(x)).append("\" y=\"").append(number(y))
                .append("\" width=\"").append(number(width)).append("\" height=\"").append(FRAME_HEIGHT - 1)
                .append("\" rx=\"2\" fill=\"").append(color(node.frame, depth)).append("\"/>");
        int fits = (int) ((width - 6) / CHAR_WIDTH);
        if (fits >= 3) {
            String shown = label.codePointCount(0, label.length()) <= fits ? label
                    : label.substring(0, label.offsetByCodePoints(0, fits - 2)) + "..";
            svg.append("<text x=\"").append(number(x + 3)).append("\" y=\"").append(number(y + FRAME_HEIGHT - 5))
                    .append("\">").append(xml(shown)).append("</text>");
        }
        svg.append("</g>\n");
        double childX = x;
        for (Node child : node.ordered()) {
            double childWidth = width * child.samples / node.samples;
            if (childWidth >= MIN_BOX_WIDTH) {
                draw(svg, child, childX, childWidth, depth + 1, total);
            }
            childX += childWidth;
        }
    }

    private static String kind(FoldedStacks.Frame frame) {
        return switch (frame.kind()) {
            case COMMAND -> "command";
            case USER -> "user";
            case KERNEL -> "kernel";
        };
    }

    /**
     * A color per frame kind, its shade from the name so that a function has one color everywhere:
     * red to yellow for user code, blues for the kernel, lilac for commands, grey for frames without
     * a name ("[unknown:...]", "[lost:...]") and the root.
     */
    private static String color(FoldedStacks.Frame frame, int depth) {
        int hash = frame.name().hashCode();
        double a = (hash & 0xff) / 255.0;
        double b = ((hash >>> 8) & 0xff) / 255.0;
        double c = ((hash >>> 16) & 0xff) / 255.0;
        if (depth == 0 || frame.kind() != FoldedStacks.Kind.COMMAND && frame.name().startsWith("[")) {
            return rgb(200 + 20 * a, 200 + 20 * a, 200 + 20 * a);
        }
        return switch (frame.kind()) {
            case COMMAND -> rgb(180 + 30 * a, 170 + 30 * b, 220 + 25 * c);
            case USER -> rgb(215 + 40 * a, 60 + 170 * b, 40 + 40 * c);
            case KERNEL -> rgb(80 + 60 * a, 150 + 60 * b, 215 + 40 * c);
        };
    }

    private static String rgb(double r, double g, double b) {
        return "rgb(" + (int) r + "," + (int) g + "," + (int) b + ")";
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    /** Text as XML character data: markup escaped, and what XML 1.0 forbids (U+FFFE, lone surrogates) as \\u escapes. */
    static String xml(String text) {
        StringBuilder xml = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(c -> {
            switch (c) {
                case '&' -> xml.append("&amp;");
                case '<' -> xml.append("&lt;");
                case '>' -> xml.append("&gt;");
                case '"' -> xml.append("&quot;");
                default -> {
                    boolean allowed = c == 0x9 || c == 0xa || c == 0xd || c >= 0x20 && c <= 0xd7ff
                            || c >= 0xe000 && c <= 0xfffd || c >= 0x10000 && c <= 0x10ffff;
                    if (allowed) {
                        xml.appendCodePoint(c);
                    } else {
                        xml.append(String.format("\\u%04x", c));
                    }
                }
            }
        });
        return xml.toString();
    }
}
