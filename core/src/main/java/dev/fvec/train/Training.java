package dev.fvec.train;

import dev.fvec.DiagonalGmm;
import dev.fvec.GmmStatistics;
import dev.fvec.Kernels;
import dev.fvec.spi.KernelProvider;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * One {@code fit} of a {@link GmmTrainer}: checks the values, starts EM ({@link Initialisation}),
 * then alternates E-steps and M-steps ({@link MStep}) until the stopping rule holds.
 */
final class Training {

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

    Training(GmmTrainer trainer, float[] x, int n, int d, GmmTrainer.EStep external, long total,
            double[] dataVariance) {
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
        requireValues();
        try (ParallelPasses passes = new ParallelPasses(x, n, d, t.threads)) {
            MStep mStep = dataVariance == null
                    ? new MStep(x, n, d, t.k, t.absoluteFloor, t.relativeFloor, passes, rnd)
                    : new MStep(x, n, d, t.k, t.absoluteFloor, t.relativeFloor, dataVariance, passes, rnd);
            Initialisation init = new Initialisation(x, n, d, t.k, rnd, passes, provider, mStep, t.progress,
                    this::elapsed);
            DiagonalGmm model = t.initialModel != null ? t.initialModel
                    : t.init == GmmTrainer.Init.RANDOM ? init.random() : init.kmeans(t.kmeansIterations);
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
        }
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
