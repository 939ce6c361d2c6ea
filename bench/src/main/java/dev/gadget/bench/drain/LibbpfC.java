package dev.gadget.bench.drain;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** libbpf's consumer in C (ring_consumer.c, built with gcc), a process of its own on the consumer CPU. */
final class LibbpfC implements DrainConsumer {
    private final Path binary;
    private final int mapId;
    private final int cpu;
    private Consumer streaming;
    private Consumer draining;

    LibbpfC(Path binary, int mapId, int cpu) {
        this.binary = binary;
        this.mapId = mapId;
        this.cpu = cpu;
    }

    @Override
    public String label() {
        return "libbpf C";
    }

    @Override
    public void startStreaming() {
        streaming = Consumer.start(binary, mapId, cpu, "stream");
    }

    @Override
    public Tally stopStreaming() {
        streaming.process.toHandle().destroy(); // SIGTERM, streams kept open: it reads what is left, then reports
        Tally tally = Tally.parse(streaming.readLine());
        streaming.awaitExit();
        streaming = null;
        return tally;
    }

    @Override
    public Tally drainOnce() {
        if (draining == null) {
            draining = Consumer.start(binary, mapId, cpu, "drain");
        }
        try {
            draining.commands.write("drain\n");
            draining.commands.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("telling the C consumer to drain", e);
        }
        return Tally.parse(draining.readLine());
    }

    @Override
    public void close() {
        if (draining != null) {
            try {
                draining.commands.close();
            } catch (IOException e) {
                throw new UncheckedIOException("ending the C consumer", e);
            }
            draining.awaitExit();
            draining = null;
        }
    }

    /** A running ring_consumer: its stdin takes commands, its stdout answers. */
    private record Consumer(Process process, Writer commands, BufferedReader answers) {
        static Consumer start(Path binary, int mapId, int cpu, String mode) {
            try {
                Process process = new ProcessBuilder(List.of(binary.toString(), String.valueOf(mapId),
                        String.valueOf(cpu), mode)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                Consumer consumer = new Consumer(process, process.outputWriter(StandardCharsets.US_ASCII),
                        process.inputReader(StandardCharsets.US_ASCII));
                String ready = consumer.readLine();
                if (!"ready".equals(ready)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("the C consumer did not start (it printed '" + ready
                            + "'; its error is above)");
                }
                return consumer;
            } catch (IOException e) {
                throw new UncheckedIOException("starting " + binary, e);
            }
        }

        String readLine() {
            try {
                return answers.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException("reading the C consumer's answer", e);
            }
        }

        void awaitExit() {
            try {
                int status = process.waitFor();
                if (status != 0) {
                    throw new IllegalStateException("the C consumer exited " + status + " (its error is above)");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the C consumer", e);
            }
        }
    }
}
