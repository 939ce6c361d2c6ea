package dev.gadget.cli;

import dev.gadget.gadgets.model.RunRequest;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.OverwrittenOptionException;
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
        if (e instanceof OverwrittenOptionException twice && twice.getOverwritten() instanceof OptionSpec option) {
            return option.longestName() + " is given twice: give it once";
        }
        if (e instanceof MissingParameterException missing && !missing.getMissing().isEmpty()
                && missing.getMissing().getFirst() instanceof OptionSpec option) {
            return option.longestName() + " needs a value: " + option.paramLabel();
        }
        if (e.getArgSpec() instanceof OptionSpec option && option.type() == boolean.class && e.getValue() != null) {
            return option.longestName() + ": '" + e.getValue() + "' is not true or false: give the flag alone";
        }
        return e.getMessage().lines().findFirst().orElse("bad usage");
    }

    /** --timeout in whole seconds, 0 when not given; the message says what to give instead. */
    public static long timeoutSeconds(String given) {
        if (given == null) {
            return 0;
        }
        long seconds;
        try {
            seconds = Long.parseLong(given.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--timeout: '" + given + "' is not a whole number of seconds: give e.g. -t 10");
        }
        if (seconds <= 0) {
            throw new IllegalArgumentException("--timeout: " + seconds + " is not a positive number of seconds: give e.g."
                    + " -t 10, or no -t to run until Ctrl-C");
        }
        if (seconds > RunRequest.MAX_TIMEOUT_SECONDS) {
            throw new IllegalArgumentException("--timeout: " + seconds + " is more than a year ("
                    + RunRequest.MAX_TIMEOUT_SECONDS + " seconds): give fewer, or no -t to run until Ctrl-C");
        }
        return seconds;
    }

    /** The subcommands of {@code spec}, comma-separated. */
    public static String commands(CommandSpec spec) {
        return String.join(", ", spec.subcommands().keySet());
    }
}
