package dev.gadget.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gadget.gadgets.catalog.Catalog;
import dev.gadget.gadgets.model.FieldSpec;
import dev.gadget.gadgets.model.GadgetDescription;
import dev.gadget.gadgets.model.GadgetKind;
import dev.gadget.gadgets.model.Text;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/** Folded stacks and flame graphs over profile cpu's real fields, with the frame names that break naive printers. */
class ProfilePrintersTest {
    private static final GadgetDescription PROFILE = Catalog.find("profile", "cpu").orElseThrow().description();
    private static final List<FieldSpec> FIELDS = PROFILE.fieldsFor(PROFILE.parseParams(Map.of()));
    /** Not UTF-8 (0xff), a control character, a character XML 1.0 forbids, markup, a surrogate pair. */
    private static final String AWKWARD = Text.decode(new byte[] {'x', (byte) 0xff}) + "\u0001\uFFFE<a&b>\"😀😀😀";

    private final StringWriter text = new StringWriter();

    @Test
    void foldedStacksGoOutermostFirstWithKernelFramesMarked() {
        print(new OutputFormat.Folded(),
                row("spin", 41, List.of("gt_spin", "main", "_start"), List.of()),
                row("reader", 7, List.of("__read", "main"), List.of("read_zero", "vfs_read", "do_syscall_64")),
                row("kworker/0:1", 2, List.of(), List.of("worker_thread", "kthread")));

        assertEquals("""
                spin;_start;main;gt_spin 41
                reader;main;__read;do_syscall_64_[k];vfs_read_[k];read_zero_[k] 7
                kworker/0:1;kthread_[k];worker_thread_[k] 2
                """, text.toString());
    }

    @Test
    void aFoldedStackStaysOneLineWhateverItsFramesHold() {
        print(new OutputFormat.Folded(), row("a;b", 3, List.of("line\nbreak", "f;g"), List.of()));

        assertEquals("a:b;f:g;line\\nbreak 3\n", text.toString());
    }

    @Test
    void theFlameGraphIsWellFormedXmlWithABoxPerFrameWhateverTheNames() throws Exception {
        String wideName = AWKWARD.repeat(40);
        print(new OutputFormat.Svg(),
                row("spin", 90, List.of(wideName, "main"), List.of()),
                row("reader", 10, List.of("__read", "main"), List.of("read_zero", "vfs_read")));

        Document svg = parse(text.toString());
        List<String> titles = texts(svg, "//*[local-name()='title']");
        assertEquals(9, titles.size(), "all, 2 commands, 4 user frames, 2 kernel frames: " + titles);
        assertTrue(titles.contains("all: 100 samples, 100.00%"), titles.toString());
        assertTrue(titles.contains("read_zero (kernel): 10 samples, 10.00%"), titles.toString());
        assertTrue(titles.contains("main (user): 90 samples, 90.00%"), titles.toString());
        String awkward = "x\\xff\\x01\\ufffe<a&b>\"😀😀😀";
        assertTrue(titles.contains(awkward.repeat(40) + " (user): 90 samples, 90.00%"), "escaped, not lost: " + titles);
        assertTrue(texts(svg, "//*[local-name()='text']").stream().anyMatch(t -> t.startsWith(awkward) && t.endsWith("..")),
                "a label too long for its box is cut, between characters");
    }

    @Test
    void anEmptyProfileIsAGraphSayingSo() throws Exception {
        print(new OutputFormat.Svg());

        Document svg = parse(text.toString());
        assertTrue(svg.getDocumentElement().getTextContent().contains("No samples"));
    }

    @SafeVarargs
    private void print(OutputFormat format, List<Object>... rows) {
        RunPrinter printer = RunPrinter.of(format, GadgetKind.PROFILE, FIELDS, new PrintWriter(text), false);
        printer.start();
        printer.table(Arrays.asList(rows));
    }

    private static List<Object> row(String comm, long samples, List<String> user, List<String> kernel) {
        List<Object> row = new ArrayList<>();
        for (FieldSpec field : FIELDS) {
            row.add(switch (field.name()) {
                case "comm" -> comm;
                case "pid" -> 1L;
                case "samples" -> samples;
                case "userStack" -> user;
                case "kernelStack" -> kernel;
                default -> "";
            });
        }
        return row;
    }

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> texts(Document document, String xpath) throws Exception {
        NodeList nodes = (NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, document, XPathConstants.NODESET);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent());
        }
        return texts;
    }
}
