package dev.fvec.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * What every subcommand shares: the common options (its own, merged with those given before the
 * command name), the streams, and the {@link Context} built from them; and the help layout
 * (picocli merges these {@code @Command} attributes with each subclass's own).
 */
@Command(mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        synopsisHeading = "Usage: ", parameterListHeading = "%nArguments:%n", optionListHeading = "%nOptions:%n")
abstract class CommandBase implements Callable<Integer> {

    @Mixin
    final CommonOptions common = new CommonOptions();

    private final CommonOptions rootOptions;
    private final Main.Streams streams;

    CommandBase(CommonOptions rootOptions, Main.Streams streams) {
        this.rootOptions = rootOptions;
        this.streams = streams;
    }

    @Override
    public final Integer call() throws CliException, IOException {
        return run(new Context(streams, common.or(rootOptions), choosesKernelLater()));
    }

    /** Whether {@link #run} calls {@link Context#chooseKernel()} itself, when it needs the kernel. */
    boolean choosesKernelLater() {
        return false;
    }

    /** The command proper; returns the exit status. */
    abstract int run(Context ctx) throws CliException, IOException;

    /** Where {@code --inputs-from -} reads. */
    Main.Streams streams() {
        return streams;
    }
}
