package dev.fvec;

import dev.fvec.spi.CellRows;

/**
 * The vector of one pyramid cell from its statistics, for layouts of several cells, where it runs
 * once per cell: the form's gradients (SPEC.md, "Fisher-vector forms"), the spatial block, power
 * and L2 normalisation, as {@link FisherForm#gradients} and {@link Normalisation} compute them, but
 * arranged for speed: the per-element divisors are reciprocals precomputed once per encoder, and the
 * rows of each component are {@link CellRows}' work (the kernel provider's: the SIMD kernel does them
 * in its lanes), with the L2 sum in partial sums. The result
 * differs from theirs by rounding only (a few units in the last place of a double, before the
 * rounding to float). A single-cell layout keeps the exact {@link FisherEncoder} arithmetic, so
 * that {@code 1x1} is the plain vector bit for bit.
 *
 * <p>Immutable after construction; {@link #finish} uses only its arguments: thread-safe.
 */
final class CellFinish {

    private final int k;
    private final int d;
    private final FisherForm form;
    private final double power;
    private final boolean l2;
    private final int appearanceLength;
    private final int length;
    private final double[] mu; // K x D
    private final double[] muSqMinusVar; // mu^2 - var
    private final double[] uScale; // VLFEAT, SKIMAGE: 1 / (sqrt(w) sigma); GIST: 1; skipped: 0
    private final double[] vScale; // VLFEAT: 1 / (sqrt(2) sqrt(w) var); SKIMAGE: its negative; GIST: -1; skipped: 0
    private final double[] weights;
    private final double[] sqrtWeights;
    private final SpatialModel spatial;
    /**
     * Added to each {@code v}: GIST's {@code 0 * -1} is {@code -0.0} where its own formula gives
     * {@code +0.0}, and {@code + 0.0} turns one into the other; {@code -0.0} changes nothing.
     */
    private final double vZero;

    CellFinish(DiagonalGmm model, FisherForm form, double power, boolean l2, SpatialModel spatial, int length) {
        this.k = model.components();
        this.d = model.dimension();
        this.form = form;
        this.power = power;
        this.l2 = l2;
        this.spatial = spatial;
        this.appearanceLength = form.length(k, d);
        this.length = length;
        this.vZero = form == FisherForm.GIST ? 0.0 : -0.0;
        int kd = k * d;
        mu = new double[kd];
        muSqMinusVar = new double[kd];
        uScale = new double[kd];
        vScale = new double[kd];
        weights = new double[k];
        sqrtWeights = new double[k];
        for (int c = 0; c < k; c++) {
            weights[c] = model.weights[c];
            sqrtWeights[c] = model.sqrtWeights[c];
            boolean skipped = form == FisherForm.VLFEAT && model.weights[c] < FisherForm.VLFEAT_MIN_WEIGHT;
            for (int j = 0; j < d; j++) {
                int i = c * d + j;
                double m = model.means[i];
                double var = model.variances[i];
                mu[i] = m;
                muSqMinusVar[i] = m * m - var;
                if (skipped) {
                    continue; // scales 0: the entries stay 0
                }
                if (form == FisherForm.GIST) {
                    uScale[i] = 1;
                    vScale[i] = -1; // d_sigma = -(s2 - 2 mu s1 + (mu^2 - var) s0)
                } else {
                    uScale[i] = 1 / (model.sqrtWeights[c] * model.sigmas[i]);
                    double v = 1 / (Math.sqrt(2.0) * model.sqrtWeights[c] * var);
                    vScale[i] = form == FisherForm.SKIMAGE ? -v : v;
                }
            }
        }
    }

