package dev.fvec.cli;

import dev.fvec.Kernels;
import dev.fvec.spi.KernelProvider;

/**
 * The library's kernel choice ({@link Kernels#choice()}: the service lookup, the Vector API
 * species, the JVM's JIT options through the management beans), taken on a second core while the
 * main thread parses the command line (picocli builds its model by reflection, the longest step of
 * a short run's start). The choice is the library's own, taken once whichever thread asks first, so
 * nothing changes but when it is made. Only for {@code main}'s runs of {@code encode} and
 * {@code train} (not the in-process {@link Main#run} the tests use), with at least two processors,
 * and not when {@code --kernel} forces a kernel.
 *
 * <p>Tried and dropped: also encoding small synthetic data there until the command's own encode
 * began, so that the JIT's first compilations of the kernel's float code would be done earlier. On
 * the 2-core machine under a load of about 11 (other jobs), a one-file {@code fvec encode} took a
 * median 0.79 s of wall time with it against 0.66 s without (10 runs each, alternated), and 50-80 ms
 * more CPU time.
 */
final class EarlyStart {

    /** {@code -Dfvec.earlyStart=false} turns it off (to measure what it gives). */
    static final String PROPERTY = "fvec.earlyStart";

    private EarlyStart() {
    }

    /** The early-start thread. */
    private static final class Choosing extends Thread {
        Choosing() {
            super("fvec-early-start");
        }

        @Override
        public void run() {
            try {
                // The slow part of the choice first (the service lookup, the Vector API species, the JIT
                // beans: nothing there logs), while the main thread starts java.util.logging; then the
                // choice itself, which logs, once the library's log is quiet.
                KernelProvider simd = KernelProvider.installed("simd");
                if (simd != null) {
                    simd.unavailableReason();
                }
                Main.quietLibraryLog(); // waits for the main thread's, if that one is under way
                Kernels.choice();
            } catch (RuntimeException | LinkageError e) {
                // Only a head start: the command meets (and reports) the problem itself.
            }
        }
    }

    /**
     * Starts it for {@code args} when worth it; true when it did. The caller then quiets the
     * library's log ({@link Main#quietLibraryLog}, which starts java.util.logging) while this thread
     * does the slow part of the choice; the thread quiets it too (or waits for the caller's) before
     * it takes the choice, which logs.
     */
    static boolean begin(String[] args) {
        String command = Main.commandNamed(args);
        if (!("encode".equals(command) || "train".equals(command)) || Runtime.getRuntime().availableProcessors() < 2
                || System.getProperty(PROPERTY, "true").equals("false")) {
            return false;
        }
        for (String a : args) {
            if (a.equals("--kernel") || a.startsWith("--kernel=") || a.equals("--help") || a.equals("-h")) {
                return false;
            }
        }
        Thread t = new Choosing(); // a class, not a lambda: a lambda's first use spins a class at run time
        t.setDaemon(true);
        t.start();
        return true;
    }
}
