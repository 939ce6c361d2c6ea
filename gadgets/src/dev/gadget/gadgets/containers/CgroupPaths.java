package dev.gadget.gadgets.containers;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads container ids out of cgroup v2 paths, for both cgroup drivers:
 * <ul>
 * <li>systemd: {@code /kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod<uid_>.slice/cri-containerd-<id>.scope},
 * likewise {@code crio-<id>.scope}, {@code docker-<id>.scope}, {@code libpod-<id>.scope};</li>
 * <li>cgroupfs: {@code /kubepods/besteffort/pod<uid>/<id>}, {@code /docker/<id>}, {@code /libpod_parent/libpod-<id>};</li>
 * <li>runc's systemd-style names under cgroupfs: {@code kubepods-pod<uid_>.slice:cri-containerd:<id>}.</li>
 * </ul>
 * The deepest component naming a container wins, so a cgroup nested inside a container (or a
 * container inside a container) belongs to the innermost one. Conmon's scopes are not containers.
 */
public final class CgroupPaths {
    private static final String ID = "([0-9a-f]{64})";
    private static final Pattern SCOPE = Pattern.compile("(cri-containerd|crio|docker|libpod)-" + ID + "(?:\\.scope)?");
    private static final Pattern RUNC_SYSTEMD_STYLE = Pattern.compile(".*:(cri-containerd|crio|docker|libpod):" + ID);
    private static final Pattern BARE = Pattern.compile(ID);
    /** pod<uid> (cgroupfs) or kubepods[-qos]-pod<uid with _ for ->.slice (systemd); static pods' UIDs are hashes. */
    private static final Pattern POD = Pattern.compile("(?:kubepods(?:-[a-z]+)?-)?pod([0-9a-f][0-9a-f_-]{15,})(?:\\.slice)?");

    private CgroupPaths() {
    }

    /** The container a cgroup (path relative to the cgroup v2 root) belongs to, if any. */
    public static Optional<ContainerCgroup> container(String path) {
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            Optional<ContainerCgroup> found = containerIn(parts[i], parts, i);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static Optional<ContainerCgroup> containerIn(String part, String[] parts, int index) {
        Matcher m = SCOPE.matcher(part);
        if (!m.matches()) {
            m = RUNC_SYSTEMD_STYLE.matcher(part);
        }
        if (m.matches()) {
            return Optional.of(new ContainerCgroup(Optional.of(runtime(m.group(1))), m.group(2), podUid(parts, index)));
        }
        if (BARE.matcher(part).matches()) {
            return Optional.of(new ContainerCgroup(Optional.empty(), part, podUid(parts, index)));
        }
        return Optional.empty();
    }

    /** The pod UID from the container's component up; a runc systemd-style name starts with its pod slice. */
    private static String podUid(String[] parts, int containerIndex) {
        for (int i = containerIndex; i >= 0; i--) {
            int colon = parts[i].indexOf(':');
            Matcher m = POD.matcher(colon >= 0 ? parts[i].substring(0, colon) : parts[i]);
            if (m.matches()) {
                return m.group(1).replace('_', '-');
            }
        }
        return "";
    }

    private static ContainerRuntime runtime(String prefix) {
        return switch (prefix) {
            case "cri-containerd" -> ContainerRuntime.CONTAINERD;
            case "crio" -> ContainerRuntime.CRIO;
            case "docker" -> ContainerRuntime.DOCKER;
            case "libpod" -> ContainerRuntime.PODMAN;
            default -> throw new IllegalArgumentException(prefix);
        };
    }
}
