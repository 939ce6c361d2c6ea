package dev.gadget.gadgets.profile.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gadget.bpf.BpfObject;
import dev.gadget.bpf.StructLayout;
import org.junit.jupiter.api.Test;

/** SampleKey's offsets are those clang gave struct sample_key (read from the object's BTF). */
class SampleKeyLayoutTest {

    @Test
    void decoderMatchesTheCompiledStruct() {
        try (BpfObject object = BpfObject.open(ProfileCpu.class, "profile_cpu.bpf.o")) {
            StructLayout key = object.structLayout("sample_key");
            assertEquals(SampleKey.CGROUP_ID, key.offset("cgroup_id"));
            assertEquals(SampleKey.MM, key.offset("mm"));
            assertEquals(SampleKey.USER_STACK, key.offset("user_stack"));
            assertEquals(SampleKey.KERNEL_STACK, key.offset("kernel_stack"));
            assertEquals(SampleKey.PID, key.offset("pid"));
            assertEquals(SampleKey.USER_ERROR, key.offset("user_error"));
            assertEquals(SampleKey.KERNEL_ERROR, key.offset("kernel_error"));
            assertEquals(SampleKey.COMM, key.offset("comm"));
            assertEquals(SampleKey.SIZE, key.size());

            assertEquals(CpuSampling.MAX_DEPTH * Long.BYTES, object.structLayout("stack").size());

            StructLayout space = object.structLayout("process_space");
            assertEquals(CpuSampling.SPACE_MM, space.offset("mm"));
            assertEquals(CpuSampling.SPACE_PID, space.offset("pid"));
            assertEquals(CpuSampling.SPACE_SIZE, space.size());
        }
    }
}
