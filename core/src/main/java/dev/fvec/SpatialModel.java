package dev.fvec;

import dev.fvec.internal.Checks;
import java.util.Arrays;
import java.util.Objects;

/**
 * The spatial Gaussians of a spatial Fisher vector (SPEC.md, "Spatial layout"; Krapac, Verbeek,
 * Jurie, ICCV 2011): for each component {@code k} of a {@link DiagonalGmm}, a diagonal 2-D Gaussian
 * over normalised positions {@code l = (x / W, y / H)}, mean {@code m_k} and variances {@code S_k}.
 *
 * <p>Layouts: {@code means[2k + c]} and {@code variances[2k + c]}, {@code K x 2} row-major,
 * {@code c = 0} for x and {@code 1} for y: the {@code spatial_means (K, 2)} and
 * {@code spatial_variances (K, 2)} of a model {@code .npz}. A model without them uses
 * {@link #uniform(int)}, the moments of the uniform unit square.
 *
 * <p>Immutable and thread-safe.
 */
public final class SpatialModel {

    /** The variance of the uniform distribution on {@code [0, 1]}: {@code 1/12}. */
    public static final double UNIFORM_VARIANCE = 1.0 / 12;

    private final int k;
    final double[] means;
    final double[] variances;
    final double[] sigmas; // sqrt(S_kc)

    private SpatialModel(int k, double[] means, double[] variances) {
        this.k = k;
        this.means = means;
        this.variances = variances;
        this.sigmas = new double[2 * k];
        for (int i = 0; i < 2 * k; i++) {
            sigmas[i] = Math.sqrt(variances[i]);
        }
    }

    /**
     * The uniform default: {@code m_k = (0.5, 0.5)}, {@code S_k = (1/12, 1/12)} for every component.
     *
     * @param k the number of components
     * @return the model
     * @throws IllegalArgumentException if {@code k < 1}
     */
    public static SpatialModel uniform(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("K = " + k + ": a model needs K >= 1 components");
        }
        double[] m = new double[2 * k];
        double[] s = new double[2 * k];
        Arrays.fill(m, 0.5);
        Arrays.fill(s, UNIFORM_VARIANCE);
        return new SpatialModel(k, m, s);
    }

    /**
     * A model of {@code K = means.length / 2} spatial Gaussians.
     *
     * @param means {@code K x 2}, {@code means[2k + c]}
     * @param variances {@code K x 2}, every one finite and {@code > 0}
     * @return the model (copies of the arrays)
     * @throws IllegalArgumentException if the lengths are odd, zero or differ, or a value is not
     *     finite, or a variance is not positive (the message names the array and index)
     */
    public static SpatialModel of(double[] means, double[] variances) {
        Objects.requireNonNull(means, "spatial means");
        Objects.requireNonNull(variances, "spatial variances");
        if (means.length == 0 || means.length % 2 != 0) {
            throw new IllegalArgumentException("spatial means has length " + means.length + ", expected K x 2 with K >= 1");
        }
        if (variances.length != means.length) {
            throw new IllegalArgumentException("spatial variances has length " + variances.length + ", expected "
                    + means.length + " (K x 2, as the spatial means)");
        }
        Checks.requireFinite("spatial means", means, 0, means.length);
        Checks.requireFinite("spatial variances", variances, 0, variances.length);
        for (int i = 0; i < variances.length; i++) {
            if (!(variances[i] > 0)) {
                throw new IllegalArgumentException("spatial variances[" + i + "] (component " + i / 2 + ", "
                        + (i % 2 == 0 ? "x" : "y") + ") = " + variances[i] + ": every variance must be > 0");
            }
        }
        return new SpatialModel(means.length / 2, means.clone(), variances.clone());
    }

    /**
     * As {@link #of(double[], double[])}, from float arrays (as read from a {@code .npz}).
     *
     * @param means {@code K x 2}
     * @param variances {@code K x 2}
     * @return the model
     */
    public static SpatialModel of(float[] means, float[] variances) {
        Objects.requireNonNull(means, "spatial means");
        Objects.requireNonNull(variances, "spatial variances");
        double[] m = new double[means.length];
        double[] s = new double[variances.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = means[i];
        }
        for (int i = 0; i < s.length; i++) {
            s[i] = variances[i];
        }
        return of(m, s);
    }

    /** @return {@code K}, the number of components */
    public int components() {
        return k;
    }

    /** @return a copy of the means, {@code K x 2} */
    public double[] means() {
        return means.clone();
    }

    /** @return a copy of the variances, {@code K x 2} */
    public double[] variances() {
        return variances.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpatialModel && Arrays.equals(((SpatialModel) o).means, means)
                && Arrays.equals(((SpatialModel) o).variances, variances);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(means) + Arrays.hashCode(variances);
    }

    @Override
    public String toString() {
        return "SpatialModel[K=" + k + "]";
    }
}
