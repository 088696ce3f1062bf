package dev.fvec;

import dev.fvec.internal.StatisticsBridge;
import java.util.Arrays;

/**
 * The sufficient statistics of a set of descriptors against a {@code K}-component,
 * {@code D}-dimensional model (SPEC.md, "Sufficient statistics"):
 *
 * <pre>
 *   N         number of descriptors
 *   S0[k]     = sum_n q_nk                 (K)
 *   S1[k*D+j] = sum_n q_nk * x_nj          (K x D, row-major)
 *   S2[k*D+j] = sum_n q_nk * x_nj^2        (K x D, row-major)
 * </pre>
 *
 * plus the number of {@code (n, k)} terms the sparsification kept and the total log-likelihood
 * {@code sum_n logsumexp_k log p_k(x_n)}. Everything is held in double precision.
 *
 * <p>Statistics are additive: {@link #merge(GmmStatistics)} of the statistics of two descriptor
 * sets equals the statistics of their union (up to summation order). So frames of a video or
 * tiles of an image can be accumulated separately, merged and encoded once.
 *
 * <p>The getters {@link #s0()}, {@link #s1()}, {@link #s2()} return copies; kernels and the
 * trainer write the live arrays through {@link dev.fvec.spi.StatisticsAccess}.
 *
 * <p>Mutable and not thread-safe: one instance per thread, merged afterwards.
 */
public final class GmmStatistics {

    static {
        StatisticsBridge.install(new StatisticsBridge() {
            @Override
            public double[] s0(GmmStatistics stats) {
                return stats.s0;
            }

            @Override
            public double[] s1(GmmStatistics stats) {
                return stats.s1;
            }

            @Override
            public double[] s2(GmmStatistics stats) {
                return stats.s2;
            }

            @Override
            public void addCounts(GmmStatistics stats, long descriptors, long keptTerms, double logLikelihood) {
                stats.addCounts(descriptors, keptTerms, logLikelihood);
            }
        });
    }

    private final int k;
    private final int d;
    private long count;
    private long keptTerms;
    private double logLikelihood;
    private final double[] s0;
    private final double[] s1;
    private final double[] s2;

    /** Empty statistics for {@code k} components in dimension {@code d}. */
    public GmmStatistics(int k, int d) {
        if (k < 1 || d < 1) {
            throw new IllegalArgumentException("statistics need K >= 1 and D >= 1, got K = " + k + ", D = " + d);
        }
        long kd = (long) k * d;
        if (kd > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("K * D = " + kd + " is too large for a Java array");
        }
        this.k = k;
        this.d = d;
        this.s0 = new double[k];
        this.s1 = new double[(int) kd];
        this.s2 = new double[(int) kd];
    }

    /** Empty statistics shaped for {@code model}. */
    public static GmmStatistics forModel(DiagonalGmm model) {
        return new GmmStatistics(model.components(), model.dimension());
    }

    /** @return {@code K}, the number of components */
    public int components() {
        return k;
    }

    /** @return {@code D}, the descriptor dimension */
    public int dimension() {
        return d;
    }

    /** {@code N}, the number of descriptors accumulated. */
    public long count() {
        return count;
    }

    /** How many {@code (n, k)} posterior terms were kept by the sparsification. */
    public long keptTerms() {
        return keptTerms;
    }

    /** {@code sum_n logsumexp_k log p_k(x_n)}, in nats. */
    public double logLikelihood() {
        return logLikelihood;
    }

    /**
     * A copy of {@code S0}.
     *
     * @return a new array of length {@code K}
     */
    public double[] s0() {
        return s0.clone();
    }

    /**
     * A copy of {@code S1}.
     *
     * @return a new array, {@code K x D} row-major: {@code S1[k * D + j]}
     */
    public double[] s1() {
        return s1.clone();
    }

    /**
     * A copy of {@code S2}.
     *
     * @return a new array, {@code K x D} row-major: {@code S2[k * D + j]}
     */
    public double[] s2() {
        return s2.clone();
    }

    private void addCounts(long descriptors, long kept, double logLikelihoodSum) {
        if (descriptors < 0 || kept < 0) {
            throw new IllegalArgumentException("counts must not be negative: descriptors = " + descriptors
                    + ", kept terms = " + kept);
        }
        this.count += descriptors;
        this.keptTerms += kept;
        this.logLikelihood += logLikelihoodSum;
    }

    /** Back to the empty state, keeping the arrays. */
    public void reset() {
        count = 0;
        keptTerms = 0;
        logLikelihood = 0;
        Arrays.fill(s0, 0);
        Arrays.fill(s1, 0);
        Arrays.fill(s2, 0);
    }

    /**
     * Adds {@code other} into this.
     *
     * @throws IllegalArgumentException if the shapes differ
     */
    public void merge(GmmStatistics other) {
        if (other.k != k || other.d != d) {
            throw new IllegalArgumentException("cannot merge statistics of K = " + other.k + ", D = " + other.d
                    + " into statistics of K = " + k + ", D = " + d);
        }
        count += other.count;
        keptTerms += other.keptTerms;
        logLikelihood += other.logLikelihood;
        for (int i = 0; i < s0.length; i++) {
            s0[i] += other.s0[i];
        }
        for (int i = 0; i < s1.length; i++) {
            s1[i] += other.s1[i];
            s2[i] += other.s2[i];
        }
    }

    /** A deep copy. */
    public GmmStatistics copy() {
        GmmStatistics c = new GmmStatistics(k, d);
        c.merge(this);
        return c;
    }

    @Override
    public String toString() {
        return "GmmStatistics[K=" + k + ", D=" + d + ", N=" + count + ", kept=" + keptTerms + "]";
    }
}
