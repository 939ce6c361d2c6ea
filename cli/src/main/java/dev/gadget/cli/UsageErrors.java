package dev.gadget.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/** Bad usage as one line, for every front end (gadget, kubectl gadget): what was wrong, and what is known. */
public final class UsageErrors {
    private UsageErrors() {
    }

    public static String oneLine(ParameterException e) {
        if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            CommandSpec spec = e.getCommandLine().getCommandSpec();
            String unknown = unmatched.getUnmatched().getFirst();
            boolean command = !unknown.startsWith("-") && !spec.subcommands().isEmpty();
            return "unknown " + (unknown.startsWith("-") ? "option" : command ? "command" : "argument") + " '" + unknown
                    + "' for '" + spec.qualifiedName() + "'" + (command ? ": pick one of " + commands(spec) : "");
        }
        return e.getMessage().lines().findFirst().orElse("bad usage");
    }

    /** The subcommands of {@code spec}, comma-separated. */
    public static String commands(CommandSpec spec) {
        return String.join(", ", spec.subcommands().keySet());
    }
}
