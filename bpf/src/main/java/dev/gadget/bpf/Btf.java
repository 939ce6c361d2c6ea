package dev.gadget.bpf;

import com.sun.jna.Pointer;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the few things the binding needs from an object's BTF: globals in a data section, struct layouts. */
final class Btf {
    private static final int KIND_STRUCT = 4;
    private static final int KIND_VAR = 14;
    private static final int KIND_DATASEC = 15;
    /** struct btf_type: name_off, info, size/type; members or var_secinfos follow it. */
    private static final int TYPE_SIZE = 12;
    private static final int ENTRY_SIZE = 12;

    record Variable(int offset, int size) {
    }

    private Btf() {
    }

    /** Variables of a data section such as ".rodata", by name. Empty if the section has none. */
    static Map<String, Variable> variables(Pointer btf, String section) {
        Map<String, Variable> variables = new LinkedHashMap<>();
        int id = Libbpf.btf__find_by_name_kind(btf, section, KIND_DATASEC);
        if (id < 0) {
            return variables;
        }
        Pointer datasec = Libbpf.btf__type_by_id(btf, id);
        int count = vlen(datasec);
        for (int i = 0; i < count; i++) {
            long entry = TYPE_SIZE + (long) i * ENTRY_SIZE;
            Pointer var = Libbpf.btf__type_by_id(btf, datasec.getInt(entry));
            if (kind(var) == KIND_VAR) {
                String name = Libbpf.btf__name_by_offset(btf, var.getInt(0));
                variables.put(name, new Variable(datasec.getInt(entry + 4), datasec.getInt(entry + 8)));
            }
        }
        return variables;
    }

    static StructLayout struct(Pointer btf, String name) {
        int id = Libbpf.btf__find_by_name_kind(btf, name, KIND_STRUCT);
        if (id < 0) {
            throw new IllegalArgumentException("no struct " + name + " in the object's BTF");
        }
        Pointer type = Libbpf.btf__type_by_id(btf, id);
        boolean bitfields = type.getInt(4) < 0;
        Map<String, Integer> offsets = new LinkedHashMap<>();
        for (int i = 0; i < vlen(type); i++) {
            long member = TYPE_SIZE + (long) i * ENTRY_SIZE;
            int bitOffset = type.getInt(member + 8);
            if (bitfields) {
                bitOffset &= 0xffffff;
            }
            offsets.put(Libbpf.btf__name_by_offset(btf, type.getInt(member)), bitOffset / 8);
        }
        return new StructLayout(name, type.getInt(8), Map.copyOf(offsets));
    }

    private static int kind(Pointer type) {
        return (type.getInt(4) >>> 24) & 0x1f;
    }

    private static int vlen(Pointer type) {
        return type.getInt(4) & 0xffff;
    }
}
