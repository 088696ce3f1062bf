package dev.fvec.cli;

import dev.fvec.KernelChoice;
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
    private final String forced;
    private final boolean kernelForced;
    private KernelProvider kernel;
    /** The library's choice ({@link Kernels#choice()}) when {@code --kernel} is not given, else {@code null}. */
    private KernelChoice choice;

    /**
     * {@code common}: the command's common options merged with the root command's
     * ({@link CommonOptions#or}); the kernel is chosen here.
     */
    Context(Main.Streams streams, CommonOptions common) throws CliException {
        this(streams, common, false);
    }

    /**
     * With {@code later}, the kernel is chosen by {@link #chooseKernel()}, which the command calls
     * when it needs the kernel, unless {@code --verbose} asks for the choice at once: on the main
     * thread a command then reads its inputs while the early-start thread ({@link EarlyStart}) is
     * still taking the library's choice, rather than wait for it first.
     */
    Context(Main.Streams streams, CommonOptions common, boolean later) throws CliException {
        this.out = streams.out;
        this.err = streams.err;
        this.terminal = streams.terminal;
        this.quiet = common.quiet;
        this.verbose = common.verbose;
        this.forced = common.kernel;
        this.kernelForced = forced != null;
        if (!later || verbose) {
            chooseKernel();
        }
    }

    /** Takes the kernel choice unless taken already; a command calls it before it uses {@link #kernel()}. */
    void chooseKernel() throws CliException {
        if (kernel != null) {
            return;
        }
        if (forced == null) {
            Main.quietLibraryLog(); // before the choice is taken here (it logs it)
        }
        try {
            this.choice = forced != null ? null : Kernels.choice();
            this.kernel = forced != null ? Kernels.byName(forced) : choice.provider();
        } catch (IllegalStateException e) { // simd requested where it cannot run
            throw new CliException((forced != null ? "--kernel simd: " : "") + SimdHint.explain(e.getMessage()));
        } catch (IllegalArgumentException e) { // a bad -Dfvec.kernel
            throw new CliException("-D" + Kernels.PROPERTY + ": " + e.getMessage());
        }
        debug("fvec: " + kernelReport());
    }

    /** The kernel to use: forced with {@code --kernel}, else the library's choice. */
    KernelProvider kernel() {
        if (kernel == null) {
            throw new IllegalStateException("the kernel is not chosen yet: call chooseKernel() first");
        }
        return kernel;
    }

    boolean kernelForced() {
        return kernelForced;
    }

    /** Which kernel is in use and why (the library's own words); when it is the scalar one, how to get SIMD. */
    String kernelReport() {
        return kernelForced ? kernel + " kernel (forced by --kernel)" : SimdHint.explain(choice.describe());
    }

    /**
     * Why the SIMD kernel cannot run here, or {@code null} when it can: the library's fallback
     * reason, or, when a kernel was forced, what the library says when asked for SIMD.
     */
    String simdUnavailableReason() {
        if (kernel.name().equals("simd")) {
            return null;
        }
        if (choice != null && choice.isFallback()) {
            return choice.fallbackReason();
        }
        try {
            Kernels.byName("simd");
            return null;
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
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
