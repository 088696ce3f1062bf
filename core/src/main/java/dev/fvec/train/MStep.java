package dev.fvec.train;

import dev.fvec.DiagonalGmm;
import dev.fvec.GmmStatistics;
import dev.fvec.spi.StatisticsAccess;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The M-step of one {@code fit} (SPEC.md, "EM training of the GMM"), in double:
 * {@code w_k = S0_k / sum_j S0_j} (SPEC's {@code S0_k / N} up to the mass the E-step dropped),
 * {@code mu_k = S1_k / S0_k}, {@code var_kd = max(S2_kd / S0_k - mu_kd^2, floor_d)} with
 * {@code floor_d = max(absolute floor, relative floor * var(x_d))}, {@code var(x_d)} being the
 * data's variance in dimension {@code d}.
 *
 * <p>A component with {@code S0_k <} {@link GmmTrainer#COLLAPSE_MASS} is not divided by its tiny
 * mass: it is re-seeded ({@link #reseed}) at a sampled descriptor chosen as greedy k-means++
 * would, given the surviving means, with the data's floored variance and weight {@code 1/K}; the
 * other weights are scaled to make room. The Lloyd iterations re-seed their empty clusters the same
 * way. Every value produced is checked again by {@link DiagonalGmm#of}, so parameters are never
 * NaN.
 */
final class MStep {

    /** A model and how many of its components were re-seeded. */
    static final class Result {
        final DiagonalGmm model;
        final int reseeded;

        Result(DiagonalGmm model, int reseeded) {
            this.model = model;
            this.reseeded = reseeded;
        }
    }

    private final float[] x;
    private final int n;
    private final int d;
    private final int k;
    private final double[] dataVariance; // per dimension
    private final double[] floor; // per dimension
    private final ParallelPasses passes;
    private final SplittableRandom rnd;
    private Seeding reseeding; // made on first use: most fits never need it

    /** Computes the data's per-dimension variance (two passes, in double) and the floors. */
    MStep(float[] x, int n, int d, int k, double absoluteFloor, double relativeFloor, ParallelPasses passes,
            SplittableRandom rnd) {
        this(x, n, d, k, absoluteFloor, relativeFloor, variance(x, n, d), passes, rnd);
    }

    /**
     * With the data's per-dimension variance given ({@code dataVariance}, kept): for data held
     * elsewhere, where {@code x} is a sample used only for re-seeding.
     */
    MStep(float[] x, int n, int d, int k, double absoluteFloor, double relativeFloor, double[] dataVariance,
            ParallelPasses passes, SplittableRandom rnd) {
        this.x = x;
        this.n = n;
        this.d = d;
        this.k = k;
        this.passes = passes;
        this.rnd = rnd;
        this.dataVariance = dataVariance;
        floor = new double[d];
        for (int j = 0; j < d; j++) {
            floor[j] = Math.max(absoluteFloor, relativeFloor * dataVariance[j]);
        }
    }

    /** Each dimension's variance {@code sum (x - mean)^2 / n}, two passes in double. */
    static double[] variance(float[] x, int n, int d) {
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            int row = i * d;
            for (int j = 0; j < d; j++) {
                mean[j] += x[row + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        double[] variance = new double[d];
        for (int i = 0; i < n; i++) {
            int row = i * d;
            for (int j = 0; j < d; j++) {
                double diff = x[row + j] - mean[j];
                variance[j] += diff * diff;
            }
        }
        for (int j = 0; j < d; j++) {
            variance[j] /= n;
        }
        return variance;
    }

    /** The data's variance averaged over the dimensions. */
    double meanDataVariance() {
        double mean = 0;
        for (int j = 0; j < d; j++) {
            mean += dataVariance[j] / d;
        }
        return mean;
    }

    /** The data's variance in dimension {@code j}, floored. */
    float flooredDataVariance(int j) {
        return (float) Math.max(dataVariance[j], floor[j]);
    }

    /** Equal weights, the data's floored variance, the given {@code K x D} means. */
    DiagonalGmm spreadModel(float[] means) {
        float[] weights = new float[k];
        Arrays.fill(weights, 1f / k);
        float[] variances = new float[k * d];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                variances[c * d + j] = flooredDataVariance(j);
            }
        }
        return DiagonalGmm.of(k, d, weights, means, variances);
    }

    /** The model the statistics {@code stats} give, collapsed components re-seeded. */
    Result apply(GmmStatistics stats) {
        double[] s0 = StatisticsAccess.s0(stats);
        double[] s1 = StatisticsAccess.s1(stats);
        double[] s2 = StatisticsAccess.s2(stats);
        float[] means = new float[k * d];
        float[] variances = new float[k * d];
        int[] kept = new int[k];
        int[] collapsed = new int[k];
        int keptCount = 0;
        int collapsedCount = 0;
        double keptMass = 0;
        for (int c = 0; c < k; c++) {
            if (!(s0[c] >= GmmTrainer.COLLAPSE_MASS)) {
                collapsed[collapsedCount++] = c;
                continue;
            }
            kept[keptCount++] = c;
            keptMass += s0[c];
            for (int j = 0; j < d; j++) {
                int i = c * d + j;
                double mu = s1[i] / s0[c];
                double var = s2[i] / s0[c] - mu * mu;
                means[i] = (float) mu;
                variances[i] = (float) Math.max(var, floor[j]);
            }
        }
        // Some component is kept: sum S0 ~ N >= K, so some S0_k >= N/K >= 1.
        double keptShare = 1.0 - (double) collapsedCount / k;
        float[] weights = new float[k];
        for (int i = 0; i < keptCount; i++) {
            int c = kept[i];
            weights[c] = (float) (s0[c] / keptMass * keptShare);
        }
        if (collapsedCount > 0) {
            reseed(means, Arrays.copyOf(kept, keptCount), Arrays.copyOf(collapsed, collapsedCount));
            for (int i = 0; i < collapsedCount; i++) {
                int c = collapsed[i];
                weights[c] = 1f / k;
                for (int j = 0; j < d; j++) {
                    variances[c * d + j] = flooredDataVariance(j);
                }
            }
        }
        return new Result(DiagonalGmm.of(k, d, weights, means, variances), collapsedCount);
    }

    /**
     * Sets rows {@code targets} of the {@code K x D} {@code centers} by greedy k-means++ given the
     * rows {@code existing}, on a sample of {@link Seeding#RESEED_SAMPLE} descriptors drawn on
     * first use.
     */
    void reseed(float[] centers, int[] existing, int[] targets) {
        if (reseeding == null) {
            reseeding = new Seeding(x, n, d, k, Seeding.RESEED_SAMPLE, passes, rnd);
        }
        reseeding.place(centers, existing, targets, null);
    }
}
