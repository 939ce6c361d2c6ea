package dev.gadget.daemon;

import java.util.Optional;

/**
 * The Java heap, what a daemon under a pod's memory limit runs out of first (the JVM takes a quarter
 * of the limit for it). Half of it is for client queues, so that a stalled client's full queue never
 * leaves the others without room to decode and write: the sessions that fit are those whose queues,
 * full, take at most that half.
 */
final class Heap {
    private Heap() {
    }

    static long maxBytes() {
        return Runtime.getRuntime().maxMemory();
    }

    /** How many sessions' full queues fit in half the heap; at least one. */
    static int sessionsFor(long queueBytes) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, maxBytes() / 2 / queueBytes));
    }

    /** What the daemon says at start if --max-sessions cannot be reached with this heap; empty if it can. */
    static Optional<String> startWarning(int maxSessions, long queueBytes) {
        int fit = sessionsFor(queueBytes);
        if (fit >= maxSessions) {
            return Optional.empty();
        }
        return Optional.of("--max-sessions " + maxSessions + " and --client-queue-bytes " + mib(queueBytes)
                + ": the Java heap (at most " + mib(maxBytes()) + ") holds the queues of " + fit
                + (fit == 1 ? " session" : " sessions") + ", so no more will run at once: give the daemon more heap (a"
                + " higher memory limit for its pod, or JAVA_TOOL_OPTIONS=-Xmx...) or a smaller --client-queue-bytes");
    }

    /** Why a session cannot start though --max-sessions allows it, and what to do. */
    static String refusal(int sessions, long queueBytes) {
        return "this daemon's Java heap (at most " + mib(maxBytes()) + ") holds the queues of " + sessions
                + (sessions == 1 ? " session" : " sessions") + " of --client-queue-bytes " + mib(queueBytes)
                + ", and as many run: stop one (DELETE /v1/runs/{id}), or give the daemon more heap (a higher memory limit"
                + " for its pod, or JAVA_TOOL_OPTIONS=-Xmx...) or a smaller --client-queue-bytes";
    }

    /** What a session that ran out of heap ends with. */
    static String outOfHeap() {
        return "the daemon ran out of Java heap (at most " + mib(maxBytes()) + "): give it more (a higher memory limit"
                + " for its pod, or JAVA_TOOL_OPTIONS=-Xmx...), or run fewer sessions or a smaller --client-queue-bytes";
    }

    static String mib(long bytes) {
        return bytes % (1 << 20) == 0 || bytes >= 10L << 20 ? (bytes >> 20) + " MiB" : (bytes >> 10) + " KiB";
    }
}
