package dev.gadget.gadgets.profile.cpu;

import dev.gadget.bpf.BpfException;
import dev.gadget.bpf.BpfMap;
import dev.gadget.bpf.BpfObject;
import dev.gadget.bpf.Errno;
import dev.gadget.bpf.PerCpuCounter;
import dev.gadget.bpf.PerfEvent;
import dev.gadget.bpf.PossibleCpus;
import dev.gadget.bpf.RingBuffer;
import dev.gadget.gadgets.bpfcommon.SharedHeader;
import dev.gadget.gadgets.containers.HostRoot;
import dev.gadget.gadgets.model.ParamValues;
import dev.gadget.gadgets.model.RunMessage;
import dev.gadget.gadgets.runner.ContainerColumns;
import dev.gadget.gadgets.runner.DecodeContext;
import dev.gadget.gadgets.runner.ProfileGadget;
import dev.gadget.gadgets.symbols.ElfFiles;
import dev.gadget.gadgets.symbols.Frames;
import dev.gadget.gadgets.symbols.KernelSymbols;
import dev.gadget.gadgets.symbols.ProcessSymbols;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * One run of profile cpu: a cpu-clock perf event per CPU feeding profile_cpu.bpf.c; the memory maps of
 * the processes it samples, captured as they are announced; then the report, a row per distinct
 * process and stacks with the frames named.
 */
final class CpuSampling implements ProfileGadget.Sampling {
    static final String PROGRAM = "profile_cpu_sample";
    static final String STACKS = "stacks";
    static final String SAMPLES = "samples";
    static final String ADDRESS_SPACES = "address_spaces";
    /** struct process_space, as announced on the ring. */
    static final int SPACE_MM = 0;
    static final int SPACE_PID = 8;
    static final int SPACE_SIZE = 16;
    /** MAX_STACK_DEPTH: a stack this deep was most likely cut there. */
    static final int MAX_DEPTH = 127;
    static final String TRUNCATED = "[truncated]";

    private static final int F_COMM = ProfileCpu.DESCRIPTION.fieldIndex("comm");
    private static final int F_PID = ProfileCpu.DESCRIPTION.fieldIndex("pid");
    private static final int F_SAMPLES = ProfileCpu.DESCRIPTION.fieldIndex("samples");
    private static final int F_USER_STACK = ProfileCpu.DESCRIPTION.fieldIndex("userStack");
    private static final int F_KERNEL_STACK = ProfileCpu.DESCRIPTION.fieldIndex("kernelStack");

    /** A process's address space: a pid that exec'd has a new one. */
    private record Space(int pid, long mm) {
    }

    /** What a row is: samples of the same one add up, whatever the addresses behind its frames. */
    private record RowKey(long cgroupId, int pid, String comm, List<String> userStack, List<String> kernelStack) {
    }

    private final BpfObject object;
    private final BpfMap stacks;
    /** gadget.h's count of what could not be recorded: here, samples that found the samples map full. */
    private final PerCpuCounter uncounted;
    private final HostRoot host;
    private final RingBuffer announcements;
    private final ElfFiles files;
    private final boolean kernelStacks;
    private final long maxStacks;
    private final int offlineCpus;
    private final Map<Space, Optional<ProcessSymbols>> processes = new HashMap<>();
    private final List<Space> announced = new ArrayList<>();

    private CpuSampling(BpfObject object, ParamValues values, HostRoot host, int offlineCpus) {
        this.object = object;
        this.stacks = object.map(STACKS);
        this.uncounted = new PerCpuCounter(object, SharedHeader.LOST);
        this.host = host;
        this.announcements = object.ringBuffer(SharedHeader.EVENTS);
        this.files = new ElfFiles(host);
        this.kernelStacks = !values.flag(ProfileCpu.USER_STACKS_ONLY);
        this.maxStacks = values.number(ProfileCpu.MAX_STACKS);
        this.offlineCpus = offlineCpus;
    }

    /** Attaches the program to a cpu-clock event on each online CPU; the links belong to {@code object}. */
    static CpuSampling start(BpfObject object, ParamValues values, HostRoot host) {
        long frequency = values.number(ProfileCpu.FREQUENCY);
        int offline = 0;
        for (int cpu = 0; cpu < PossibleCpus.count(); cpu++) {
            PerfEvent event;
            try {
                event = PerfEvent.cpuClockOfCpu(cpu, frequency);
            } catch (BpfException e) {
                if (e.errno() != Errno.ENODEV) {
                    throw e;
                }
                offline++;
                continue;
            }
            object.attachPerfEvent(PROGRAM, event);
        }
        return new CpuSampling(object, values, host, offline);
    }

