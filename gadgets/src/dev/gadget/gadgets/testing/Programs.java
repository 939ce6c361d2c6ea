package dev.gadget.gadgets.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Uniquely named programs for tests to exec, so their events cannot be confused with anyone else's. */
public final class Programs {
    private Programs() {
    }

    /** A copy of /bin/true named gt-<random>: it ignores its arguments and exits 0. */
    public static Path uniqueTrue(Path dir) throws IOException {
        Path program = dir.resolve("gt-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
        Files.copy(Path.of("/bin/true"), program, StandardCopyOption.COPY_ATTRIBUTES);
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
        return program;
    }

    /** Runs a command to completion and returns its pid; fails unless it exits 0. */
    public static long run(Path workingDirectory, List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(workingDirectory.toFile())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        int status = process.waitFor();
        if (status != 0) {
            throw new AssertionError(command.getFirst() + " exited " + status + ": " + output);
        }
        return process.pid();
    }

    /** Compiles a C program with gcc into {@code dir}, for behaviour no stock binary shows. */
    public static Path compileC(Path dir, String name, String source) throws IOException, InterruptedException {
        Path c = dir.resolve(name + ".c");
        Files.writeString(c, source);
        Path binary = dir.resolve(name);
        List<String> gcc = new ArrayList<>(List.of("gcc", "-O1", "-pthread", "-o", binary.toString(), c.toString()));
        run(dir, gcc);
        return binary;
    }
}
