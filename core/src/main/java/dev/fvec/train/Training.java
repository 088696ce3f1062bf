package dev.fvec.train;

import dev.fvec.DiagonalGmm;
import dev.fvec.GmmStatistics;
import dev.fvec.Kernels;
import dev.fvec.spi.KernelProvider;
import dev.fvec.spi.StatisticsKernel;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * One {@code fit} of a {@link GmmTrainer}: checks the values, starts EM ({@link Initialisation}),
 * then alternates E-steps and M-steps ({@link MStep}) until the stopping rule holds.
 */
final class Training {

    /** Kernel work ({@code N x K x D} terms) from which a fit starts the kernel's warm-up at once. */
    static final double WARM_UP_WORK = 0x1p33;

    private final GmmTrainer t;
    private final float[] x; // the data, or a sample of it when the E-step is external
    private final int n;
    private final int d;
    private final GmmTrainer.EStep external; // null: E-steps over x
    private final long total; // N of the mean log-likelihood
    private final double[] dataVariance; // null: computed from x
    private final long start = System.nanoTime();
    private final SplittableRandom rnd;
    private final KernelProvider provider;
    private final boolean valuesChecked; // the caller has checked x's values as requireValues does

    Training(GmmTrainer trainer, float[] x, int n, int d, GmmTrainer.EStep external, long total,
            double[] dataVariance, boolean valuesChecked) {
        this.valuesChecked = valuesChecked;
        this.t = trainer;
        this.x = x;
        this.n = n;
        this.d = d;
        this.external = external;
        this.total = total;
        this.dataVariance = dataVariance;
        this.rnd = new SplittableRandom(trainer.seed);
        this.provider = trainer.kernel != null ? trainer.kernel : Kernels.provider();
    }

    TrainingResult train() {
        if (!valuesChecked) {
            requireValues();
        }
        Thread primer = null;
        if (external == null && !startWarmUpIfWorthIt() && t.initialModel == null) {
            primer = startPriming();
        }
        try (ParallelPasses passes = new ParallelPasses(x, n, d, t.threads)) {
            MStep mStep = dataVariance == null
                    ? new MStep(x, n, d, t.k, t.absoluteFloor, t.relativeFloor, passes, rnd)
                    : new MStep(x, n, d, t.k, t.absoluteFloor, t.relativeFloor, dataVariance, passes, rnd);
            Initialisation init = new Initialisation(x, n, d, t.k, rnd, passes, mStep, t.progress,
                    this::elapsed);
            DiagonalGmm model = t.initialModel != null ? t.initialModel
                    : t.init == GmmTrainer.Init.RANDOM ? init.random() : init.kmeans(t.kmeansIterations);
            if (primer != null) {
                primer.interrupt(); // the E-steps need the cores now
            }
            double previous = Double.NaN;
            boolean previousReseeded = true; // nothing to compare the first iteration with
            boolean converged = false;
            int reseeded = 0;
            int iteration = 0;
            double meanLogLikelihood = Double.NaN;
            while (iteration < t.maxIterations) {
                iteration++;
                GmmStatistics stats = external != null ? external.statistics(model, GmmTrainer.E_STEP_SPARSITY)
                        : passes.statistics(provider, model, GmmTrainer.E_STEP_SPARSITY);
                meanLogLikelihood = stats.logLikelihood() / total;
                if (!Double.isFinite(meanLogLikelihood)) {
                    throw new IllegalStateException("the log-likelihood became " + meanLogLikelihood
                            + " at EM iteration " + iteration + " (kernel " + provider.name()
                            + "); the data may be too badly scaled for single precision");
                }
                if (t.progress != null) {
                    t.progress.onIteration(iteration, meanLogLikelihood, elapsed());
                }
                MStep.Result m = mStep.apply(stats);
                model = m.model;
                reseeded += m.reseeded;
                if (!previousReseeded && Math.abs(meanLogLikelihood - previous)
                        <= t.tolerance * Math.max(Math.abs(meanLogLikelihood), 1)) {
                    converged = true;
                    break;
                }
                previous = meanLogLikelihood;
                previousReseeded = m.reseeded > 0;
            }
            return new TrainingResult(model, iteration, meanLogLikelihood, converged, reseeded, elapsed());
        } finally {
            if (primer != null) {
                primer.interrupt(); // also when the initialisation or a pass failed
            }
        }
    }

