package dev.gadget.gadgets.runner;

import dev.gadget.bpf.BpfObject;
import dev.gadget.gadgets.containers.HostRoot;
import dev.gadget.gadgets.model.ParamValues;
import dev.gadget.gadgets.model.RunMessage;
import java.util.List;

/** A gadget that samples (perf events) until the run ends, then reports what it gathered. */
public non-sealed interface ProfileGadget extends Gadget {

    /**
     * Starts sampling into the loaded object (e.g. attaches its program to a perf event per CPU); what
     * it attaches belongs to the object. {@code host} is where the host's /proc is seen.
     */
    Sampling startSampling(BpfObject object, ParamValues values, HostRoot host);

    /** One run's sampling, used from the run's thread only. */
    interface Sampling {
        /**
         * Called a few times a second while sampling: the moment to note what will be gone by the
         * report (the memory maps of processes that may exit, for one).
         */
        void whileSampling();

        /** What was sampled, once the run ends. */
        Report report(DecodeContext context);
    }

    /**
     * @param rows a row per distinct stack, one slot per field of the description
     * @param notices what the user should know about the report (stacks the kernel could not keep...)
     */
    record Report(List<Object[]> rows, List<RunMessage.Notice> notices) {
    }
}
