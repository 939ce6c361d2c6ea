package dev.gadget.gadgets.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TextTest {

    @Test
    void utf8DecodesAsUsual() {
        String text = "plain ünïcödé ✓ 日本 \uD83D\uDE00";
        assertEquals(text, Text.decode(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void bytesThatAreNotUtf8BecomeTheirStandIns() {
        byte[] bytes = {'a', (byte) 0xff, (byte) 0xc3, 'b', (byte) 0xe2, (byte) 0x82};
        String text = Text.decode(bytes);

        assertEquals("a\uDCFF\uDCC3b\uDCE2\uDC82", text);
        assertTrue(Text.isEscapedByte(text.charAt(1)));
        assertArrayEquals(bytes, Text.encode(text));
    }

    @Test
    void overlongFormsAndEncodedSurrogatesAreNotText() {
        byte[] overlongSlash = {(byte) 0xc0, (byte) 0xaf};
        byte[] surrogate = {(byte) 0xed, (byte) 0xa0, (byte) 0x80};
        assertEquals("\uDCC0\uDCAF", Text.decode(overlongSlash));
        assertEquals("\uDCED\uDCA0\uDC80", Text.decode(surrogate));
    }

    @Test
    void aSurrogatePairWhoseLowHalfLooksLikeAStandInIsText() {
        String pair = new String(Character.toChars(0x43CAC)); // low surrogate U+DCAC
        assertEquals(pair, Text.decode(pair.getBytes(StandardCharsets.UTF_8)));
        assertTrue(!Text.hasEscapedBytes(pair));
        assertArrayEquals(pair.getBytes(StandardCharsets.UTF_8), Text.encode(pair));
    }

    @Test
    void everyByteStringComesBackExactly() {
        Random random = new Random(42);
        for (int round = 0; round < 10_000; round++) {
            byte[] bytes = new byte[random.nextInt(12)];
            random.nextBytes(bytes);
            assertArrayEquals(bytes, Text.encode(Text.decode(bytes)), () -> java.util.HexFormat.of().formatHex(bytes));
        }
    }
}
