package dev.fvec.train;

import dev.fvec.DiagonalGmm;
import dev.fvec.GmmStatistics;
import dev.fvec.Sparsity;
import dev.fvec.spi.KernelProvider;
import dev.fvec.spi.StatisticsAccess;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The EM starting point of one {@code fit} ({@link GmmTrainer.Init}).
 *
 * <p><b>k-means++</b>: greedy k-means++ seeding on a sample ({@link Seeding}; the best of up to 3
 * attempts where K is small enough for that to be cheap), then Lloyd
 * iterations on every descriptor, then one M-step from the final hard assignment (weights = cluster
 * sizes / N, variances = within-cluster variances, floored). A Lloyd iteration is a
 * hard-assignment E-step ({@link Sparsity#hard()}) of the same kernel EM uses, on a model whose
 * means are the centers, with equal weights and one variance {@code v} for every component and
 * dimension: then every component has the same log-normaliser, {@code log p_k(x)} is a constant
 * minus {@code |x - c_k|² / 2v}, the most likely component is the nearest center (ties: the lowest
 * index), and {@code S0}, {@code S1} are the cluster sizes and sums. So Lloyd runs on the SIMD
 * kernel and on every thread, with the E-step's order-fixed merging. Empty clusters are re-seeded
 * ({@link MStep#reseed}); the iterations stop early when no center moves.
 *
 * <p><b>random</b>: {@code K} distinct random descriptors as means, the data's floored variance,
 * equal weights.
 *
 * <p>All random choices come from the fit's one {@link SplittableRandom}.
 */
final class Initialisation {

    /** Progress reports of the seeding phase (about this many, plus the last). */
    private static final int SEEDING_REPORTS = 8;

    private final float[] x;
    private final int n;
    private final int d;
    private final int k;
    private final SplittableRandom rnd;
    private final ParallelPasses passes;
    private final KernelProvider provider;
    private final MStep mStep;
    private final ProgressListener progress; // may be null
    private final Supplier<Duration> elapsed;

    Initialisation(float[] x, int n, int d, int k, SplittableRandom rnd, ParallelPasses passes,
            KernelProvider provider, MStep mStep, ProgressListener progress, Supplier<Duration> elapsed) {
        this.x = x;
        this.n = n;
        this.d = d;
        this.k = k;
        this.rnd = rnd;
        this.passes = passes;
        this.provider = provider;
        this.mStep = mStep;
        this.progress = progress;
        this.elapsed = elapsed;
    }

    /** {@code K} distinct random descriptors as means. */
    DiagonalGmm random() {
        float[] means = new float[k * d];
        Set<Integer> chosen = new HashSet<>();
        int c = 0;
        while (c < k) {
            int row = rnd.nextInt(n);
            if (chosen.add(row)) {
                System.arraycopy(x, row * d, means, c * d, d);
                c++;
            }
        }
        return mStep.spreadModel(means);
    }

    /** k-means++ seeding, at most {@code lloydIterations} Lloyd iterations, one M-step. */
    DiagonalGmm kmeans(int lloydIterations) {
        float[] centers = seed();
        // Any positive v gives the nearest-center assignment; the data's mean variance keeps the
        // kernel's quadratic terms of order 1.
        double v = mStep.meanDataVariance();
        GmmStatistics stats;
        for (int iteration = 0; ; iteration++) {
            stats = passes.statistics(provider, lloydModel(centers, k, d, v), Sparsity.hard());
            if (iteration == lloydIterations) {
                break;
            }
            float[] next = lloydUpdate(stats);
            report("k-means", iteration + 1, lloydIterations);
            if (Arrays.equals(next, centers)) {
                break; // assignments stable
            }
            centers = next;
        }
        return mStep.apply(stats).model;
    }

    /**
     * The model whose hard assignment is the nearest of the {@code K x D} {@code centers}: equal
     * weights, every variance {@code v} (1 when {@code v} is not a normal float).
     */
    static DiagonalGmm lloydModel(float[] centers, int k, int d, double v) {
        float[] weights = new float[k];
        Arrays.fill(weights, 1f / k);
        float[] variances = new float[k * d];
        float fv = (float) v;
        Arrays.fill(variances, fv >= Float.MIN_NORMAL && fv < Float.MAX_VALUE ? fv : 1f);
        return DiagonalGmm.of(k, d, weights, centers, variances);
    }

    /**
     * The initial centers, {@code K x D}: greedy k-means++ on a sample, the attempt with the lowest
     * potential on the sample kept ({@link Seeding#attempts}).
     */
    private float[] seed() {
        float[] centers = new float[k * d];
        Seeding seeding = new Seeding(x, n, d, k, Seeding.initialSampleSize(k), passes, rnd);
        int[] all = new int[k];
        for (int c = 0; c < k; c++) {
            all[c] = c;
        }
        int attempts = Seeding.attempts(seeding.size(), k);
        int total = attempts * k;
        int step = Math.max(1, (total + SEEDING_REPORTS - 1) / SEEDING_REPORTS);
        float[] attempt = attempts == 1 ? centers : new float[k * d];
        double best = Double.POSITIVE_INFINITY;
        for (int a = 0; a < attempts; a++) {
            int before = a * k;
            double potential = seeding.place(attempt, new int[0], all, placed -> {
                int done = before + placed;
                if (done % step == 0 || done == total) {
                    report("k-means++ seeding", done, total);
                }
            });
            if (potential < best) {
                best = potential;
                if (attempt != centers) {
                    System.arraycopy(attempt, 0, centers, 0, centers.length);
                }
            }
        }
        return centers;
    }

    /** New centers: the mean of each cluster; empty clusters re-seeded. */
    private float[] lloydUpdate(GmmStatistics stats) {
        double[] s0 = StatisticsAccess.s0(stats);
        double[] s1 = StatisticsAccess.s1(stats);
        float[] next = new float[k * d];
        int[] kept = new int[k];
        int[] empty = new int[k];
        int keptCount = 0;
        int emptyCount = 0;
        for (int c = 0; c < k; c++) {
            if (s0[c] > 0) {
                kept[keptCount++] = c;
                for (int j = 0; j < d; j++) {
                    next[c * d + j] = (float) (s1[c * d + j] / s0[c]);
                }
            } else {
                empty[emptyCount++] = c;
            }
        }
        if (emptyCount > 0) {
            mStep.reseed(next, Arrays.copyOf(kept, keptCount), Arrays.copyOf(empty, emptyCount));
        }
        return next;
    }

    private void report(String phase, int done, int total) {
        if (progress != null) {
            progress.onInitialisation(phase, done, total, elapsed.get());
        }
    }
}
