package dev.gadget.bpf;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Routes libbpf's own log (including the verifier's) to java.util.logging, logger "dev.gadget.bpf.libbpf". */
final class LibbpfLog {
    private static final Logger LOG = Logger.getLogger("dev.gadget.bpf.libbpf");
    private static final int LIBBPF_WARN = 0;
    private static final int LIBBPF_INFO = 1;
    /** Large enough for a verifier log of a rejected program; longer messages are cut. */
    private static final Memory LINE = new Memory(1 << 20);
    /** libbpf keeps only the function pointer: the callback object must stay reachable. */
    private static final Libbpf.PrintFn PRINT = LibbpfLog::print;

    private LibbpfLog() {
    }

    static void install() {
        Libbpf.libbpf_set_print(PRINT);
    }

    private static int print(int level, Pointer format, Pointer args) {
        Level javaLevel = switch (level) {
            case LIBBPF_WARN -> Level.WARNING;
            case LIBBPF_INFO -> Level.INFO;
            default -> Level.FINE;
        };
        if (!LOG.isLoggable(javaLevel)) {
            return 0;
        }
        synchronized (LINE) {
            int length = LibC.vsnprintf(LINE, LINE.size(), format, args);
            if (length < 0) {
                return 0;
            }
            int kept = (int) Math.min(length, LINE.size() - 1);
            String message = new String(LINE.getByteArray(0, kept), StandardCharsets.UTF_8).stripTrailing();
            LOG.log(javaLevel, message);
        }
        return 0;
    }
}
