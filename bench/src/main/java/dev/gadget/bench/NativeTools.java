package dev.gadget.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the benchmark's C helpers from their sources, shipped in the jar next to the class that
 * uses them, with the machine's gcc: nothing prebuilt, nothing downloaded.
 */
public final class NativeTools {
    private final Path dir;

    public NativeTools(Path dir) {
        this.dir = dir;
    }

    /**
     * Compiles {@code source} (a resource next to {@code owner}) into an executable named after it.
     *
     * @param flags extra gcc flags (libraries, -static)
     */
    public Path compile(Class<?> owner, String source, List<String> flags) {
        Path c = dir.resolve(source);
        Path binary = dir.resolve(source.replace(".c", ""));
        try (InputStream in = owner.getResourceAsStream(source)) {
            if (in == null) {
                throw new IllegalStateException("building " + source + ": not found next to " + owner.getName()
                        + " — rebuild the benchmark with mvn package");
            }
            Files.copy(in, c);
        } catch (IOException e) {
            throw new UncheckedIOException("extracting " + source + " into " + dir, e);
        }
        List<String> command = new ArrayList<>(List.of("gcc", "-O2", "-Wall", "-Werror", "-o", binary.toString(),
                c.toString()));
        command.addAll(flags);
        Commands.run(command);
        return binary;
    }
}
