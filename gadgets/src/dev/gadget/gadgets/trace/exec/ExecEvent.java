package dev.gadget.gadgets.trace.exec;

import dev.gadget.gadgets.EventHeader;
import dev.gadget.gadgets.GadgetEvent;
import java.util.List;

/**
 * One exec, successful ({@code ret} 0) or failed ({@code ret} = -errno).
 *
 * @param args every argument as passed to execve; when {@code argsTruncated}, the last one may be cut
 * @param cwd working directory, "" unless paths were asked for; starts with "…" if its start was cut
 * @param exepath the executed file, "" unless paths were asked for or when the exec failed
 */
public record ExecEvent(EventHeader header, int ret, String pcomm, List<String> args, boolean argsTruncated,
        String cwd, String exepath) implements GadgetEvent {
}
