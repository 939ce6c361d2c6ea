package dev.gadget.gadgets.trace.open;

import java.util.List;
import java.util.StringJoiner;

/** The flags of open(2) by name, as x86-64 Linux numbers them; bits without a name stay as a hex number. */
final class OpenFlags {
    private static final long ACCESS_MODE = 03;
    private static final long O_CREAT = 0100;
    private static final long O_DSYNC = 010000;
    private static final long O_DIRECTORY = 0200000;
    /** O_SYNC is this bit together with O_DSYNC. */
    private static final long SYNC_BIT = 04000000;
    /** O_TMPFILE is this bit together with O_DIRECTORY. */
    private static final long TMPFILE_BIT = 020000000;

    private record Flag(String name, long bits) {
    }

    /** In the order the names are printed; a name shows when all its bits are set, and takes them. */
    private static final List<Flag> FLAGS = List.of(
            new Flag("O_CREAT", O_CREAT),
            new Flag("O_EXCL", 0200),
            new Flag("O_NOCTTY", 0400),
            new Flag("O_TRUNC", 01000),
            new Flag("O_APPEND", 02000),
            new Flag("O_NONBLOCK", 04000),
            new Flag("O_SYNC", SYNC_BIT | O_DSYNC),
            new Flag("O_DSYNC", O_DSYNC),
            new Flag("O_ASYNC", 020000),
            new Flag("O_DIRECT", 040000),
            new Flag("O_LARGEFILE", 0100000),
            new Flag("O_TMPFILE", TMPFILE_BIT | O_DIRECTORY),
            new Flag("O_DIRECTORY", O_DIRECTORY),
            new Flag("O_NOFOLLOW", 0400000),
            new Flag("O_NOATIME", 01000000),
            new Flag("O_CLOEXEC", 02000000),
            new Flag("O_PATH", 010000000));

    private OpenFlags() {
    }

    /** "O_WRONLY|O_CREAT|O_TRUNC": the access mode first, then the other flags; unknown bits as 0x... */
    static String names(long flags) {
        StringJoiner names = new StringJoiner("|");
        names.add(switch ((int) (flags & ACCESS_MODE)) {
            case 0 -> "O_RDONLY";
            case 1 -> "O_WRONLY";
            case 2 -> "O_RDWR";
            default -> "O_ACCMODE";
        });
        long rest = flags & ~ACCESS_MODE;
        for (Flag flag : FLAGS) {
            if ((rest & flag.bits()) == flag.bits()) {
                names.add(flag.name());
                rest &= ~flag.bits();
            }
        }
        if (rest != 0) {
            names.add("0x" + Long.toHexString(rest));
        }
        return names.toString();
    }

    /** Whether the kernel uses the mode argument: only when the open may create a file. */
    static boolean takesMode(long flags) {
        return (flags & (O_CREAT | TMPFILE_BIT)) != 0;
    }

    /** "0644", "04755". */
    static String octal(long mode) {
        return String.format("0%03o", mode);
    }
}
