package dev.gadget.gadgets.model;

/**
 * The fields every profile gadget's report has, by name: what folded stacks and flame graphs are
 * drawn from, whatever the gadget samples.
 */
public final class ProfileFields {
    /** How many samples had this stack: UINT. */
    public static final String SAMPLES = "samples";
    /** User-space frames, innermost first: STRING_LIST. */
    public static final String USER_STACK = "userStack";
    /** Kernel frames, innermost first: STRING_LIST. */
    public static final String KERNEL_STACK = "kernelStack";

    private ProfileFields() {
    }
}
