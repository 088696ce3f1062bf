package dev.fvec.cli;

import picocli.CommandLine.Option;

/**
 * The options every command takes, before or after the command name ({@code fvec -q encode ...}
 * and {@code fvec encode -q ...} alike): a picocli mixin, one instance on the root command and one
 * on each subcommand, merged by {@link #or}.
 */
final class CommonOptions {

    @Option(names = {"-q", "--quiet"}, order = 100, description = "no progress or summary on stderr (errors are still reported)")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, order = 101, description = "more detail: kernel choice, timings, stack traces on errors")
    boolean verbose;

    @Option(names = "--kernel", order = 102, paramLabel = "NAME", converter = Converters.KernelName.class,
            completionCandidates = Converters.KernelName.class,
            description = "force the statistics kernel: scalar or simd (default: simd when usable)")
    String kernel;

    /** These options, each taken from {@code before} (the root command's) when not given here. */
    CommonOptions or(CommonOptions before) throws CliException {
        CommonOptions o = new CommonOptions();
        o.quiet = quiet || before.quiet;
        o.verbose = verbose || before.verbose;
        if (kernel != null && before.kernel != null) {
            throw new CliException("--kernel is given more than once");
        }
        o.kernel = kernel != null ? kernel : before.kernel;
        if (o.quiet && o.verbose) {
            throw new CliException("--quiet and --verbose cannot be combined");
        }
        return o;
    }
}
