package dev.gadget.bpf;

import java.util.Map;

/** Size and member byte offsets of a C struct, read from an object's BTF. */
public record StructLayout(String name, int size, Map<String, Integer> offsets) {

    public int offset(String member) {
        Integer offset = offsets.get(member);
        if (offset == null) {
            throw new IllegalArgumentException("struct " + name + " has no member '" + member + "'");
        }
        return offset;
    }
}