    @Override
    public void whileSampling() {
        announcements.consume((data, offset, length) -> announced.add(new Space(
                data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + SPACE_PID),
                data.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + SPACE_MM))));
        for (Space space : announced) {
            processes.computeIfAbsent(space, s -> ProcessSymbols.capture(s.pid(), files));
        }
        announced.clear();
    }

    @Override
    public ProfileGadget.Report report(DecodeContext context) {
        whileSampling();
        List<RunMessage.Notice> notices = new ArrayList<>();
        KernelSymbols kernel = kernelStacks ? kernelSymbols(notices) : null;
        LongFunction<String> kernelFrame = kernel == null ? Frames::unknown : kernel::frame;
        BpfMap samples = object.map(SAMPLES);
        ByteBuffer count = samples.newValueBuffer();
        Map<Long, long[]> kept = new HashMap<>();
        Map<RowKey, Long> rows = new LinkedHashMap<>();
        long total = 0;
        long lostStacks = 0;
        long unnamed = 0;
        for (ByteBuffer keyBytes : samples.keys()) {
            if (!samples.lookup(keyBytes, count)) {
                continue;
            }
            SampleKey key = SampleKey.decode(keyBytes);
            long n = count.getLong(0);
            total += n;
            ProcessSymbols process = null;
            if (key.userStack() != 0) {
                process = processes.computeIfAbsent(new Space(key.pid(), key.mm()),
                        s -> ProcessSymbols.capture(s.pid(), files)).orElse(null);
                unnamed += process == null ? n : 0;
            }
            ProcessSymbols named = process;
            List<String> user = frames(key.userStack(), key.userError(), kept,
                    address -> named == null ? Frames.unknown(address) : named.frame(address));
            List<String> kernelStack = frames(key.kernelStack(), key.kernelError(), kept, kernelFrame);
            if (key.userError() != 0 || key.kernelError() != 0) {
                lostStacks += n;
            }
            rows.merge(new RowKey(key.cgroupId(), key.pid(), key.comm(), user, kernelStack), n, Long::sum);
        }
        notices.addAll(notices(total, lostStacks, unnamed, uncounted.total()));
        return new ProfileGadget.Report(rows(rows, context), notices);
    }

    private KernelSymbols kernelSymbols(List<RunMessage.Notice> notices) {
        try {
            KernelSymbols kernel = KernelSymbols.load(host);
            if (kernel.hidden()) {
                // kallsyms_show_value(): CAP_SYSLOG, or perf_event_paranoid <= 1 with kptr_restrict 0.
                notices.add(warning("kernel frames show as addresses: /proc/kallsyms hides kernel addresses from this"
                        + " process: give it CAP_SYSLOG (root has it; a pod adds SYSLOG to its capabilities), with"
                        + " kernel.kptr_restrict at 0 or 1"));
            }
            return kernel;
        } catch (IOException e) {
            notices.add(warning("kernel frames show as addresses: reading " + host.resolve("/proc/kallsyms")
                    + " failed: " + e.getMessage()));
            return null;
        }
    }

    /** A stack's frames, innermost first: none for no stack, a marker for one the kernel could not keep. */
    private List<String> frames(long stack, int error, Map<Long, long[]> kept, LongFunction<String> name) {
        if (stack == 0) {
            return error == 0 ? List.of()
                    : List.of(error == -Errno.E2BIG ? "[lost:stack-map-full]" : "[lost:" + Errno.name(error) + "]");
        }
        long[] addresses = kept.computeIfAbsent(stack, this::addresses);
        List<String> frames = new ArrayList<>(addresses.length + 1);
        for (int i = 0; i < addresses.length; i++) {
            // Beyond the innermost frame the addresses are return addresses: the call is just before.
            frames.add(name.apply(i == 0 ? addresses[i] : addresses[i] - 1));
        }
        if (addresses.length == MAX_DEPTH) {
            frames.add(TRUNCATED);
        }
        return List.copyOf(frames);
    }

    /** The addresses of a kept stack, innermost first (zeros follow the last). */
    private long[] addresses(long stack) {
        ByteBuffer key = stacks.newKeyBuffer().putLong(0, stack);
        ByteBuffer value = stacks.newValueBuffer();
        if (!stacks.lookup(key, value)) {
            return new long[0];
        }
        int depth = 0;
        while (depth < MAX_DEPTH && value.getLong(depth * Long.BYTES) != 0) {
            depth++;
        }
        long[] addresses = new long[depth];
        for (int i = 0; i < depth; i++) {
            addresses[i] = value.getLong(i * Long.BYTES);
        }
        return addresses;
    }

    private List<RunMessage.Notice> notices(long total, long lostStacks, long unnamed, long uncounted) {
        List<RunMessage.Notice> notices = new ArrayList<>();
        if (uncounted > 0) {
            notices.add(warning(uncounted + " samples could not be counted, the kernel's map of counts being full"
                    + " (" + total + " were): raise --" + ProfileCpu.MAX_STACKS + " (now " + maxStacks + ")"));
        }
        if (lostStacks > 0) {
            notices.add(warning("the stacks of " + lostStacks + " of " + total + " samples could not be kept: they"
                    + " show as [lost:...]; [lost:stack-map-full]: raise --" + ProfileCpu.MAX_STACKS + " (now "
                    + maxStacks + ")"));
        }
        if (unnamed > 0) {
            notices.add(new RunMessage.Notice(RunMessage.Notice.Level.INFO, "the user frames of " + unnamed
                    + " samples show as addresses: their processes exited before their memory maps could be read"));
        }
        if (offlineCpus > 0) {
            notices.add(new RunMessage.Notice(RunMessage.Notice.Level.INFO, offlineCpus
                    + " CPUs were offline when sampling started and were not sampled"));
        }
        return notices;
    }

    private static List<Object[]> rows(Map<RowKey, Long> counted, DecodeContext context) {
        List<Object[]> rows = new ArrayList<>(counted.size());
        counted.forEach((key, samples) -> {
            Object[] row = new Object[ProfileCpu.DESCRIPTION.fields().size()];
            ContainerColumns.fill(row, context.containers().find(key.cgroupId()));
            row[F_COMM] = key.comm();
            row[F_PID] = (long) key.pid();
            row[F_SAMPLES] = samples;
            row[F_USER_STACK] = key.userStack();
            row[F_KERNEL_STACK] = key.kernelStack();
            rows.add(row);
        });
        return rows;
    }

    private static RunMessage.Notice warning(String message) {
        return new RunMessage.Notice(RunMessage.Notice.Level.WARNING, message);
    }
}
