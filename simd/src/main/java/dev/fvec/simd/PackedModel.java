package dev.fvec.simd;

import dev.fvec.DiagonalGmm;
import java.util.Arrays;

/**
 * The model in float, laid out for the kernel: transposed for the log-likelihoods (lanes over
 * components), row-major for the statistics (lanes over dimensions).
 *
 * <h2>The 2-FMA form</h2>
 * The log-likelihood's quadratic term is {@code sum_j t_j^2} with
 * {@code t_j = (mu_kj - x_j) s_kj}, {@code s = 1 / sqrt(2 var)}, computed as
 * {@code t = fma(x'_j, -s_kj, b_kj)}, {@code acc = fma(t, t, acc)}: two FMAs per term instead of a
 * subtraction, a product and an FMA. The descriptor and the means are first centred on a
 * per-dimension {@link #centre} {@code c_j} (the mean of the components' means), {@code x' = fl(x - c)}
 * (once per descriptor, O(D)), {@code b = fl((mu - c) s)} (here, in double, then rounded), so that a
 * common offset of the data (1e4 standard deviations, say) does not cancel: the rounding of
 * {@code b} leaves an absolute error {@code u |b_kj|} in {@code t}, which the error bound carries
 * as {@link #offsetNorm} {@code B_k = ||b_k||_2} (see {@code SimdKernel#minTrustedMax}). Where
 * centring does not pay ({@link #uncentred}: no common offset to speak of, no pruning) the centre
 * is {@code +0}: then {@code x' = x} exactly, {@code b = fl(mu s)}, and the error bound carries that
 * {@code B_k}, as it is, with the same formula.
 *
 * <ul>
 *   <li>{@link #groups}: per group of {@code lanes} components, a contiguous strip of {@code D}
 *       pairs of lane rows ({@code -s_kj} of the group's components, then {@code b_kj}), so one
 *       vector holds {@code log p} of {@code lanes} components, the {@code K x D} loop needs no
 *       horizontal reduction and streams through memory.</li>
 *   <li>{@code K} is padded to {@link #kpad}, a multiple of the lane count, with components whose
 *       log-normaliser is {@code -inf} ({@code s = b = 0}): they never win the max and their
 *       posterior is exactly 0, with no masked loads (slow on JDK 17).</li>
 *   <li>Log-normalisers are stored relative to the largest one ({@link #maxLogNorm}, added back in
 *       double to the log-likelihood), so the float values stay small.</li>
 *   <li>{@link #muRows}: the means, {@code K} rows of {@code Dpad} (D rounded up to twice the lane count), zero-padded, for the centred statistics.</li>
 * </ul>
 * Immutable after construction; the arrays are package-private so tests can break them on purpose.
 */
final class PackedModel {

    /**
     * Models whose {@code max_k B_k} with the means uncentred is at most this many times that with
     * them centred are not centred ({@link #uncentred}). The offset terms of the error bound
     * ({@code 4 sqrt(quad) B + 8 u B^2}, see {@code SimdKernel#minTrustedMax}) then grow at most
     * this much, next to {@code (D + 8) quad}, which does not change; a common offset of the data
     * (where {@code B} uncentred is many times {@code B} centred) keeps the centring. Uncentred,
     * the pass reads the descriptors in place: no centred copy written and read per block (whole
     * encodes, 128 x 64, t = 1e-6, Zen 5, 512 bits: see {@link VectorLanes#logLikelihoodsOfRows}).
     */
    static final double UNCENTRED_OFFSET_FACTOR = 2;

    /** Largest |x| and |mu| handled in float: (2^60)^2 * 128 terms still fits in a float. */
    static final float VALUE_LIMIT = 0x1p59f;

    final int k;
    final int d;
    final int lanes;
    final int kpad;
    final int dpad;
    /**
     * (Kpad / lanes) strips of {@link #groupStride} floats: D x 2 x lanes, {@code -s}, then
     * {@code b}, per group of components, and a gap where needed (see {@link #groupStride}).
     */
    final float[] groups;
    /**
     * Floats from one group's strip to the next: {@code 2 D lanes}, plus {@code 2 lanes} when
     * that many bytes are a multiple of 4 KB. The pass reads two groups' strips side by side; a
     * stride of a multiple of 4 KB put both streams (and the next pass's) on the same L1 sets: at
     * D = 128, K = 64, 512 bits (16 KB strips) the pass alone took 3.69 us per dimension against
     * 2.92-3.04 at D = 96, 112, 120 and 144 (LogLikelihoodBench, one run, Zen 5).
     */
    final int groupStride;
    /** D: the centre {@code c_j} subtracted from descriptors and means; all {@code +0} where {@link #uncentred}. */
    final float[] centre;
    /**
     * Whether {@link #centre} is zero, so that {@code fl(x - c) = x} and the log-likelihood pass
     * may read the descriptors where they are ({@link Lanes#logLikelihoodsOfRows}): chosen where
     * centring does not pay, {@code max_k B_k} uncentred at most {@link #UNCENTRED_OFFSET_FACTOR}
     * times centred, and the model is not pruned. Seeded pruning ({@link Seeds}) measures its
     * distances on the centred means too, and its bounds' slack grows with their size: uncentred,
     * 64 x 256 (t = 1e-6) encoded 1.035-1.058x slower (JarAB, 4 JVMs, Zen 5, 512 bits).
     */
    final boolean uncentred;
    /** K: {@code B_k = sqrt(sum_j b_kj^2)} of the stored (float) {@code b}, in double. */
    final double[] offsetNorm;
    /** {@code max_k B_k}. */
    final double maxOffsetNorm;
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
    /**
     * Lane position {@code p < K} holds component {@code component[p]}: the order of
     * {@link GroupGeometry} where the model has one (near components share groups), else the
     * identity. Every per-component array here is in lane order.
     */
    final int[] component;
    /** Seeded pruning's tables (see {@link Seeds}), or null: no pruning for this model. */
    final Seeds seeds;

