package dev.gadget.gadgets.containers;

import dev.gadget.bpf.BpfMap;
import dev.gadget.bpf.BpfObject;
import dev.gadget.gadgets.model.ContainerSelection;
import dev.gadget.gadgets.model.RunMessage;
import dev.gadget.gadgets.bpfcommon.SharedHeader;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Applies a {@link ContainerSelection} inside the kernel, through gadget.h's filter mode and cgroup
 * map: named containers are allowed, or for host-only every container is denied. The map follows the
 * containers as they start and stop, so events of other cgroups never reach the ring.
 */
public final class CgroupFilter implements ContainerRegistry.Listener, AutoCloseable {
    private static final int OFF = 0;
    private static final int ALLOW = 1;
    private static final int DENY = 2;

    private final ContainerSelection selection;
    private final ContainerRegistry registry;
    private final BpfMap cgroups;
    private final ByteBuffer key;
    private final ByteBuffer present;
    private final Consumer<RunMessage.Notice> notices;
    private final Set<String> seen = new HashSet<>();
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
        object.setConstant(SharedHeader.FILTER_MODE, switch (selection) {
            case ContainerSelection.Everything e -> OFF;
            case ContainerSelection.HostOnly h -> DENY;
            case ContainerSelection.Named n -> ALLOW;
        });
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
        if (selection instanceof ContainerSelection.Named(Set<String> names)) {
            synchronized (filter) {
                names.stream().filter(name -> !filter.seen.contains(name)).sorted().forEach(name -> notices.accept(
                        new RunMessage.Notice(RunMessage.Notice.Level.WARNING,
                                "no container named '" + name + "' yet: waiting for it")));
            }
        }
        return filter;
    }

    @Override
    public synchronized void added(long cgroupId, Container container) {
        if (!closed && selects(container)) {
            key.putLong(0, cgroupId);
            cgroups.update(key, present, BpfMap.Update.ANY);
            if (seen.add(container.name()) && selection instanceof ContainerSelection.Named) {
                notices.accept(new RunMessage.Notice(RunMessage.Notice.Level.INFO,
                        "container '" + container.name() + "' is running: tracing it"));
            }
        }
    }

    @Override
    public synchronized void removed(long cgroupId, Container container) {
        if (!closed) {
            key.putLong(0, cgroupId);
            cgroups.delete(key);
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

    private boolean selects(Container container) {
        return switch (selection) {
            case ContainerSelection.Everything e -> false;
            case ContainerSelection.HostOnly h -> true;
            case ContainerSelection.Named(Set<String> names) -> names.contains(container.name());
        };
    }
}
