package dev.gadget.daemon;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gadget.gadgets.model.FieldSpec;
import dev.gadget.gadgets.model.RowView;
import dev.gadget.gadgets.model.RunMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A client's view of one run's NDJSON stream, read on a thread of its own as fast as it comes: every
 * message kept (event rows typed by the run's fields, as the kubectl plugin types them), heartbeats
 * counted, for tests to wait on.
 */
final class RunStream implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS);
    private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(60);

    final String session;
    private final List<FieldSpec> fields;
    private final InputStream body;
    private final List<RunMessage> messages = new ArrayList<>();
    private final List<RowView> events = new ArrayList<>();
    private final Thread reader;
    private int heartbeats;
    private long longestLine;
    private boolean closed;
    private String failure;

    RunStream(String session, List<FieldSpec> fields, InputStream body) {
        this.session = session;
        this.fields = fields;
        this.body = body;
        this.reader = Thread.ofPlatform().name("run-stream").start(this::read);
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 1 << 16)) {
            for (String line; (line = lines.readLine()) != null; ) {
                synchronized (this) {
                    longestLine = Math.max(longestLine, line.length() + 1);
                    if (line.isEmpty()) {
                        heartbeats++;
                    } else {
                        RunMessage message = JSON.readValue(line, RunMessage.class);
                        messages.add(message);
                        if (message instanceof RunMessage.Event event) {
                            events.add(row(event.values()));
                        }
                    }
                    notifyAll();
                }
            }
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                if (!closed) {
                    failure = e.toString();
                }
            }
        } finally {
            synchronized (this) {
                closed = true;
                notifyAll();
            }
        }
    }

    private RowView row(List<Object> values) {
        List<Object> typed = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            typed.add(values.get(i) == null ? null : fields.get(i).type().coerce(values.get(i)));
        }
        return new RowView(fields, typed);
    }

    synchronized List<RunMessage> messages() {
        return List.copyOf(messages);
    }

    synchronized List<RowView> events() {
        return List.copyOf(events);
    }

    synchronized int heartbeats() {
        return heartbeats;
    }

    /** The longest line read, newline included: what one message can cost a queue. */
    synchronized long longestLine() {
        return longestLine;
    }

    /** The sum of the Lost counts of {@code where} in the stream. */
    synchronized long lost(RunMessage.Lost.Where where) {
        return messages.stream().filter(m -> m instanceof RunMessage.Lost l && l.where() == where)
                .mapToLong(m -> ((RunMessage.Lost) m).count()).sum();
    }

    RowView awaitEvent(Predicate<RowView> match) throws InterruptedException {
        return await(() -> events.stream().filter(match).findFirst().orElse(null), "a matching event");
    }

    /** Waits until {@code count} events match. */
    List<RowView> awaitEvents(Predicate<RowView> match, int count) throws InterruptedException {
        return await(() -> {
            List<RowView> found = events.stream().filter(match).toList();
            return found.size() >= count ? found : null;
        }, count + " matching events");
    }

    RunMessage awaitMessage(Predicate<RunMessage> match) throws InterruptedException {
        return await(() -> messages.stream().filter(match).findFirst().orElse(null), "a matching message");
    }

    RunMessage.End awaitEnd() throws InterruptedException {
        RunMessage end = awaitMessage(m -> m instanceof RunMessage.End);
        reader.join(PATIENCE_NANOS / 1_000_000);
        return (RunMessage.End) end;
    }

    /** Waits until the daemon closes the stream (after its End). */
    void awaitClosed() throws InterruptedException {
        reader.join(PATIENCE_NANOS / 1_000_000);
        if (reader.isAlive()) {
            throw new AssertionError("the stream of session " + session + " is still open");
        }
    }

    private interface Lookup<T> {
        T find();
    }

    private synchronized <T> T await(Lookup<T> lookup, String what) throws InterruptedException {
        long giveUp = System.nanoTime() + PATIENCE_NANOS;
        while (true) {
            T found = lookup.find();
            if (found != null) {
                return found;
            }
            if (closed) {
                throw new AssertionError("the stream ended without " + what + (failure == null ? "" : " (" + failure + ")")
                        + "; its messages: " + tail());
            }
            long left = giveUp - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no " + what + " within a minute among " + messages.size() + " messages: " + tail());
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    private String tail() {
        List<RunMessage> last = messages.subList(Math.max(0, messages.size() - 5), messages.size());
        return last.stream().map(m -> m instanceof RunMessage.Event ? "event" : m.toString()).toList().toString();
    }

    /** Closes the client's side of the connection. */
    @Override
    public void close() throws IOException {
        synchronized (this) {
            closed = true;
        }
        body.close();
    }
}
