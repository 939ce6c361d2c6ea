package dev.gadget.gadgets.snapshot.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** State letters from the bits include/linux/sched.h defines, numbers written out here. */
class TaskStateTest {

    @Test
    void eachReportedStateHasItsLetter() {
        assertEquals("R", TaskState.letter(0, 0));
        assertEquals("S", TaskState.letter(0x1, 0));
        assertEquals("D", TaskState.letter(0x2, 0));
        assertEquals("T", TaskState.letter(0x4, 0));
        assertEquals("t", TaskState.letter(0x8, 0));
        assertEquals("X", TaskState.letter(0, 0x10));
        assertEquals("Z", TaskState.letter(0, 0x20));
        assertEquals("P", TaskState.letter(0x40, 0));
    }

    @Test
    void idleFrozenAndLockWaitsAreReportedAsTheKernelDoes() {
        assertEquals("I", TaskState.letter(0x402, 0), "TASK_IDLE");
        assertEquals("D", TaskState.letter(0x8000 | 0x1, 0), "frozen");
        assertEquals("D", TaskState.letter(0x1000, 0), "rtlock wait");
        assertEquals("S", TaskState.letter(0x1 | 0x100, 0), "TASK_WAKEKILL and other bits are not reported");
    }
}
