package dev.gadget.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gadget.bpf.RequiresBpf;
import dev.gadget.gadgets.testing.Programs;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** profile cpu through the ./gadget launcher: folded stacks and a flame graph a browser draws. */
@ExtendWith(RequiresBpf.class)
class ProfileCommandIT {
    /** Where the flame graph and its screenshot stay after the build, for a person to look at. */
    private static final Path KEPT = Path.of("target", "profile-cpu");

    @TempDir
    Path dir;

    @Test
    void twoSecondsOfFoldedStacksNameTheBusyFunctionUnderItsCommand() throws Exception {
        String spin = unique();
        List<String> lines = whileSpinning(spin, List.of("profile", "cpu", "-t", "2", "-o", "folded"));

        for (String line : lines) {
            assertTrue(line.matches("[^;]+(;[^;]+)* \\d+"), "a folded stack: " + line);
        }
        assertTrue(lines.stream().anyMatch(l -> l.startsWith(spin + ";") && l.matches(".*;main;" + spin + " \\d+")),
                "no stack ending in main;" + spin + ": " + lines);
        assertTrue(lines.stream().anyMatch(l -> l.contains("_[k]")), "kernel frames are marked: " + lines);
    }

    @Test
    void theFlameGraphIsWellFormedSvgNamingTheBusyFunctionAndChromiumDrawsIt() throws Exception {
        String spin = unique();
        String svg = String.join("\n", whileSpinning(spin, List.of("profile", "cpu", "-t", "2", "-F", "199", "-o", "svg")));
        Files.createDirectories(KEPT);
        Path file = Files.writeString(KEPT.resolve("flamegraph.svg"), svg);

        Document document = parse(svg);
        assertEquals("svg", document.getDocumentElement().getTagName());
        assertTrue(document.getDocumentElement().getTextContent().contains(spin), "the busy function is in the graph");

        BufferedImage screenshot = ImageIO.read(screenshot(file, KEPT.resolve("flamegraph.png")).toFile());
        Set<Integer> colors = new HashSet<>();
        for (int y = 0; y < screenshot.getHeight(); y++) {
            for (int x = 0; x < screenshot.getWidth(); x++) {
                colors.add(screenshot.getRGB(x, y));
            }
        }
        assertTrue(colors.size() > 50, "a drawn flame graph has many colors, this screenshot " + colors.size());
    }

    @Test
    void userAndKernelStacksOnlyTogetherAreAUsageErrorOfOneLine() throws Exception {
        GadgetProcess gadget = GadgetProcess.start(List.of("profile", "cpu", "-U", "-K"));

        assertEquals(2, gadget.waitForExit());
        assertEquals("Error: --user-stacks-only and --kernel-stacks-only exclude each other: give at most one"
                + " (see 'gadget profile cpu --help')\n", gadget.stderr());
    }

    /** Runs the gadget while a C program spins in {@code function}; its standard output, after it exits 0 saying nothing else. */
    private List<String> whileSpinning(String function, List<String> args) throws Exception {
        Path program = Programs.compileC(dir, function, """
                volatile unsigned long sink;
                void %1$s(void) { for (;;) sink++; }
                int main(void) { %1$s(); return 0; }
                """.formatted(function), "-O0", "-fno-omit-frame-pointer");
        Process spinning = new ProcessBuilder(program.toString()).start();
        try {
            GadgetProcess gadget = GadgetProcess.start(args);
            assertEquals(0, gadget.waitForExit(), gadget.stderr());
            assertEquals("", gadget.stderr());
            return gadget.stdoutLines();
        } finally {
            spinning.destroyForcibly().waitFor();
        }
    }

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    /** Headless Chromium (Debian's chromium: scripts/test installs it) draws the page into a PNG. */
    private Path screenshot(Path page, Path png) throws IOException, InterruptedException {
        if (Stream.of(System.getenv("PATH").split(":")).noneMatch(p -> Files.isExecutable(Path.of(p, "chromium")))) {
            throw new AssertionError("chromium is missing: scripts/test installs it (apt-get install chromium)");
        }
        Files.deleteIfExists(png);
        Process chromium = new ProcessBuilder("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + dir.resolve("chromium"), "--window-size=1230,900",
                "--screenshot=" + png.toAbsolutePath(), page.toAbsolutePath().toUri().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
        if (!chromium.waitFor(120, TimeUnit.SECONDS)) {
            chromium.destroyForcibly().waitFor();
            throw new AssertionError("chromium did not finish: " + Files.readString(dir.resolve("chromium.log")));
        }
        assertEquals(0, chromium.exitValue(), Files.readString(dir.resolve("chromium.log")));
        assertTrue(Files.size(png) > 0, "no screenshot");
        return png;
    }

    /** A program and function name of 15 bytes at most, all of which the kernel keeps as its command name. */
    private static String unique() {
        return "gt_spin_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 7);
    }
}
