package dev.fvec.cli;

import dev.fvec.Kernels;
import dev.fvec.spi.KernelProvider;
import java.io.PrintStream;

/** What every command gets: the streams, the common options, and the kernel to use. */
final class Context {
    final PrintStream out;
    final PrintStream err;
    /** Whether stderr is a terminal: progress is then a redrawn bar, else plain lines. */
    final boolean terminal;
    final boolean quiet;
    final boolean verbose;
    private final KernelProvider kernel;
    private final boolean kernelForced;

    /** {@code common}: the command's common options merged with the root command's ({@link CommonOptions#or}). */
    Context(Main.Streams streams, CommonOptions common) throws CliException {
        this.out = streams.out;
        this.err = streams.err;
        this.terminal = streams.terminal;
        this.quiet = common.quiet;
        this.verbose = common.verbose;
        String forced = common.kernel;
        this.kernelForced = forced != null;
        try {
            this.kernel = forced != null ? Kernels.byName(forced) : Kernels.provider();
        } catch (IllegalStateException e) { // simd requested where it cannot run
            throw new CliException((forced != null ? "--kernel simd: " : "") + SimdHint.explain(e.getMessage()));
        } catch (IllegalArgumentException e) { // a bad -Dfvec.kernel
            throw new CliException("-D" + Kernels.PROPERTY + ": " + e.getMessage());
        }
        debug("fvec: " + kernelReport());
    }

    /** The kernel to use: forced with {@code --kernel}, else {@link Kernels#provider()}'s choice. */
    KernelProvider kernel() {
        return kernel;
    }

    boolean kernelForced() {
        return kernelForced;
    }

    /** Which kernel is in use and why; when it is the scalar one, how to get SIMD. */
    String kernelReport() {
        if (kernelForced) {
            return kernel + " kernel (forced by --kernel)";
        }
        if (kernel.name().equals("simd")) {
            return kernel + " kernel";
        }
        KernelProvider simd = Kernels.simdOrNull();
        String why = simd == null ? "dev.fvec:fvec-simd is not on the class path" : simd.unavailableReason();
        return "scalar kernel" + (why == null ? "" : ", because " + SimdHint.explain(why));
    }

    /** A status line on stderr, unless {@code --quiet}. */
    void info(String line) {
        if (!quiet) {
            err.println(line);
        }
    }

    /** A detail line on stderr, only with {@code --verbose}. */
    void debug(String line) {
        if (verbose) {
            err.println(line);
        }
    }

    Progress progress(String label, long total, String unit, long plainIntervalMillis) {
        return new Progress(quiet ? null : err, terminal, label, total, unit, plainIntervalMillis);
    }
}