    /**
     * Starts the kernel's warm-up ({@link KernelProvider#warmUp()}) on a daemon thread when this fit
     * is sure to do at least {@link #WARM_UP_WORK} terms ({@code N x K x D} per pass) of kernel
     * work: the EM iterations it cannot skip, 2 (the stopping rule cannot hold earlier), or, with a
     * tolerance of 0, all of them up to 10. A SIMD kernel serves its first calls on a slower scalar
     * twin (bitwise the same results) and starts its own warm-up after about that much twin work
     * (the rental rule: by then the twin's extra cost could have paid for it); a fit sure to get
     * there gains from starting it at once, beside the seeding. Counting every allowed iteration,
     * as this did when the Lloyd iterations were kernel passes too, started the warm-up (about 1.2 s
     * of CPU on one core) for fits that converge in a few iterations: the end-to-end benchmark's
     * K = 256, 100,000 x 64 job (3 iterations) took 2.7-2.9 s of process CPU on one core with it,
     * 1.6-1.7 s without; the same job forced through 10 iterations ({@code --tolerance 0}) took
     * 3.6-4.6 s with the early start, 4.2-4.8 s without (the kernel's own rule started it later).
     */
    private boolean startWarmUpIfWorthIt() {
        int passes = Math.min(t.maxIterations, t.tolerance == 0 ? 10 : 2);
        if ((double) n * t.k * d * passes < WARM_UP_WORK) {
            return false;
        }
        Thread warmUp = new Thread(() -> {
            try {
                provider.warmUp();
            } catch (RuntimeException e) {
                // Only a speed-up: the kernel serves correct results without it.
            }
        }, "fvec-train-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
        return true;
    }

    /** Rows per call of the priming thread: short calls, so that it stops soon after it is told to. */
    private static final int PRIMING_ROWS = 128;

    /**
     * With at least two processors, starts a daemon thread that runs the E-step's kernel code
     * ({@code accumulate} of the E-step's sparsity, on a kernel of its own with its own statistics)
     * over the data against a stand-in model (K rows of the data as means, unit variances, equal
     * weights) while the initialisation runs, until it is interrupted (when the initial model is
     * ready) or has covered half the data; so that the JIT has compiled the kernel's code before
     * the first E-step, which otherwise runs it in the interpreter and C1 first. Nothing it computes
     * is used: results do not depend on it (the kernels are deterministic and share no state).
     *
     * <p>Measured on the end-to-end benchmark's 12,000 x 64 set, K = 64, two threads, in fresh JVMs
     * on the 2-core machine under a load of about 12 (other jobs), 4 runs each: the seeding ended
     * 100-250 ms later (the primer competes with it), but the 5 EM iterations took 310-470 ms
     * instead of 680-1770 ms (the first E-step no longer runs the kernel uncompiled); the fit ended
     * at 0.69-0.99 s instead of 0.91-2.14 s, the model bitwise the same. Whole processes, 10 runs
     * each alternated: median 1.87 s against 1.94 s (the load made wall times noisy). On one
     * processor it would only compete with the seeding, so it is not started there.
     */
    private Thread startPriming() {
        if (Runtime.getRuntime().availableProcessors() < 2 || n < t.k) {
            return null;
        }
        Thread primer = new Thread(() -> {
            try {
                int k = t.k;
                float[] weights = new float[k];
                float[] means = new float[k * d];
                float[] variances = new float[k * d];
                java.util.Arrays.fill(weights, 1f / k);
                java.util.Arrays.fill(variances, 1f);
                float sum = 0;
                for (int c = 0; c < k; c++) {
                    System.arraycopy(x, (int) ((long) c * n / k) * d, means, c * d, d);
                    sum += weights[c];
                }
                weights[k - 1] += 1f - sum;
                DiagonalGmm stand = DiagonalGmm.of(k, d, weights, means, variances);
                StatisticsKernel kernel = provider.create(stand, GmmTrainer.E_STEP_SPARSITY);
                GmmStatistics stats = new GmmStatistics(k, d);
                for (int from = 0; from + PRIMING_ROWS <= n / 2 && !Thread.currentThread().isInterrupted();
                        from += PRIMING_ROWS) {
                    kernel.accumulate(x, from * d, PRIMING_ROWS, stats);
                }
            } catch (RuntimeException e) {
                // Only a head start for the JIT: the fit meets (and reports) any problem itself.
            }
        }, "fvec-train-priming");
        primer.setDaemon(true);
        primer.start();
        return primer;
    }

    private Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /**
     * Rejects NaN, infinities and values above {@link GmmTrainer#MAX_ABS_VALUE} in the {@code n x d}
     * rows of {@code x}, naming the first one.
     */
    private void requireValues() {
        int length = n * d;
        for (int i = 0; i < length; i++) {
            float v = x[i];
            // NaN fails both comparisons; infinities fail the bound.
            if (!(v >= -GmmTrainer.MAX_ABS_VALUE && v <= GmmTrainer.MAX_ABS_VALUE)) {
                throw new IllegalArgumentException("x[" + i + "] = " + v + " (descriptor " + i / d + ", dimension "
                        + i % d + "): every descriptor value must be finite"
                        + (Float.isFinite(v) ? " and of magnitude <= " + GmmTrainer.MAX_ABS_VALUE : ""));
            }
        }
    }
}
