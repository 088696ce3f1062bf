package dev.fvec.simd;

import dev.fvec.DiagonalGmm;
import dev.fvec.FisherEncoder;
import dev.fvec.FisherForm;
import dev.fvec.Sparsity;
import dev.fvec.spi.KernelProvider;
import dev.fvec.spi.StatisticsKernel;
import java.util.SplittableRandom;

/**
 * Gets the Vector API lanes compiled before they serve calls, and says when they are.
 *
 * <h2>Why</h2>
 * Uncompiled Vector API code is very slow (the interpreter and C1 run each vector operation as a
 * Java loop over lanes, allocating): a fresh JVM's first encode of 1000 x 64 descriptors against
 * K = 256 took about 1.2 s on the vector lanes, against about 1.5 ms once C2 has compiled them.
 * Plain float array code, as in the scalar twin ({@link ScalarLanes}), is fast in C1 and C2 alike.
 * So {@link SimdKernel#auto} kernels run on the twin until this class reports the vector lanes
 * warm, then switch. Twin and vector lanes give bitwise the same results, so no output depends on
 * when the switch happens.
 *
 * <h2>How</h2>
 * A warm-up runs the vector kernel, through {@link FisherEncoder} (so the encoder's own code is
 * compiled too), on a small synthetic model and a few descriptors, in every sparsity mode, round
 * after round, timing each round (thread CPU time) against the same round on the twin. The vector
 * lanes are warm once a vector round takes at most twice the twin's, twice in a row (uncompiled
 * Vector API code takes 4-300x the twin's time; compiled, about as long at this tiny shape), then a
 * few longer calls settle the paths short calls never take. A warm-up that spends its budget
 * ({@link #BUDGET_NANOS} of its thread's CPU time) first leaves the vector lanes off. The first
 * {@link SimdKernel#auto} kernel starts it on a daemon thread; {@link SimdKernelProvider#warmUp()}
 * runs it (or waits for it) in the caller's thread.
 */
final class VectorWarmUp {

    /** The warm-up's budget of its thread's CPU time; past it, the vector lanes stay off (the twin serves). */
    static final long BUDGET_NANOS = 800_000_000L;
    private static final int CALLS_PER_ROUND = 20;

    /** {@code fvec.simd.warmup}: {@code background} (default), {@code off} (the twin serves for ever), {@code none} (vector lanes from the first call). */
    static final String MODE = System.getProperty("fvec.simd.warmup", "background");

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
    private static final boolean DEBUG = Boolean.getBoolean("fvec.simd.warmup.debug");
    private static volatile boolean warm = MODE.equals("none");
    private static volatile boolean started;
    private static volatile long nextStart = 1L << 33; // TWIN_WORK_BEFORE_WARM_UP, then doubled after a failed attempt
    /** Descriptor x component x dimension terms the twin has computed in auto kernels, roughly. */
    private static final java.util.concurrent.atomic.AtomicLong TWIN_WORK = new java.util.concurrent.atomic.AtomicLong();
    /**
     * Terms (descriptors x Kpad x D) the twin computes before the background warm-up starts: about
     * 2-3 s of twin CPU time, roughly twice what the warm-up itself costs (its thread and C2's).
     * Measured on the 2-core Zen 5 machine: the twin takes ~2 ms of CPU per encode of 1000 x 64
     * against K = 256 (16.4M terms), the vector lanes ~1 ms, and the warm-up ~1-1.5 s of CPU in
     * all. Starting it at once made `fvec encode` of 300 such files cost 3.3 s of CPU instead of
     * 1.8 s; starting it after this much work bounds the overhead for any job length (the rental
     * argument: the warm-up is bought once the twin's extra cost could have paid for it), and a
     * short job never pays for it. Services that want the vector lanes at once call
     * {@link SimdKernelProvider#warmUp()}.
     */
    static final long TWIN_WORK_BEFORE_WARM_UP = 1L << 33;
    private static final Object LOCK = new Object();

    /** Statistics of the last warm-up, for the harnesses: rounds run and nanoseconds spent. */
    static volatile int rounds;
    static volatile long spentNanos;

    private VectorWarmUp() {
    }

    /** Whether {@link SimdKernel#auto} kernels run on the vector lanes. */
    static boolean isWarm() {
        return warm;
    }

