package dev.gadget.cli;

import java.time.Duration;

/** A gadget running for this command, here (host mode) or elsewhere; its messages go to the sink it was started with. */
interface Session extends AutoCloseable {

    /** Works until stopped, timed out (null: never) or done (a snapshot); emits into the sink meanwhile. */
    void run(Duration timeout);

    /** From any thread (Ctrl-C): makes {@link #run} return soon. */
    void stop();

    @Override
    void close();
}
