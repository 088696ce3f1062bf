package dev.fvec.simd;

import dev.fvec.DiagonalGmm;
import dev.fvec.Sparsity;
import dev.fvec.Projection;
import dev.fvec.spi.KernelProvider;
import dev.fvec.spi.ProjectionKernel;
import dev.fvec.spi.StatisticsKernel;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The Vector API ({@code jdk.incubator.vector}) kernel provider, registered for
 * {@link java.util.ServiceLoader} and chosen by {@link dev.fvec.Kernels} when
 * {@link #unavailableReason()} is {@code null}.
 *
 * <p>This class itself never touches {@code jdk.incubator.vector}: the module check comes first, and
 * everything that needs the module lives in the nested {@code Probe} class (and in the kernel), which
 * the JVM loads only after the check has passed. So it is safe to load on a JVM started without
 * {@code --add-modules jdk.incubator.vector}.
 *
 * <p>The species width can be forced with {@code -Dfvec.simd.bits=128|256|512} (default: the
 * preferred species of the platform), e.g. to test the 128-bit path on an AVX2 machine.
 */
public final class SimdKernelProvider implements KernelProvider {

    static final String NO_MODULE = "the jdk.incubator.vector module is not present"
            + " (run java with --add-modules jdk.incubator.vector)";

    /** Public no-argument constructor, for {@link java.util.ServiceLoader}. */
    public SimdKernelProvider() {
    }

    @Override
    public String name() {
        return "simd";
    }

    @Override
    public String unavailableReason() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return NO_MODULE;
        }
        return Probe.REASON;
    }

    /**
     * A provider named {@code simd}, usable without checks, whose kernels {@code kernels} makes: for
     * encoders on a chosen kernel mode (the warm-up's, the tests' fixed lanes, deliberate faults).
     */
    static KernelProvider making(BiFunction<DiagonalGmm, Sparsity, StatisticsKernel> kernels) {
        return new KernelProvider() {
            @Override
            public String name() {
                return "simd";
            }

            @Override
            public String unavailableReason() {
                return null;
            }

            @Override
            public StatisticsKernel create(DiagonalGmm model, Sparsity sparsity) {
                return kernels.apply(model, sparsity);
            }
        };
    }

    /** The pyramid cells' rows in Vector API lanes of doubles ({@code VectorCellRows}), on the twin until warm. */
    @Override
    public dev.fvec.spi.CellRows createCellRows() {
        String why = unavailableReason();
        if (why != null) {
            throw new IllegalStateException("the simd kernel cannot run here: " + why);
        }
        return new VectorCellRows.Rows();
    }

    @Override
    public StatisticsKernel create(DiagonalGmm model, Sparsity sparsity) {
        String why = unavailableReason();
        if (why != null) {
            throw new IllegalStateException("the simd kernel cannot run here: " + why);
        }
        return SimdKernel.auto(model, sparsity);
    }

    /**
     * The float projection ({@code SimdProjection}): the vector path once {@code ProjectionWarmUp}
     * has it compiled (in the background, after a third of a second of twin work), its bitwise twin
     * before.
     */
    @Override
    public ProjectionKernel createProjection(Projection projection) {
        String why = unavailableReason();
        if (why != null) {
            throw new IllegalStateException("the simd kernel cannot run here: " + why);
        }
        return new SimdProjection(projection, SimdProjection.Mode.AUTO);
    }

    /**
     * Compiles the Vector API kernel now, in the calling thread, so that the first real calls run
     * at full speed; returns when done. Idempotent and thread-safe: after the first call (or once
     * the background warm-up that the first kernel starts has finished) it returns at once; a
     * concurrent caller waits for the warm-up in progress. Does nothing where this provider is
     * unavailable, or under {@code -Dfvec.simd.warmup=off} (the scalar twin then serves for ever).
     *
     * <p>Without it nothing is slow either, only slower: kernels run a scalar float twin of the
     * vector code (bitwise the same results; about half the vector code's speed once compiled,
     * and fast from the first call because C1 and C2 compile it quickly) and, once the twin has done
     * a few seconds of work, a background thread compiles the vector code and kernels switch to it.
     *
     * <p>Cost, measured on a 2-core AMD Zen 5 (AVX-512, 16 float lanes) shared with other jobs (load
     * about 13), with the 2-FMA kernel (8-descriptor blocks), JDK 17 and 25 alike: 0.47 to 0.61 s of
     * the calling thread's CPU time (capped at 0.8 s, or at 2.4 s while the JIT is still making
     * progress: past it the warm-up gives up and kernels keep the twin), 1.3 to 1.7 s of process
     * CPU time in all (the JIT's compiler threads included: most of it is C2 compiling the
     * kernel's {@code accumulate} with its block pass inlined), 4.7 to
     * 5.6 s of wall time on that busy machine (it sleeps while the JIT works rather than compete with
     * it for the CPU; about 2.5 s when the machine was nearly idle, with the earlier kernel); it
     * allocates about 1 GB of short-lived garbage (the uncompiled Vector API boxes), runs within a
     * 64 MB heap ({@code -Xmx64m}), and retains under 1 MB. After it, the first encode of
     * 1000 x 64 descriptors against K = 256 took 1.7 to 1.9 ms, 2.1 to 2.4x the steady-state median
     * (0.79 to 0.83 ms), in 7 of 8 fresh JVMs (4.7 ms once), wall time on the busy machine. Before
     * the kernel's blocks grew to 8 descriptors this cost 0.27 to 0.35 s of the calling thread and
     * 0.9 to 1.1 s of the process. A warm-up that runs out of budget compiles the twin instead, and
     * the twin serves.
     *
     * <p>Since then the warm-up holds a HotSpot compiler directive while it runs (through the
     * platform MBean server's DiagnosticCommand MBean, as {@code jcmd Compiler.directives_add}):
     * C2 does not compile the Vector API's own methods on their own (their Java fallbacks, which the
     * uncompiled rounds make hot first) but still inlines them into the kernel's. The directive is
     * removed afterwards; the methods C2 declined meanwhile stay C1-only for the JVM's life where
     * they are called without being inlined. {@code -Dfvec.simd.warmup.directives=false} turns it
     * off. Measured on the same machine, JDK 17, {@code bench}'s {@code E2eFirstCalls} (process CPU
     * time of this call), 5 fresh JVMs each, alternated, load about 9.5: 1.42 to 1.80 s (median 1.78)
     * against 2.08 to 2.63 s (median 2.21) without the directive; about 0.1 s of it is the MBean
     * server's start.
     *
     * <p>Since then its last phase runs the encode path through an encoder until HotSpot's code
     * list shows C2 code for that path's hot methods (the kernel's {@code accumulate} and
     * {@code block}, the kept-term flushes, the Fisher vector's normalisation), instead of stopping
     * at the first idle JIT, which on a busy machine came before those methods had reached C2's
     * thresholds, so that C2 compiled them during the first real calls. It uses more of its budget
     * for that, usually all of it on the busy machine: {@code E2eFirstCalls}, 5 alternated fresh
     * JVMs each at load 4-6, process CPU time 1.50 to 1.72 s (median 1.57) against 0.98 to 1.15 s
     * (median 1.08) before (C2's compiles of those methods among it, which the first calls paid for
     * before), 1.7 to 2.0 s at load 11-13; the first call after it 2.2 to 3.5x the steady-state
     * median (median 2.4x) against 3.7 to 15x (median 4.1x), the p99 of the first 100 calls 1.6 to
     * 3.5x (median 2.1x) against 2.0 to 14.5x (median 8.1x). With phase 1's small calls added
     * while the kernel's own methods are not in C2 (4 alternated JVMs each, load 2.2 to 2.5): process
     * CPU 1.70 to 2.09 s (median 1.99) against 1.38 to 1.64 s (median 1.57) before this change; the
     * first call 2.4x the steady state (median; 2.2 to 2.6x) against 8.1x, the p99 of the first 100
     * calls 2.9x (2.4 to 4.1x) against 6.2x. See {@code docs/COLD-START.md}.
     *
     * <p>Now (2-core Zen 5, JDK 17, nearly idle): the encoders make their first scratch space in
     * {@code build()}, so a service's first call after this one costs what later calls do (first
     * call 1.1 to 1.5x the steady-state median in 5 fresh JVMs, against 2.2 to 3.6x when the first
     * call made it); and this call no longer sleeps while its rounds are cheap (the lanes compiled,
     * only the once-a-call methods short of C2's call counts): 2.4 to 2.8 s of wall time against
     * 3.6 to 3.7 s, the same 1.4 to 2.2 s of process CPU time. The 1 s CPU target of issue 12 is
     * not met.
     *
     * <p>On a slower VM (same CPU model, JVM start 3x and the steady-state encode 1.2x the above)
     * the uncompiled rounds alone used 650 ms of the 0.8 s cap, the warm-up gave up with the lanes
     * half compiled, and the first 100 calls ran 10x the steady state (first call 16.4 ms against
     * 1.56 ms, whose own median was twice the compiled kernel's). So phase 1 may now go on past the
     * cap, up to 3x it, while it makes progress (within 16 rounds of a cheap round, of a round
     * allocating less than every one before, or of a finished compile): on that VM, 12 fresh JVMs
     * of 12 warm, the first call 1.13 to 1.35x the steady state (0.7 to 1.0 ms; medians of 1.18x
     * and 1.40x in two 3-JVM runs of the end-to-end benchmark), at 2.6 to 3.2 s of process CPU
     * time (1.1 to 1.4 s of the calling thread's). See {@code docs/COLD-START.md},
     * "A slower VM".
     *
     * <p>From JDK 21 on, where an encoder of a model of 4 to 7 groups of vector lanes has been built
     * (K = 64 at 512 bits), this call also warms up their gathered groups' pruning, in a phase of
     * its own (0.2-0.75 s of its thread's CPU on the 2-core Zen 5, Temurin 25); such kernels prune
     * only after it, so an encoder built after this call serves unpruned (bitwise the same, about
     * 4% slower at K = 64, D = 128), and a later call warms them up. Other models never pay for it.
     */
    @Override
    public void warmUp() {
        if (unavailableReason() == null) {
            VectorWarmUp.warmUpAsked();
        }
    }

    /** {@code "simd (FloatVector 256-bit, 8 lanes)"}, or why it is unavailable. */
    @Override
    public String toString() {
        String why = unavailableReason();
        return why == null ? "simd (" + Probe.DESCRIPTION + ")" : "simd (unavailable: " + why + ")";
    }

    /**
     * Everything that needs {@code jdk.incubator.vector}; loaded (and run once) only when the module
     * is present.
     */
    private static final class Probe {
        static final String DESCRIPTION = VectorLanes.describeSpecies();
        static final String REASON = probe();

        private static String probe() {
            try {
                int bits = VectorLanes.SPECIES.vectorBitSize();
                if (bits < 128) {
                    return "the float vector species has only " + bits + " bits (at least 128 are needed)";
                }
                return jitReason();
            } catch (RuntimeException | LinkageError e) {
                return "the Vector API failed to initialise: " + e;
            }
        }
    }

    /**
     * Why the JIT cannot compile the Vector API well (no C2, no FMA), or {@code null}. Uses only
     * {@code java.lang.management} and system properties directly; the HotSpot diagnostic bean is
     * consulted through {@link Diagnostics} when {@code jdk.management} is present.
     */
    static String jitReason() {
        String vmName = System.getProperty("java.vm.name", "");
        String vmInfo = System.getProperty("java.vm.info", "");
        if (vmInfo.contains("interpreted mode")) {
            return "the JVM runs in interpreted mode (-Xint): the Vector API needs the C2 JIT";
        }
        if (!vmName.contains("Server VM")) {
            return "the JVM '" + vmName + "' is not a HotSpot server VM with the C2 JIT";
        }
        List<String> args = inputArguments();
        for (String a : args) {
            if (a.equals("-Xint")) {
                return "the JVM runs with -Xint: the Vector API needs the C2 JIT";
            }
        }
        String tiered = Diagnostics.option("TieredCompilation");
        String stopAt = Diagnostics.option("TieredStopAtLevel");
        if (stopAt == null) {
            stopAt = lastArgumentValue(args, "-XX:TieredStopAtLevel=");
        }
        boolean tieredOn = tiered == null ? !args.contains("-XX:-TieredCompilation") : tiered.equals("true");
        if (tieredOn && stopAt != null) {
            try {
                if (Integer.parseInt(stopAt.trim()) < 4) {
                    return "-XX:TieredStopAtLevel=" + stopAt.trim() + " keeps the C2 JIT off";
                }
            } catch (NumberFormatException ignored) {
                // not a number: leave the decision to the other checks
            }
        }
        if ("true".equals(Diagnostics.option("UseJVMCICompiler"))) {
            return "the JIT is a JVMCI compiler (-XX:+UseJVMCICompiler), not C2";
        }
        String fma = Diagnostics.option("UseFMA");
        if (fma == null) {
            fma = args.contains("-XX:-UseFMA") ? "false" : null;
        }
        if ("false".equals(fma)) {
            return "fused multiply-add is not available (no FMA on this CPU, or -XX:-UseFMA)";
        }
        return null;
    }

    private static List<String> inputArguments() {
        try {
            return ManagementFactory.getRuntimeMXBean().getInputArguments();
        } catch (RuntimeException | LinkageError e) {
            return List.of();
        }
    }

    private static String lastArgumentValue(List<String> args, String prefix) {
        String value = null;
        for (String a : args) {
            if (a.startsWith(prefix)) {
                value = a.substring(prefix.length());
            }
        }
        return value;
    }

    /** The HotSpot diagnostic bean, when the {@code jdk.management} module is present. */
    private static final class Diagnostics {
        private static final boolean PRESENT = ModuleLayer.boot().findModule("jdk.management").isPresent();

        /** A VM option's value, or {@code null} when it or the bean is unavailable. */
        static String option(String name) {
            if (!PRESENT) {
                return null;
            }
            try {
                return Bean.get(name);
            } catch (RuntimeException | LinkageError e) {
                return null;
            }
        }
    }

    /** Holds the only reference to {@code com.sun.management}; loaded only when that module is there. */
    private static final class Bean {
        static String get(String name) {
            com.sun.management.HotSpotDiagnosticMXBean bean =
                    ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return bean == null ? null : bean.getVMOption(name).getValue();
        }
    }
}
