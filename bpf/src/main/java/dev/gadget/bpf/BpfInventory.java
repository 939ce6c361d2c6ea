package dev.gadget.bpf;

import com.sun.jna.Memory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What BPF programs, links and maps the kernel holds right now, system wide (bpftool prog/link/map
 * list), and whether one of a given id is still there: what tests ask to prove nothing leaked.
 */
public final class BpfInventory {
    /** struct bpf_prog_info: id at 4, name[16] at 64. */
    private static final int PROG_INFO_SIZE = 80;
    private static final int PROG_NAME_OFFSET = 64;
    /** struct bpf_link_info: type at 0, id at 4, prog_id at 8. */
    private static final int LINK_INFO_SIZE = 16;
    /** struct bpf_map_info: id at 4, name[16] at 24. */
    private static final int MAP_INFO_SIZE = 40;
    private static final int MAP_NAME_OFFSET = 24;

    public record Program(int id, String name) {
    }

    public record Link(int id, int programId) {
    }

    public record Map(int id, String name) {
    }

    private BpfInventory() {
    }

    public static List<Program> programs() {
        Libbpf.register();
        List<Program> programs = new ArrayList<>();
        int[] next = new int[1];
        try (Memory info = new Memory(PROG_INFO_SIZE)) {
            for (int id = 0; Libbpf.bpf_prog_get_next_id(id, next) == 0; id = next[0]) {
                int fd = Libbpf.bpf_prog_get_fd_by_id(next[0]);
                if (fd < 0) {
                    continue; // gone meanwhile
                }
                try {
                    if (info(fd, info, PROG_INFO_SIZE)) {
                        programs.add(new Program(next[0], name(info, PROG_NAME_OFFSET)));
                    }
                } finally {
                    LibC.close(fd);
                }
            }
        }
        return programs;
    }

    public static List<Map> maps() {
        Libbpf.register();
        List<Map> maps = new ArrayList<>();
        int[] next = new int[1];
        try (Memory info = new Memory(MAP_INFO_SIZE)) {
            for (int id = 0; Libbpf.bpf_map_get_next_id(id, next) == 0; id = next[0]) {
                int fd = Libbpf.bpf_map_get_fd_by_id(next[0]);
                if (fd < 0) {
                    continue;
                }
                try {
                    if (info(fd, info, MAP_INFO_SIZE)) {
                        maps.add(new Map(next[0], name(info, MAP_NAME_OFFSET)));
                    }
                } finally {
                    LibC.close(fd);
                }
            }
        }
        return maps;
    }

    /** Whether the kernel still has the program of this id (ids are not reused soon: they count up). */
    public static boolean programExists(int id) {
        Libbpf.register();
        return exists(Libbpf.bpf_prog_get_fd_by_id(id));
    }

    public static boolean linkExists(int id) {
        Libbpf.register();
        return exists(Libbpf.bpf_link_get_fd_by_id(id));
    }

    public static boolean mapExists(int id) {
        Libbpf.register();
        return exists(Libbpf.bpf_map_get_fd_by_id(id));
    }

    private static boolean exists(int fd) {
        if (fd < 0) {
            return false;
        }
        LibC.close(fd);
        return true;
    }

    private static String name(Memory info, int offset) {
        byte[] name = info.getByteArray(offset, 16);
        int length = 0;
        while (length < name.length && name[length] != 0) {
            length++;
        }
        return new String(name, 0, length, StandardCharsets.US_ASCII);
    }

    public static List<Link> links() {
        Libbpf.register();
        List<Link> links = new ArrayList<>();
        int[] next = new int[1];
        try (Memory info = new Memory(LINK_INFO_SIZE)) {
            for (int id = 0; Libbpf.bpf_link_get_next_id(id, next) == 0; id = next[0]) {
                int fd = Libbpf.bpf_link_get_fd_by_id(next[0]);
                if (fd < 0) {
                    continue;
                }
                try {
                    if (info(fd, info, LINK_INFO_SIZE)) {
                        links.add(new Link(next[0], info.getInt(8)));
                    }
                } finally {
                    LibC.close(fd);
                }
            }
        }
        return links;
    }

    private static boolean info(int fd, Memory info, int size) {
        info.clear();
        int[] length = {size};
        return Libbpf.bpf_obj_get_info_by_fd(fd, info, length) == 0;
    }
}
