package dev.gadget.gadgets.symbols;

/**
 * How a frame with no function name reads: "[unknown:" and what is known, an address or the file and
 * the address in it (as addr2line takes it). Kept free of spaces, like function names.
 */
public final class Frames {
    private Frames() {
    }

    /** An address in no known file: anonymous memory (JIT code), or a process whose maps were never read. */
    public static String unknown(long address) {
        return "[unknown:0x" + Long.toHexString(address) + "]";
    }

    /** An address in a file that names no function there. */
    public static String unknown(String file, long addressInFile) {
        return "[unknown:" + file.substring(file.lastIndexOf('/') + 1).replace(' ', '_') + "+0x"
                + Long.toHexString(addressInFile) + "]";
    }
}
