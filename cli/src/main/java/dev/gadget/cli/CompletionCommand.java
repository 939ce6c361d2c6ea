package dev.gadget.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Prints a bash (and zsh, via bashcompinit) completion script: source <(gadget completion). */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = "Print a shell completion script for bash and zsh: source <(gadget completion)")
final class CompletionCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().getOut().print(AutoComplete.bash("gadget", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
    }
}
