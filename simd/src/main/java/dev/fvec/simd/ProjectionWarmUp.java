package dev.fvec.simd;

import dev.fvec.Projection;
import java.util.SplittableRandom;

/**
 * Gets {@link SimdProjection}'s vector path compiled before it serves calls, and says when it is.
 *
 * <p>Why: as for the kernel's lanes ({@link VectorWarmUp}), uncompiled Vector API code is 100x
 * slower than the plain float twin, while C2's code is about 10x faster. So
 * {@link SimdProjection.Mode#AUTO} projections run the twin until this class reports the vector
 * path compiled. Both paths give bitwise the same floats, so no output depends on when the switch
 * happens.
 *
 * <p>When: on a daemon thread, once auto projections have computed
 * {@link #TWIN_WORK_BEFORE_WARM_UP} multiply-adds on the twin (about a third of a second of twin
 * time), so that a short job never pays for it and a long one does once the twin's extra cost could
 * have paid for it (the kernel's own warm-up follows the same rule). It costs 0.14 to 0.2 s of its
 * thread's CPU time (0.6 to 0.9 s of wall time) on the 2-core Zen 5 machine under load, measured
 * after the kernel's warm-up; that is why {@link SimdKernelProvider#warmUp()}, which every service
 * may call, does not run it: models without a projection never need it. {@code -Dfvec.simd.warmup}
 * applies as to the kernel: {@code none} runs the vector path from the first call, {@code off}
 * keeps the twin.
 *
 * <p>How: calls on a synthetic projection whose shape takes every branch of the vector path (a
 * group of 4 vectors, single vectors and scalar tail columns; groups of 4 descriptors and single
 * ones), until a round of calls allocates nothing (uncompiled Vector API code boxes every vector,
 * C2's code does not), or, where the JDK cannot count allocations, until the vector path is no
 * slower than the twin twice running; at most {@link #BUDGET_NANOS} of the thread's CPU time, or
 * up to 3x that while the rounds still allocate less than before (C2 compiling the vector path
 * piece by piece), as the kernel's warm-up does: on a slower VM (JVM start 3x the usual) a cold
 * JVM's warm-up here took 568-629 ms of the 600 ms budget (5 JVMs).
 */
final class ProjectionWarmUp {

    /** The warm-up's budget of its thread's CPU time; past it, the twin keeps serving. */
    static final long BUDGET_NANOS = 600_000_000L;
    private static final int CALLS = 20;

    private static volatile boolean warm = VectorWarmUp.MODE.equals("none");
    private static final Object LOCK = new Object();
    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    private ProjectionWarmUp() {
    }

    /** Whether {@link SimdProjection.Mode#AUTO} projections run on the vector path. */
    static boolean isWarm() {
        return warm;
    }

    /**
     * Multiply-adds the twin computes before the background warm-up starts: about 0.3 s of twin time
     * (1.2 ms per 1000 descriptors of 128 -> 64, 8.2M multiply-adds, on the 2-core Zen 5 machine),
     * about what the warm-up itself costs.
     */
    static final long TWIN_WORK_BEFORE_WARM_UP = 1L << 31;
    private static final WarmUpTrigger TRIGGER = new WarmUpTrigger(TWIN_WORK_BEFORE_WARM_UP,
            "fvec-simd-projection-warm-up", () -> {
                ensureWarm();
                return warm;
            });

    /**
     * Called after each twin call of an auto projection with its multiply-adds: starts the background
     * warm-up after {@link #TWIN_WORK_BEFORE_WARM_UP} in all.
     */
    static void twinWorked(long work) {
        if (!warm) {
            TRIGGER.twinWorked(work);
        }
    }

    /** Runs the warm-up in this thread unless the vector path is warm; waits if another thread runs it. */
    static void ensureWarm() {
        if (warm || VectorWarmUp.MODE.equals("off")) {
            return;
        }
        synchronized (LOCK) {
            if (!warm) {
                warm = run();
            }
        }
    }

    /** A projection from 96 dimensions to {@code 5 LANES + 1}: a 4-vector group, a single vector, a tail column. */
    static Projection syntheticProjection() {
        int din = 96;
        int d = Math.min(din, 5 * SimdProjection.LANES + 1);
        SplittableRandom rnd = new SplittableRandom(7);
        float[] mean = new float[din];
        float[] components = new float[d * din];
        float[] variance = new float[d];
        for (int i = 0; i < din; i++) {
            mean[i] = (float) rnd.nextDouble(0, 50);
        }
        for (int i = 0; i < components.length; i++) {
            components[i] = (float) rnd.nextDouble(-0.2, 0.2);
        }
        for (int j = 0; j < d; j++) {
            variance[j] = (float) rnd.nextDouble(1, 100);
        }
        return Projection.of(din, d, mean, components, variance, true);
    }

    private static boolean run() {
        Projection p = syntheticProjection();
        SimdProjection vector = new SimdProjection(p, SimdProjection.Mode.VECTOR);
        SimdProjection twin = new SimdProjection(p, SimdProjection.Mode.TWIN);
        int n = 2 * SimdProjection.ROWS + 3;
        float[] x = new float[n * p.inputDimension()];
        SplittableRandom rnd = new SplittableRandom(11);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextDouble(0, 100);
        }
        float[] y = new float[n * p.outputDimension()];
        long start = cpuNanos();
        long probe = probeBytes();
        int fastRounds = 0;
        boolean progressing = false;
        long fewestBytes = Long.MAX_VALUE;
        int fewestAt = 0;
        for (int r = 0; VectorWarmUp.withinBudget(cpuNanos() - start, BUDGET_NANOS, progressing); r++) {
            long a0 = allocatedBytes();
            long t0 = cpuNanos();
            for (int c = 0; c < CALLS; c++) {
                vector.vector(x, 0, n, y);
            }
            long t1 = cpuNanos();
            long a1 = allocatedBytes();
            if (a0 >= 0) {
                long bytes = a1 - a0 - probe;
                if (bytes <= 0) {
                    return true;
                }
                if (bytes < fewestBytes) {
                    fewestBytes = bytes;
                    fewestAt = r;
                }
                progressing = r - fewestAt < VectorWarmUp.PROGRESS_ROUNDS;
            } else {
                long t2 = cpuNanos();
                for (int c = 0; c < CALLS; c++) {
                    twin.twin(x, 0, n, y);
                }
                long tw = cpuNanos() - t2;
                fastRounds = t1 - t0 <= tw ? fastRounds + 1 : 0;
                if (fastRounds >= 2) {
                    return true;
                }
            }
        }
        return false;
    }

    private static long cpuNanos() {
        return THREADS.getCurrentThreadCpuTime();
    }

    private static long probeBytes() {
        long a = allocatedBytes();
        long b = allocatedBytes();
        return b - a;
    }

    /** Bytes this thread has allocated, or -1 where the JDK cannot tell. */
    private static long allocatedBytes() {
        return Allocations.PRESENT ? Allocations.bytes() : -1;
    }

    /** Holds the only reference to {@code com.sun.management}; loaded only when that module is there. */
    private static final class Allocations {
        static final boolean PRESENT = ModuleLayer.boot().findModule("jdk.management").isPresent() && supported();

        private static boolean supported() {
            try {
                return THREADS instanceof com.sun.management.ThreadMXBean t && t.isThreadAllocatedMemorySupported()
                        && t.isThreadAllocatedMemoryEnabled();
            } catch (LinkageError e) {
                return false;
            }
        }

        static long bytes() {
            return ((com.sun.management.ThreadMXBean) THREADS).getThreadAllocatedBytes(Thread.currentThread().getId());
        }
    }
}
