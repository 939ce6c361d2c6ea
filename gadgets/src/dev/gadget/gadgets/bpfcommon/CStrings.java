package dev.gadget.gadgets.bpfcommon;

import dev.gadget.gadgets.model.Text;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/** Strings in records the kernel wrote, decoded losslessly (see {@link Text}). */
public final class CStrings {
    private CStrings() {
    }

    /** A string that ends at its NUL, in a field of {@code maxLength} bytes (comm, for instance). */
    public static String terminated(MemorySegment data, long offset, int maxLength) {
        int length = 0;
        while (length < maxLength && data.get(ValueLayout.JAVA_BYTE, offset + length) != 0) {
            length++;
        }
        return of(data, offset, length);
    }

    /** A string of {@code length} bytes. */
    public static String of(MemorySegment data, long offset, int length) {
        return Text.decode(bytes(data, offset, length));
    }

    /** NUL-terminated strings one after the other (argv); a last one without its NUL was cut and is kept as is. */
    public static List<String> list(MemorySegment data, long offset, int size) {
        byte[] bytes = bytes(data, offset, size);
        List<String> strings = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < size; i++) {
            if (bytes[i] == 0) {
                strings.add(Text.decode(bytes, start, i - start));
                start = i + 1;
            }
        }
        if (start < size) {
            strings.add(Text.decode(bytes, start, size - start));
        }
        return strings;
    }

    private static byte[] bytes(MemorySegment data, long offset, int length) {
        byte[] bytes = new byte[length];
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, offset, bytes, 0, length);
        return bytes;
    }
}
