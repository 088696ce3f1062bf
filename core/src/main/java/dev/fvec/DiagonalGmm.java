package dev.fvec;

import dev.fvec.internal.Checks;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable Gaussian mixture with diagonal covariances: the vocabulary a Fisher vector is
 * computed against.
 *
 * <p>Shapes and layouts (all row-major, copied in on construction, copied out by accessors):
 * <ul>
 *   <li>{@code weights}: {@code K}, {@code w[k]};</li>
 *   <li>{@code means}: {@code K x D}, {@code means[k * D + j]};</li>
 *   <li>{@code variances}: {@code K x D}, {@code variances[k * D + j]} = sigma squared, as
 *       scikit-learn's {@code covariances_} for {@code covariance_type='diag'}.</li>
 * </ul>
 *
 * <p>Validation follows SPEC.md: {@code K >= 1}, {@code D >= 1}, matching lengths, every value
 * finite, every weight and variance {@code > 0}, weights summing to 1 within {@code 1e-4}
 * (renormalised silently inside that band, rejected outside). Errors are
 * {@link IllegalArgumentException}s naming the array and the first offending index.
 *
 * <p>The terms every encoder needs (log-normalisers, inverse variances, square roots of the
 * weights) are computed once here, in double precision.
 *
 * <p>A model may carry a PCA {@link Projection} ({@link #withProjection}): descriptors then have
 * {@link #inputDimension()} {@code Din} columns and are projected to {@code D} before the mixture.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class DiagonalGmm {

    /** Tolerance on {@code |sum(w) - 1|} inside which weights are silently renormalised. */
    public static final double WEIGHT_SUM_TOLERANCE = 1e-4;

    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final int k;
    private final int d;
    final float[] weights;
    final float[] means;
    final float[] variances;

    // Derived terms, double precision, computed once.
    final double[] logNormalizers; // log w_k - 1/2 * sum_j (log 2pi + log var_kj)
    final double[] inverseVariances; // 1 / var_kj
    final double[] sqrtWeights; // sqrt(w_k)
    final double[] sigmas; // sqrt(var_kj)
    /** The means and variances widened to double, for the forms' loops; made on first use (see {@link #doubles()}). */
    private Doubles doubles;

    private final Projection projection; // null: descriptors are already D-dimensional

    /**
     * The per-element constants of the Fisher-vector forms, in double: {@code (double) means[i]},
     * {@code (double) variances[i]}, and the denominators of VLFeat's {@code u} and {@code v},
     * {@code sqrt(w_k) * sigma_kj} and {@code (sqrt(2) * sqrt(w_k)) * var_kj} (the products the
     * formulas compute, so the same values).
     */
    static final class Doubles {
        final double[] means;
        final double[] variances;
        final double[] uDenominators;
        final double[] vDenominators;

        private Doubles(DiagonalGmm m) {
            int n = m.means.length;
            this.means = new double[n];
            this.variances = new double[n];
            this.uDenominators = new double[n];
            this.vDenominators = new double[n];
            for (int c = 0; c < m.k; c++) {
                double sqrtW = m.sqrtWeights[c];
                double sqrt2W = Math.sqrt(2.0) * sqrtW;
                for (int i = c * m.d; i < (c + 1) * m.d; i++) {
                    means[i] = m.means[i];
                    variances[i] = m.variances[i];
                    uDenominators[i] = sqrtW * m.sigmas[i];
                    vDenominators[i] = sqrt2W * variances[i];
                }
            }
        }
    }

    /**
     * {@link Doubles}: the forms' loops run over all {@code K x D} elements at once with them, and
     * read no float (C2 on JDK 17 did not vectorise a loop that widens a float to a double; it
     * does on 25), which made them vectorise reliably on 17 and 25; per component, with the
     * denominators computed in the loop, JDK 17's code took 12 or 25 us at K = 256, D = 64 from
     * one JVM to the next. Made on first use (an encoder's construction), so that models never
     * encoded with (the trainer's) do not pay their {@code 32 K D} bytes; a race makes equal
     * copies, which final fields publish safely.
     */
    Doubles doubles() {
        Doubles t = doubles;
        if (t == null) {
            t = new Doubles(this);
            doubles = t;
        }
        return t;
    }

    /** The same mixture (sharing its immutable arrays) with {@code projection} (may be null). */
    private DiagonalGmm(DiagonalGmm g, Projection projection) {
        this.k = g.k;
        this.d = g.d;
        this.weights = g.weights;
        this.means = g.means;
        this.variances = g.variances;
        this.logNormalizers = g.logNormalizers;
        this.inverseVariances = g.inverseVariances;
        this.sqrtWeights = g.sqrtWeights;
        this.sigmas = g.sigmas;
        this.projection = projection;
    }

    private DiagonalGmm(int k, int d, float[] weights, float[] means, float[] variances) {
        this.projection = null;
        this.k = k;
        this.d = d;
        this.weights = weights;
        this.means = means;
        this.variances = variances;
        this.logNormalizers = new double[k];
        this.inverseVariances = new double[k * d];
        this.sqrtWeights = new double[k];
        this.sigmas = new double[k * d];
        for (int c = 0; c < k; c++) {
            double logDet = 0;
            for (int j = 0; j < d; j++) {
                double v = variances[c * d + j];
                logDet += Math.log(v);
                inverseVariances[c * d + j] = 1.0 / v;
                sigmas[c * d + j] = Math.sqrt(v);
            }
            logNormalizers[c] = Math.log(weights[c]) - 0.5 * (d * LOG_2PI + logDet);
            sqrtWeights[c] = Math.sqrt(weights[c]);
        }
    }

    /**
     * Builds a model, inferring {@code K = weights.length} and {@code D = means.length / K}.
     *
     * @param weights {@code K} mixture weights
     * @param means {@code K x D} means, row-major
     * @param variances {@code K x D} diagonal variances (sigma squared), row-major
     * @throws IllegalArgumentException if a shape or value is invalid (the message says which)
     */
    public static DiagonalGmm of(float[] weights, float[] means, float[] variances) {
        requireNonNull(weights, "weights");
        requireNonNull(means, "means");
        requireNonNull(variances, "variances");
        if (weights.length == 0) {
            throw new IllegalArgumentException("weights is empty: a model needs K >= 1 components");
        }
        if (means.length == 0 || means.length % weights.length != 0) {
            throw new IllegalArgumentException("means has length " + means.length
                    + ", which is not K * D for K = " + weights.length + " (the length of weights) and some D >= 1");
        }
        return of(weights.length, means.length / weights.length, weights, means, variances);
    }

    /**
     * Builds a model of {@code k} components in dimension {@code d}.
     *
     * @throws IllegalArgumentException if a shape or value is invalid (the message says which)
     */
    public static DiagonalGmm of(int k, int d, float[] weights, float[] means, float[] variances) {
        requireNonNull(weights, "weights");
        requireNonNull(means, "means");
        requireNonNull(variances, "variances");
        if (k < 1) {
            throw new IllegalArgumentException("K = " + k + ": a model needs K >= 1 components");
        }
        if (d < 1) {
            throw new IllegalArgumentException("D = " + d + ": descriptors need D >= 1 dimensions");
        }
        long kd = (long) k * d;
        if (kd > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("K * D = " + kd + " is too large for a Java array");
        }
        checkLength("weights", weights, k, "K = " + k);
        checkLength("means", means, kd, "K x D = " + k + " x " + d);
        checkLength("variances", variances, kd, "K x D = " + k + " x " + d);
        Checks.requireFinite("weights", weights, 0, k);
        Checks.requireFinite("means", means, 0, (int) kd);
        Checks.requireFinite("variances", variances, 0, (int) kd);
        for (int c = 0; c < k; c++) {
            if (!(weights[c] > 0)) {
                throw new IllegalArgumentException("weights[" + c + "] = " + weights[c] + ": every weight must be > 0");
            }
        }
        for (int i = 0; i < kd; i++) {
            if (!(variances[i] > 0)) {
                throw new IllegalArgumentException("variances[" + i + "] (component " + (i / d) + ", dimension "
                        + (i % d) + ") = " + variances[i] + ": every variance must be > 0");
            }
        }
        double sum = 0;
        for (float w : weights) {
            sum += w;
        }
        if (Math.abs(sum - 1.0) > WEIGHT_SUM_TOLERANCE) {
            throw new IllegalArgumentException("weights sum to " + sum + ", not 1 (tolerance "
                    + WEIGHT_SUM_TOLERANCE + ")");
        }
        float[] w = new float[k];
        for (int c = 0; c < k; c++) {
            w[c] = (float) (weights[c] / sum);
            if (!(w[c] > 0)) { // a subnormal weight can round to zero after division
                throw new IllegalArgumentException("weights[" + c + "] = " + weights[c]
                        + " is too small to represent after renormalisation");
            }
        }
        return new DiagonalGmm(k, d, w, Arrays.copyOf(means, (int) kd), Arrays.copyOf(variances, (int) kd));
    }

    private static void requireNonNull(Object o, String name) {
        if (o == null) {
            throw new IllegalArgumentException(name + " is null");
        }
    }

    private static void checkLength(String name, float[] a, long expected, String shape) {
        if (a.length != expected) {
            throw new IllegalArgumentException(name + " has length " + a.length + ", expected " + expected
                    + " (" + shape + ")");
        }
    }

    /** Number of components {@code K}. */
    public int components() {
        return k;
    }

    /** Dimension {@code D} of the mixture (of the projected descriptors when there is a projection). */
    public int dimension() {
        return d;
    }

    /**
     * Dimension {@code Din} of the descriptors encoders and trainers take: the projection's input
     * dimension, or {@link #dimension()} when the model has no projection.
     */
    public int inputDimension() {
        return projection == null ? d : projection.inputDimension();
    }

    /** The PCA projection descriptors go through before the mixture, if the model has one. */
    public java.util.Optional<Projection> projection() {
        return java.util.Optional.ofNullable(projection);
    }

    /**
     * This mixture with {@code projection} in front of it (SPEC.md, "PCA projection"): encoders then
     * take {@code Din}-column descriptors. {@code null} gives the mixture without a projection.
     *
     * @throws IllegalArgumentException if the projection's output dimension is not this mixture's
     *     {@code D} (the message names both)
     */
    public DiagonalGmm withProjection(Projection projection) {
        if (projection != null && projection.outputDimension() != d) {
            throw new IllegalArgumentException("the projection gives D = " + projection.outputDimension()
                    + " dimensions (pca_components " + projection.outputDimension() + " x "
                    + projection.inputDimension() + ") but the mixture has D = " + d + " (means " + k + " x " + d
                    + "): they must agree");
        }
        return new DiagonalGmm(this, projection);
    }

    /** Weight {@code w_k} (after renormalisation). */
    public float weight(int component) {
        return weights[Objects.checkIndex(component, k)];
    }

    /** Mean {@code mu_kj}. */
    public float mean(int component, int j) {
        return means[Objects.checkIndex(component, k) * d + Objects.checkIndex(j, d)];
    }

    /** Variance {@code var_kj} (sigma squared). */
    public float variance(int component, int j) {
        return variances[Objects.checkIndex(component, k) * d + Objects.checkIndex(j, d)];
    }

    /** A copy of the weights, length {@code K}. */
    public float[] weights() {
        return weights.clone();
    }

    /** A copy of the means, {@code K x D} row-major. */
    public float[] means() {
        return means.clone();
    }

    /** A copy of the variances, {@code K x D} row-major. */
    public float[] variances() {
        return variances.clone();
    }

    /**
     * {@code log w_k - 1/2 * sum_j (log 2 pi + log var_kj)}: the part of {@code log p_k(x)} that
     * does not depend on {@code x}.
     */
    public double logNormalizer(int component) {
        return logNormalizers[component];
    }

    @Override
    public String toString() {
        return "DiagonalGmm[K=" + k + ", D=" + d + (projection == null ? "" : ", " + projection) + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DiagonalGmm
                && ((DiagonalGmm) o).k == k && ((DiagonalGmm) o).d == d
                && Arrays.equals(((DiagonalGmm) o).weights, weights)
                && Arrays.equals(((DiagonalGmm) o).means, means)
                && Arrays.equals(((DiagonalGmm) o).variances, variances)
                && java.util.Objects.equals(((DiagonalGmm) o).projection, projection);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * Arrays.hashCode(weights) + Arrays.hashCode(means)) + Arrays.hashCode(variances))
                + java.util.Objects.hashCode(projection);
    }
}