    /**
     * Called by an auto kernel when it is created (work 0) and after each call served by the twin
     * ({@code work} = descriptors x Kpad x D): starts the warm-up on a daemon thread after
     * {@link #TWIN_WORK_BEFORE_WARM_UP} terms. A warm-up that runs out of budget (the JIT's queue
     * was long, the machine busy) is tried again after twice as much twin work in all.
     */
    static void twinWorked(long work) {
        if (warm || started || !MODE.equals("background")) {
            return;
        }
        if (TWIN_WORK.addAndGet(work) < nextStart) {
            return;
        }
        synchronized (VectorWarmUp.class) {
            if (started) {
                return;
            }
            started = true;
        }
        Thread t = new Thread(() -> {
            ensureWarm();
            if (!warm) {
                nextStart = 2 * Math.max(TWIN_WORK.get(), nextStart);
                started = false;
            }
        }, "fvec-simd-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Runs the warm-up in this thread unless the lanes are warm; waits if another thread is running
     * it. Returns when the lanes are warm or the warm-up has spent its budget.
     */
    static void ensureWarm() {
        if (warm) {
            return;
        }
        synchronized (LOCK) {
            if (!warm) {
                // Out of budget, the vector lanes stay off: uncompiled, they would be far slower than the twin.
                warm = run();
            }
        }
    }

    /** Runs warm-up rounds; true when the vector lanes proved compiled within the budget. */
    private static boolean run() {
        // Small, so that each uncompiled call is cheap, yet taking every branch real calls take, so
        // that C2's code does not hit an untaken path (an uncommon trap, back to the slow uncompiled
        // code) on the first real call: groups of components near the descriptors (candidates), at
        // about 30 nats (live: exp is not 0, but no posterior reaches t), far (not live), near again,
        // and a K tail; a D tail at every width; two blocks and a tail descriptor; descriptors nearest
        // to different groups (hard assignment's search goes past group 0).
        int lanes = VectorLanes.LANES;
        int k = 4 * lanes + 3;
        int d = 24;
        int n = 9;
        double[] offsets = {0, 1.6, 60, 0, 0};
        SplittableRandom rnd = new SplittableRandom(12345);
        float[] w = new float[k];
        float[] mu = new float[k * d];
        float[] var = new float[k * d];
        for (int c = 0; c < k; c++) {
            w[c] = 1f / k;
            double offset = offsets[c / lanes];
            for (int j = 0; j < d; j++) {
                mu[c * d + j] = (float) (offset == 0 ? rnd.nextDouble(-2, 2) : offset + rnd.nextDouble(-0.1, 0.1));
                var[c * d + j] = (float) (offset == 0 ? rnd.nextDouble(0.5, 1.5) : 1);
            }
        }
        float sum = 0;
        for (float v : w) {
            sum += v;
        }
        w[k - 1] += 1f - sum;
        DiagonalGmm model = DiagonalGmm.of(w, mu, var);
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            int c = i % 2 == 0 ? i % lanes : i % 3 == 0 ? 3 * lanes + i % lanes : 4 * lanes + i % 3; // near groups 0, 3, the tail
            for (int j = 0; j < d; j++) {
                x[i * d + j] = mu[c * d + j] + (float) rnd.nextDouble(-0.5, 0.5);
            }
        }
        FisherEncoder[] vector = encoders(model, false);
        FisherEncoder[] twin = encoders(model, true);
        float[] out = new float[FisherForm.GIST.length(k, d)];
        long start = cpuNanos();
        int fastRounds = 0;
        int r = 0;
        while (fastRounds < 2 && cpuNanos() - start < BUDGET_NANOS) {
            long v = round(vector, x, n, out);
            long s = round(twin, x, n, out);
            fastRounds = r >= 2 && v <= 2 * s ? fastRounds + 1 : 0;
            if (DEBUG) {
                System.err.printf("fvec warm-up round %d: vector %.3f ms, twin %.3f ms (CPU)%n", r, v / 1e6, s / 1e6);
            }
            r++;
        }
        boolean compiled = fastRounds >= 2;
        if (compiled) {
            settle(model, d);
        }
        rounds = r;
        spentNanos = cpuNanos() - start;
        return compiled;
    }

    /**
     * A few longer calls on the compiled vector lanes, through an auto kernel's path: a batch that
     * fills mid-call and windows that flush mid-batch, which the short rounds never reach, so the
     * first real call does not meet them uncompiled.
     */
    private static void settle(DiagonalGmm model, int d) {
        int n = 2 * KeptTerms.BATCH_DESCRIPTORS + 7;
        SplittableRandom rnd = new SplittableRandom(54321);
        float[] x = new float[n * d];
        float[] mu = model.means();
        int k = model.components();
        for (int i = 0; i < n; i++) {
            int c = rnd.nextInt(k);
            for (int j = 0; j < d; j++) {
                x[i * d + j] = mu[c * d + j] + (float) rnd.nextDouble(-1, 1);
            }
        }
        FisherEncoder[] vector = encoders(model, false);
        float[] out = new float[FisherForm.GIST.length(k, d)];
        for (int i = 0; i < SETTLING_CALLS; i++) {
            vector[i % vector.length].encode(x, 0, n, out, 0);
        }
    }

    private static final int SETTLING_CALLS = 40;

    private static long round(FisherEncoder[] encoders, float[] x, int n, float[] out) {
        long t0 = cpuNanos();
        for (int i = 0; i < CALLS_PER_ROUND; i++) {
            encoders[i % encoders.length].encode(x, 0, n, out, 0);
        }
        return cpuNanos() - t0;
    }

    /** This thread's CPU time: the machine's other load does not count against the budget or the timings. */
    private static long cpuNanos() {
        return THREADS.getCurrentThreadCpuTime();
    }

    /** One encoder per sparsity mode (and each form), on fixed lanes. */
    private static FisherEncoder[] encoders(DiagonalGmm model, boolean twin) {
        KernelProvider p = new KernelProvider() {
            @Override
            public String name() {
                return "simd";
            }

            @Override
            public String unavailableReason() {
                return null;
            }

            @Override
            public StatisticsKernel create(DiagonalGmm m, Sparsity s) {
                return twin ? SimdKernel.twin(m, s) : SimdKernel.vector(m, s);
            }
        };
        return new FisherEncoder[] {
            FisherEncoder.builder(model).kernel(p).form(FisherForm.VLFEAT).improved().sparsity(Sparsity.threshold(1e-6)).build(),
            FisherEncoder.builder(model).kernel(p).form(FisherForm.GIST).sparsity(Sparsity.none()).build(),
            FisherEncoder.builder(model).kernel(p).form(FisherForm.SKIMAGE).improved().sparsity(Sparsity.hard()).build(),
            FisherEncoder.builder(model).kernel(p).form(FisherForm.VLFEAT).improved().sparsity(Sparsity.threshold(1e-4)).build(),
        };
    }
}
