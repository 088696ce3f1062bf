package dev.fvec;

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
 * <p>Mutable and not thread-safe: one instance per thread, merged afterwards.
 */
public final class GmmStatistics {

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

    public int components() {
        return k;
    }

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
     * The live {@code S0} array (length {@code K}). Writing to it changes these statistics; it is
     * exposed for kernels and M-steps, which must not keep it beyond one call.
     */
    public double[] s0() {
        return s0;
    }

    /** The live {@code S1} array ({@code K x D}, row-major); see {@link #s0()}. */
    public double[] s1() {
        return s1;
    }

    /** The live {@code S2} array ({@code K x D}, row-major); see {@link #s0()}. */
    public double[] s2() {
        return s2;
    }

    /** Adds to the scalar counters; kernels call this once per block. */
    public void addCounts(long descriptors, long kept, double logLikelihoodSum) {
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
