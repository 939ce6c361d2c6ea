package dev.gadget.bpf;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For test classes that load BPF into the real kernel: they are skipped where BPF cannot be had
 * (not root, no libbpf, no kernel BTF), except when {@value #STRICT} is set, as CI does: then they fail.
 */
public final class RequiresBpf implements BeforeAllCallback {
    public static final String STRICT = "GADGET_REQUIRE_BPF";

    @Override
    public void beforeAll(ExtensionContext context) {
        String missing = missing();
        if (missing == null) {
            return;
        }
        String message = context.getDisplayName() + " needs BPF: " + missing;
        if (System.getenv(STRICT) != null) {
            Assertions.fail(message + " (" + STRICT + " is set, so this fails instead of skipping)");
        }
        Assumptions.abort(message);
    }

    private static String missing() {
        try {
            Libbpf.register();
        } catch (BpfException e) {
            return e.getMessage();
        }
        if (LibC.geteuid() != 0) {
            return "tests must run as root";
        }
        if (!Files.exists(Path.of("/sys/kernel/btf/vmlinux"))) {
            return "no kernel BTF at /sys/kernel/btf/vmlinux";
        }
        return null;
    }
}
