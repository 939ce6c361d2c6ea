package dev.gadget.gadgets;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/** Strings in records the kernel wrote: bytes decoded as UTF-8, invalid sequences as U+FFFD. */
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
        byte[] bytes = new byte[length];
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, offset, bytes, 0, length);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
