package dev.gadget.cli.output;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.gadget.gadgets.model.Text;
import java.util.Locale;

/**
 * JSON's usual escapes, plus the stand-ins of bytes that were not UTF-8 (U+DC80..U+DCFF, see
 * {@link Text}) as JSON escapes of those code points ("backslash u dcff" for the byte 0xff): valid
 * JSON that keeps the exact bytes, where writing the lone surrogate itself would turn it into a
 * replacement character.
 */
final class ByteEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private final int[] ascii = standardAsciiEscapesForJSON();

    @Override
    public int[] getEscapeCodesForAscii() {
        return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int c) {
        return Text.isEscapedByte(c) ? new SerializedString(String.format(Locale.ROOT, "\\u%04x", c)) : null;
    }
}
