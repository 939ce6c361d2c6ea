package dev.gadget.gadgets.profile.cpu;

import dev.gadget.bpf.BpfObject;
import dev.gadget.gadgets.bpfcommon.SharedHeader;
import dev.gadget.gadgets.containers.HostRoot;
import dev.gadget.gadgets.model.CommonFields;
import dev.gadget.gadgets.model.FieldSpec;
import dev.gadget.gadgets.model.FieldType;
import dev.gadget.gadgets.model.GadgetDescription;
import dev.gadget.gadgets.model.GadgetKind;
import dev.gadget.gadgets.model.ParamException;
import dev.gadget.gadgets.model.ParamSpec;
import dev.gadget.gadgets.model.ParamValues;
import dev.gadget.gadgets.model.ProfileFields;
import dev.gadget.gadgets.runner.ProfileGadget;
import java.util.ArrayList;
import java.util.List;

/**
 * profile cpu: what runs on every CPU, sampled by the software cpu-clock (it works in VMs, which often
 * have no hardware counters), with user and kernel stacks named after their functions.
 */
public final class ProfileCpu implements ProfileGadget {
    static final String FREQUENCY = "frequency";
    static final String USER_STACKS_ONLY = "user-stacks-only";
    static final String KERNEL_STACKS_ONLY = "kernel-stacks-only";
    static final String MAX_STACKS = "max-stacks";
    /** Announcements of new address spaces (16 bytes each): thousands fit between two reads. */
    private static final int RING_SIZE = 64 << 10;
    private static final int ADDRESS_SPACES = 8192;

    static final GadgetDescription DESCRIPTION = new GadgetDescription("profile", "cpu", GadgetKind.PROFILE,
            "Sample what runs on every CPU, with its user and kernel stacks",
            List.of(
                    ParamSpec.integer(FREQUENCY, 49, 1, 100_000, "Samples per second on each CPU").withShortName("F"),
                    ParamSpec.bool(USER_STACKS_ONLY, "Only user-space stacks, no kernel frames").withShortName("U"),
                    ParamSpec.bool(KERNEL_STACKS_ONLY, "Only kernel stacks, no user-space frames").withShortName("K"),
                    ParamSpec.integer(MAX_STACKS, 16384, 1024, 1 << 20, "Room in the kernel for this many distinct"
                            + " stacks (about 1 KiB each) and twice as many counts; raise it when samples or stacks"
                            + " are reported lost")),
            fields());

    private static List<FieldSpec> fields() {
        List<FieldSpec> fields = new ArrayList<>(CommonFields.container());
        fields.addAll(List.of(
                FieldSpec.of("comm", FieldType.STRING, "Name of the sampled thread (first 15 bytes)").shown(),
                FieldSpec.of("pid", FieldType.INT, "Process id").shown(),
                FieldSpec.of(ProfileFields.SAMPLES, FieldType.UINT, "Samples with this process and these stacks").shown(),
                FieldSpec.of(ProfileFields.USER_STACK, FieldType.STRING_LIST, "User-space frames, innermost first; walked"
                        + " through frame pointers, so code built without them shows its innermost frame only, or"
                        + " wrong callers").shown().width(40),
                FieldSpec.of(ProfileFields.KERNEL_STACK, FieldType.STRING_LIST, "Kernel frames, innermost first").shown()));
        return fields;
    }

    @Override
    public GadgetDescription description() {
        return DESCRIPTION;
    }

    @Override
    public BpfObject open(ParamValues values) {
        if (values.flag(USER_STACKS_ONLY) && values.flag(KERNEL_STACKS_ONLY)) {
            throw new ParamException("--" + USER_STACKS_ONLY + " and --" + KERNEL_STACKS_ONLY
                    + " exclude each other: give at most one");
        }
        BpfObject object = BpfObject.open(ProfileCpu.class, "profile_cpu.bpf.o");
        try {
            object.setConstant("user_stacks", !values.flag(KERNEL_STACKS_ONLY));
            object.setConstant("kernel_stacks", !values.flag(USER_STACKS_ONLY));
            int maxStacks = (int) values.number(MAX_STACKS);
            object.setMaxEntries(CpuSampling.STACKS, maxStacks);
            // A count per process, thread name and pair of stacks: more of them than of stacks.
            object.setMaxEntries(CpuSampling.SAMPLES, 2 * maxStacks);
            object.setMaxEntries(CpuSampling.ADDRESS_SPACES, ADDRESS_SPACES);
            object.setMaxEntries(SharedHeader.EVENTS, RING_SIZE);
            return object;
        } catch (RuntimeException e) {
            object.close();
            throw e;
        }
    }

    @Override
    public Sampling startSampling(BpfObject object, ParamValues values, HostRoot host) {
        return CpuSampling.start(object, values, host);
    }
}
