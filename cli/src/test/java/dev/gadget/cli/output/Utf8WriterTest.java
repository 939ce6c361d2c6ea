package dev.gadget.cli.output;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8WriterTest {

    /** Java's own encoder is the reference: same bytes, '?' for unpaired surrogates included. */
    private static byte[] expected(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void encodesEveryKindOfCharacterLikeJava() throws IOException {
        String text = "ascii é ü € 日本 \uD83D\uDE00 lone-high \uD800x lone-low \uDC80 end";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Utf8Writer writer = new Utf8Writer(out, 8)) {
            writer.write(text);
        }
        assertArrayEquals(expected(text), out.toByteArray());
    }

    @Test
    void aSurrogatePairSplitAcrossWritesAndBufferRefillsStaysOneCharacter() throws IOException {
        Random random = new Random(7);
        char[] alphabet = {'a', '"', 'é', '€', '\uD83D', '\uDE00', '\uDBFF', '\uDFFF', '\uDC80', '\n'};
        for (int round = 0; round < 200; round++) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < 1 + random.nextInt(60); i++) {
                text.append(alphabet[random.nextInt(alphabet.length)]);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Utf8Writer writer = new Utf8Writer(out, 8 + random.nextInt(16));
            int at = 0;
            while (at < text.length()) {
                int piece = Math.min(text.length() - at, 1 + random.nextInt(5));
                switch (random.nextInt(3)) {
                    case 0 -> writer.write(text.toString(), at, piece);
                    case 1 -> writer.write(text.toString().toCharArray(), at, piece);
                    default -> {
                        piece = 1;
                        writer.write(text.charAt(at));
                    }
                }
                at += piece;
                if (random.nextInt(4) == 0) {
                    writer.flush();
                }
            }
            writer.close();
            assertArrayEquals(expected(text.toString()), out.toByteArray(), () -> "text " + text.chars()
                    .mapToObj(c -> String.format("%04x", c)).toList());
        }
    }
}
