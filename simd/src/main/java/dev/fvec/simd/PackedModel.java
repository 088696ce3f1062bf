package dev.fvec.simd;

import dev.fvec.DiagonalGmm;
import java.util.Arrays;

/**
 * The model in float, laid out for the kernel: transposed for the log-likelihoods (lanes over
 * components), row-major for the statistics (lanes over dimensions).
 *
 * <ul>
 *   <li>{@link #groups}: per group of {@code lanes} components, a contiguous strip of {@code D}
 *       pairs of lane rows ({@code mu_kj} of the group's components, then {@code 1 / (2 var_kj)}),
 *       so one vector holds {@code log p} of {@code lanes} components, the {@code K x D} loop needs
 *       no horizontal reduction and streams through memory.</li>
 *   <li>{@code K} is padded to {@link #kpad}, a multiple of the lane count, with components whose
 *       log-normaliser is {@code -inf} (mean 0, inverse variance 0): they never win the max and
 *       their posterior is exactly 0, with no masked loads (slow on JDK 17).</li>
 *   <li>Log-normalisers are stored relative to the largest one ({@link #maxLogNorm}, added back in
 *       double to the log-likelihood), so the float values stay small.</li>
 *   <li>{@link #muRows}: the means, {@code K} rows of {@code Dpad}, zero-padded, for the centred statistics.</li>
 *   <li>{@link #meanRows}, {@link #halfInverseVarianceRows}: the same means and inverse variances, dimension-major.</li>
 * </ul>
 * Immutable after construction; the arrays are package-private so tests can break them on purpose.
 */
final class PackedModel {

    /** Largest |x| and |mu| handled in float: (2^60)^2 * 128 terms still fits in a float. */
    static final float VALUE_LIMIT = 0x1p59f;

    final int k;
    final int d;
    final int lanes;
    final int kpad;
    final int dpad;
    /** (Kpad / lanes) x D x 2 x lanes: means, then 1 / (2 var), per group of components. */
    final float[] groups;
    /**
     * D rows of Kpad: per dimension, the means of all components, and their 1 / (2 var): the same
     * values as {@link #groups}, dimension-major, for the scalar twin's long inner loops. One array
     * per row, because C2 (17 and 25) does not vectorise a loop that indexes an array at
     * {@code invariant + c}.
     */
    final float[][] meanRows;
    final float[][] halfInverseVarianceRows;
    /** Kpad: log-normaliser minus {@link #maxLogNorm}; {@code -inf} for padding. */
    final float[] logNorm;
    final double maxLogNorm;
    /** K rows of Dpad: the means, zero tails. */
    final float[][] muRows;
    /**
     * False when float cannot hold the model (an inverse variance outside the normal float range,
     * a mean beyond {@link #VALUE_LIMIT}): then the scalar reference computes everything.
     */
    final boolean floatCanHold;

    PackedModel(DiagonalGmm model, int lanes) {
        this.k = model.components();
        this.d = model.dimension();
        this.lanes = lanes;
        this.kpad = roundUp(k, lanes);
        this.dpad = roundUp(d, lanes);
        float[] means = model.means();
        float[] vars = model.variances();
        this.groups = new float[2 * d * kpad];
        this.meanRows = new float[d][kpad];
        this.halfInverseVarianceRows = new float[d][kpad];
        this.logNorm = new float[kpad];
        this.muRows = new float[k][dpad];
        double maxLn = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            maxLn = Math.max(maxLn, model.logNormalizer(c));
        }
        this.maxLogNorm = maxLn;
        boolean representable = Double.isFinite(maxLn);
        Arrays.fill(logNorm, Float.NEGATIVE_INFINITY);
        for (int c = 0; c < k; c++) {
            logNorm[c] = (float) (model.logNormalizer(c) - maxLn);
            for (int j = 0; j < d; j++) {
                float mu = means[c * d + j];
                float h = (float) (0.5 / vars[c * d + j]);
                representable &= Math.abs(mu) <= VALUE_LIMIT && h >= Float.MIN_NORMAL && h <= Float.MAX_VALUE;
                groups[meanIndex(c, j)] = mu;
                groups[meanIndex(c, j) + lanes] = h;
                meanRows[j][c] = mu;
                halfInverseVarianceRows[j][c] = h;
                muRows[c][j] = mu;
            }
        }
        this.floatCanHold = representable;
    }

    /** Where {@code mu_cj} sits in {@link #groups}; {@code 1 / (2 var_cj)} is {@code lanes} further. */
    int meanIndex(int c, int j) {
        return (c / lanes) * groupStride() + j * 2 * lanes + c % lanes;
    }

    /** Floats per group of components in {@link #groups}. */
    int groupStride() {
        return 2 * d * lanes;
    }

    static int roundUp(int n, int m) {
        return (n + m - 1) / m * m;
    }
}