    PackedModel(DiagonalGmm model, int lanes) {
        this(model, lanes, null);
    }

    /** The model laid out in {@code geometry}'s order (null: the components' own), with its seeds. */
    PackedModel(DiagonalGmm model, int lanes, GroupGeometry geometry) {
        this.k = model.components();
        this.d = model.dimension();
        this.lanes = lanes;
        this.kpad = roundUp(k, lanes);
        this.dpad = roundUp(d, 2 * lanes); // whole pairs of vectors (see VectorLanes#addToWindows)
        float[] means = model.means();
        float[] vars = model.variances();
        int strip = 2 * d * lanes;
        this.groupStride = strip * Float.BYTES % 4096 == 0 ? strip + 2 * lanes : strip;
        this.groups = new float[groupStride * (kpad / lanes)];
        this.centre = new float[d];
        this.offsetNorm = new double[k];
        this.logNorm = new float[kpad];
        this.muRows = new float[k][dpad];
        this.component = new int[k];
        for (int p = 0; p < k; p++) {
            component[p] = geometry == null ? p : geometry.order[p];
        }
        double maxLn = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            maxLn = Math.max(maxLn, model.logNormalizer(c));
        }
        this.maxLogNorm = maxLn;
        boolean representable = Double.isFinite(maxLn);
        for (int j = 0; j < d; j++) {
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += means[c * d + j];
            }
            centre[j] = (float) (sum / k);
        }
        boolean prunes = geometry != null && geometry.prunes;
        if (!prunes && uncentredPays(means, vars)) {
            Arrays.fill(centre, 0f);
        }
        this.uncentred = isZero(centre);
        Arrays.fill(logNorm, Float.NEGATIVE_INFINITY);
        double maxB = 0;
        for (int c = 0; c < k; c++) { // c: the lane position, of component 'of'
            int of = component[c];
            logNorm[c] = (float) (model.logNormalizer(of) - maxLn);
            double b2 = 0;
            for (int j = 0; j < d; j++) {
                float mu = means[of * d + j];
                float h = (float) (0.5 / vars[of * d + j]);
                float s = (float) Math.sqrt(0.5 / vars[of * d + j]);
                float b = (float) (((double) mu - centre[j]) * s);
                representable &= Math.abs(mu) <= VALUE_LIMIT && h >= Float.MIN_NORMAL && h <= Float.MAX_VALUE
                        && Float.isFinite(b);
                groups[termIndex(c, j)] = -s;
                groups[termIndex(c, j) + lanes] = b;
                muRows[c][j] = mu;
                b2 += (double) b * b;
            }
            offsetNorm[c] = Math.sqrt(b2);
            maxB = Math.max(maxB, offsetNorm[c]);
        }
        this.maxOffsetNorm = maxB;
        this.floatCanHold = representable && Double.isFinite(maxB);
        this.seeds = geometry == null || !geometry.prunes || !floatCanHold ? null : Seeds.of(this, model, geometry);
    }

    /**
     * Whether {@code max_k B_k} with the means uncentred is at most {@link #UNCENTRED_OFFSET_FACTOR}
     * times that with them centred on {@link #centre}, both with {@code b} rounded as the
     * constructor rounds it; one pass for both. False where float cannot hold the model (NaN or
     * inf): then centred, and {@link #floatCanHold} says no.
     */
    private boolean uncentredPays(float[] means, float[] vars) {
        double uncentredMax = 0;
        double centredMax = 0;
        for (int c = 0; c < k; c++) {
            double u2 = 0;
            double c2 = 0;
            for (int j = 0; j < d; j++) {
                float s = (float) Math.sqrt(0.5 / vars[c * d + j]);
                float mu = means[c * d + j];
                float bu = (float) ((double) mu * s);
                float bc = (float) (((double) mu - centre[j]) * s);
                u2 += (double) bu * bu;
                c2 += (double) bc * bc;
            }
            uncentredMax = Math.max(uncentredMax, Math.sqrt(u2));
            centredMax = Math.max(centredMax, Math.sqrt(c2));
        }
        return uncentredMax <= UNCENTRED_OFFSET_FACTOR * centredMax;
    }

    /** Whether every value is {@code +0} (a {@code -0} centre would turn {@code x = -0} into {@code +0}: not a copy). */
    private static boolean isZero(float[] v) {
        for (float f : v) {
            if (Float.floatToRawIntBits(f) != 0) {
                return false;
            }
        }
        return true;
    }

    /** Where {@code -s_cj} sits in {@link #groups}; {@code b_cj} is {@code lanes} further. */
    int termIndex(int c, int j) {
        return (c / lanes) * groupStride + j * 2 * lanes + c % lanes;
    }

    /** {@code out[at + j] = fl(x[row + j] - centre_j)}, {@code j < D}: the centred descriptor. */
    void centre(float[] x, int row, float[] out, int at) {
        float[] c = centre;
        for (int j = 0; j < c.length; j++) {
            out[at + j] = x[row + j] - c[j];
        }
    }

    static int roundUp(int n, int m) {
        return (n + m - 1) / m * m;
    }
}
