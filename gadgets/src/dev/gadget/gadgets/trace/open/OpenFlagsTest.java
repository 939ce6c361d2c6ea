package dev.gadget.gadgets.trace.open;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Flag names and mode as x86-64 Linux defines them (asm-generic/fcntl.h), numbers written out here. */
class OpenFlagsTest {

    @Test
    void accessModeComesFirstThenTheFlagsInOrder() {
        assertEquals("O_RDONLY", OpenFlags.names(0));
        assertEquals("O_WRONLY|O_CREAT|O_TRUNC", OpenFlags.names(01 | 0100 | 01000));
        assertEquals("O_RDWR|O_APPEND|O_NONBLOCK|O_CLOEXEC", OpenFlags.names(02 | 02000 | 04000 | 02000000));
        assertEquals("O_RDONLY|O_DIRECTORY|O_NOFOLLOW|O_PATH", OpenFlags.names(0200000 | 0400000 | 010000000));
        assertEquals("O_ACCMODE", OpenFlags.names(03));
    }

    @Test
    void compositeFlagsTakeTheirBitsOnlyWhenAllAreSet() {
        assertEquals("O_WRONLY|O_SYNC", OpenFlags.names(01 | 04010000));
        assertEquals("O_WRONLY|O_DSYNC", OpenFlags.names(01 | 010000));
        assertEquals("O_RDWR|O_TMPFILE", OpenFlags.names(02 | 020200000));
        assertEquals("O_RDONLY|0x100000", OpenFlags.names(04000000), "__O_SYNC alone has no name");
    }

    @Test
    void unknownBitsStayAsOneHexNumber() {
        assertEquals("O_RDONLY|O_CLOEXEC|0x100000000", OpenFlags.names(02000000 | 0x1_0000_0000L));
    }

    @Test
    void modeCountsWithCreatOrTmpfileOnly() {
        assertTrue(OpenFlags.takesMode(0100));
        assertTrue(OpenFlags.takesMode(020200000));
        assertFalse(OpenFlags.takesMode(01 | 01000 | 02000000));
        assertEquals("0644", OpenFlags.octal(0644));
        assertEquals("04755", OpenFlags.octal(04755));
        assertEquals("0000", OpenFlags.octal(0));
    }
}
