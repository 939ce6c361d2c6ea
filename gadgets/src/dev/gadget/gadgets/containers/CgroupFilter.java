package dev.gadget.gadgets.containers;

import dev.gadget.bpf.BpfMap;
import dev.gadget.bpf.BpfObject;
import dev.gadget.gadgets.model.ContainerSelection;
import dev.gadget.gadgets.model.RunMessage;
import dev.gadget.gadgets.bpfcommon.SharedHeader;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Applies a {@link ContainerSelection} inside the kernel, through gadget.h's filter mode and cgroup
 * map: named containers (or containers by id) are allowed, or for host-only every container is
 * denied. The map follows the containers as they start and stop, so events of other cgroups never
 * reach the ring. The mode is a constant of the loaded program; the selection within it can change
 * while the gadget runs ({@link #select}).
 */
public final class CgroupFilter implements ContainerRegistry.Listener, AutoCloseable {
    private static final int OFF = 0;
    private static final int ALLOW = 1;
    private static final int DENY = 2;

    private final ContainerRegistry registry;
    private final BpfMap cgroups;
    private final ByteBuffer key;
    private final ByteBuffer present;
    private final Consumer<RunMessage.Notice> notices;
    /** Every container cgroup the registry told of and not yet removed, selected or not. */
    private final Map<Long, Container> containers = new HashMap<>();
    /** The cgroups in the kernel's map. */
    private final Set<Long> listed = new HashSet<>();
    private final Set<String> seen = new HashSet<>();
    private ContainerSelection selection;
    private boolean closed;

    private CgroupFilter(BpfObject object, ContainerSelection selection, ContainerRegistry registry,
            Consumer<RunMessage.Notice> notices) {
        this.selection = selection;
        this.registry = registry;
        this.notices = notices;
        this.cgroups = object.map(SharedHeader.CGROUPS);
        this.key = cgroups.newKeyBuffer();
        this.present = cgroups.newValueBuffer();
    }

    /** Sets the filter mode of a gadget's object; before load, while its constants can still change. */
    public static void configure(BpfObject object, ContainerSelection selection) {
        object.setConstant(SharedHeader.FILTER_MODE, mode(selection));
    }

    /** Whether a run loaded for {@code current} can switch to {@code next}: only within the same filter mode. */
    public static boolean canSwitch(ContainerSelection current, ContainerSelection next) {
        return mode(current) == mode(next);
    }

    /**
     * Fills the loaded object's cgroup map from the registry and keeps it current until closed. Tells
     * {@code notices} which named containers do not exist yet and are waited for, and when they come.
     */
    public static CgroupFilter start(BpfObject object, ContainerSelection selection, ContainerRegistry registry,
            Consumer<RunMessage.Notice> notices) {
        if (!(selection instanceof ContainerSelection.Everything) && !registry.available()) {
            throw new IllegalStateException("filtering by container needs cgroup v2, which this host does not "
                    + "mount at /sys/fs/cgroup or /sys/fs/cgroup/unified");
        }
        CgroupFilter filter = new CgroupFilter(object, selection, registry, notices);
        if (!(selection instanceof ContainerSelection.Everything)) {
            registry.addListener(filter);
        }
        filter.noticeMissing();
        return filter;
    }

    /**
     * Changes which containers are traced, from now on: cgroups the new selection picks are added to the
     * kernel's map, those it no longer picks removed. Only within the filter mode the gadget loaded
     * with ({@link #canSwitch}): between named and ids selections, or to the same one.
     */
    public synchronized void select(ContainerSelection next) {
        if (!canSwitch(selection, next)) {
            throw new IllegalArgumentException("a run loaded with a " + kind(selection) + " selection cannot switch "
                    + "to " + kind(next) + ": the filter mode is fixed at load");
        }
        selection = next;
        if (closed) {
            return;
        }
        containers.forEach((cgroupId, container) -> {
            boolean wanted = selects(container);
            if (wanted && !listed.contains(cgroupId)) {
                list(cgroupId, container);
            } else if (!wanted && listed.contains(cgroupId)) {
                unlist(cgroupId);
            }
        });
        noticeMissing();
    }

    @Override
    public synchronized void added(long cgroupId, Container container) {
        if (closed) {
            return;
        }
        containers.put(cgroupId, container);
        if (selects(container) && !listed.contains(cgroupId)) {
            list(cgroupId, container);
        }
    }

    @Override
    public synchronized void removed(long cgroupId, Container container) {
        if (closed) {
            return;
        }
        containers.remove(cgroupId);
        if (listed.contains(cgroupId)) {
            unlist(cgroupId);
        }
    }

    /** Stops following the registry; after this the object's map is no longer touched, so it may close. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        registry.removeListener(this);
    }

    private void list(long cgroupId, Container container) {
        key.putLong(0, cgroupId);
        cgroups.update(key, present, BpfMap.Update.ANY);
        listed.add(cgroupId);
        if (selection instanceof ContainerSelection.Named && seen.add(container.name())) {
            notices.accept(new RunMessage.Notice(RunMessage.Notice.Level.INFO,
                    "container '" + container.name() + "' is running: tracing it"));
        }
    }

    private void unlist(long cgroupId) {
        key.putLong(0, cgroupId);
        cgroups.delete(key);
        listed.remove(cgroupId);
    }

    private synchronized void noticeMissing() {
        if (selection instanceof ContainerSelection.Named(Set<String> names)) {
            Set<String> running = new HashSet<>();
            containers.values().forEach(c -> running.add(c.name()));
            names.stream().filter(name -> !running.contains(name)).sorted().forEach(name -> notices.accept(
                    new RunMessage.Notice(RunMessage.Notice.Level.WARNING,
                            "no container named '" + name + "' yet: waiting for it")));
        }
    }

    private boolean selects(Container container) {
        return switch (selection) {
            case ContainerSelection.Everything e -> false;
            case ContainerSelection.HostOnly h -> true;
            case ContainerSelection.Named(Set<String> names) -> names.contains(container.name());
            case ContainerSelection.Ids(Set<String> ids) -> ids.contains(container.id());
        };
    }

    private static int mode(ContainerSelection selection) {
        return switch (selection) {
            case ContainerSelection.Everything e -> OFF;
            case ContainerSelection.HostOnly h -> DENY;
            case ContainerSelection.Named n -> ALLOW;
            case ContainerSelection.Ids i -> ALLOW;
        };
    }

    private static String kind(ContainerSelection selection) {
        return switch (selection) {
            case ContainerSelection.Everything e -> "everything";
            case ContainerSelection.HostOnly h -> "host";
            case ContainerSelection.Named n -> "named";
            case ContainerSelection.Ids i -> "ids";
        };
    }
}
