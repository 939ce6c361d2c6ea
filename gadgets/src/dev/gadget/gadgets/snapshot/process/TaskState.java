package dev.gadget.gadgets.snapshot.process;

/**
 * A task's state as one letter, the way the kernel reports it in /proc/PID/stat: from the bits of
 * task->__state and task->exit_state as include/linux/sched.h numbers them.
 */
final class TaskState {
    private static final String LETTERS = "RSDTtXZPI";
    /** Running, interruptible, uninterruptible, stopped, traced, dead, zombie, parked. */
    private static final int REPORTED = 0x7f;
    private static final int UNINTERRUPTIBLE = 0x2;
    /** Uninterruptible without counting to the load average: reported as I. */
    private static final int IDLE = UNINTERRUPTIBLE | 0x400;
    private static final int IDLE_INDEX = 8;
    /** Waiting on a lock of PREEMPT_RT, or frozen: reported as uninterruptible. */
    private static final int RTLOCK_WAIT = 0x1000;
    private static final int FROZEN = 0x8000;

    private TaskState() {
    }

    static String letter(int state, int exitState) {
        int index = fls((state | exitState) & REPORTED);
        if ((state & IDLE) == IDLE) {
            index = IDLE_INDEX;
        }
        if ((state & (RTLOCK_WAIT | FROZEN)) != 0) {
            index = fls(UNINTERRUPTIBLE);
        }
        return String.valueOf(LETTERS.charAt(index));
    }

    /** The position of the highest bit set, counted from 1; 0 for none (the kernel's fls). */
    private static int fls(int bits) {
        return Integer.SIZE - Integer.numberOfLeadingZeros(bits);
    }
}