    /**
     * Writes the cell's normalised vector of {@code length} floats to {@code out[outOffset ..]};
     * {@code t1}, {@code t2} are ignored without a spatial model. {@code count > 0}. The rows of
     * {@code u} and {@code v} (and their square roots and squares) are {@code rows}' work, which a
     * vector kernel does in its lanes.
     *
     * @param fv scratch, {@code length} doubles
     */
    void finish(double[] s0, double[] s1, double[] s2, double[] t1, double[] t2, long count, CellRows rows,
            double[] fv, float[] out, int outOffset) {
        double invN = 1.0 / count;
        int base = form == FisherForm.VLFEAT ? 0 : k;
        int sigmaBase = base + k * d;
        boolean root = power == 0.5;
        double squares = 0;
        for (int c = 0; c < k; c++) {
            double s0k = s0[c] * invN;
            int off = c * d;
            squares += rows.row(s1, s2, off, d, invN, s0k, mu, muSqMinusVar, uScale, vScale, vZero, root, fv,
                    base + off, sigmaBase + off);
        }
        // The few values outside the rows: d_pi (GIST, SKIMAGE) and the spatial block.
        if (form != FisherForm.VLFEAT) {
            for (int c = 0; c < k; c++) {
                double s0k = s0[c] * invN;
                double z = form == FisherForm.GIST ? s0k - weights[c] : (s0k - weights[c]) / sqrtWeights[c];
                z = root ? Math.copySign(Math.sqrt(Math.abs(z)), z) : z;
                fv[c] = z;
                squares += z * z;
            }
        }
        if (spatial != null) {
            spatialBlock(s0, t1, t2, invN, fv);
            for (int i = appearanceLength; i < length; i++) {
                double z = fv[i];
                z = root ? Math.copySign(Math.sqrt(Math.abs(z)), z) : z;
                fv[i] = z;
                squares += z * z;
            }
        }
        if (power != 0 && !root) {
            squares = 0;
            for (int i = 0; i < length; i++) {
                double z = fv[i];
                z = Math.copySign(Math.pow(Math.abs(z), power), z);
                fv[i] = z;
                squares += z * z;
            }
        }
        double scale = l2 ? 1 / Math.max(Math.sqrt(squares), 1e-12) : 1;
        for (int i = 0; i < length; i++) {
            out[outOffset + i] = (float) (fv[i] * scale);
        }
        if (!l2) {
            // L2-normalised elements are at most 1; without it, say so rather than emit Infinity.
            for (int i = 0; i < length; i++) {
                float v = out[outOffset + i];
                if (v - v != 0) {
                    throw new ArithmeticException("Fisher vector element " + i + " = " + fv[i]
                            + " does not fit in a float; rescale the descriptors or enable L2 normalisation");
                }
            }
        }
    }

    /**
     * The spatial block (SPEC.md) {@code [a_1 .. a_K | b_1 .. b_K]} into {@code fv}, after the
     * appearance part; both paths of {@link SpatialEncoder} use it.
     */
    void spatialBlock(double[] s0, double[] t1, double[] t2, double invN, double[] fv) {
        spatialBlock(s0, t1, t2, invN, fv, appearanceLength);
    }

    /** The spatial block ({@code 4K} values) into {@code fv[base ..]}. */
    void spatialBlock(double[] s0, double[] t1, double[] t2, double invN, double[] fv, int base) {
        int bBase = base + 2 * k;
        for (int c = 0; c < k; c++) {
            double s0k = s0[c] * invN;
            boolean skipped = form == FisherForm.VLFEAT && weights[c] < FisherForm.VLFEAT_MIN_WEIGHT;
            for (int xy = 0; xy < 2; xy++) {
                int i = 2 * c + xy;
                if (skipped) {
                    fv[base + i] = 0;
                    fv[bBase + i] = 0;
                    continue;
                }
                double t1k = t1[i] * invN;
                double t2k = t2[i] * invN;
                double m = spatial.means[i];
                double s = spatial.variances[i];
                if (form == FisherForm.GIST) {
                    fv[base + i] = t1k - s0k * m;
                    fv[bBase + i] = -t2k - s0k * m * m + s0k * s + 2 * t1k * m;
                } else {
                    fv[base + i] = (t1k - s0k * m) / (sqrtWeights[c] * spatial.sigmas[i]);
                    double b = (t2k - 2 * m * t1k + (m * m - s) * s0k) / (Math.sqrt(2.0) * sqrtWeights[c] * s);
                    fv[bBase + i] = form == FisherForm.SKIMAGE ? -b : b;
                }
            }
        }
    }
}
