package dev.fvec.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code fvec completion}: picocli's generated completion script for bash and zsh. */
@Command(name = "completion", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        header = "print a bash/zsh completion script: source <(fvec completion)",
        description = {
            "",
            "Prints a completion script for bash and zsh (commands, options, their values, file names).",
            "Load it in the current shell with   source <(fvec completion)",
            "or for every shell with             fvec completion > ~/.fvec-completion.bash",
            "                                    and 'source ~/.fvec-completion.bash' in ~/.bashrc or ~/.zshrc.",
            "The script completes the command 'fvec', so put the launcher on PATH (e.g. a link in ~/bin).",
        })
final class CompletionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(AutoComplete.bash("fvec", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
