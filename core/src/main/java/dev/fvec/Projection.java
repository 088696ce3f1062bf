package dev.fvec;

import dev.fvec.internal.Checks;
import java.util.Arrays;
import java.util.Optional;

/**
 * An immutable PCA projection from {@code Din} input dimensions to the {@code D} dimensions of a
 * mixture (SPEC.md, "PCA projection"):
 *
 * <pre>
 *   y = (x - mean) @ components^T                  (D values)
 *   y = y / sqrt(explainedVariance)                 (only when whiten)
 * </pre>
 *
 * <p>what scikit-learn's {@code PCA.transform} computes. Shapes and layouts (row-major, copied in on
 * construction, copied out by accessors):
 * <ul>
 *   <li>{@code mean}: {@code Din}, scikit-learn's {@code mean_};</li>
 *   <li>{@code components}: {@code D x Din}, {@code components[j * Din + i]}, scikit-learn's
 *       {@code components_} (one row per output dimension);</li>
 *   <li>{@code explainedVariance}: {@code D} or absent, scikit-learn's {@code explained_variance_};
 *       required, and every value {@code > 0}, when {@code whiten}.</li>
 * </ul>
 *
 * <p>A {@link DiagonalGmm} carries one with {@link DiagonalGmm#withProjection(Projection)}; its
 * encoders and trainers then take {@code Din}-column descriptors. {@link #project} is the reference
 * (double precision, one rounding to float per output value); kernels may compute it in float (see
 * {@link dev.fvec.spi.KernelProvider#createProjection(Projection)}).
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class Projection {

    private final int din;
    private final int d;
    private final float[] mean;
    private final float[] components;
    private final float[] explainedVariance; // null: absent
    private final boolean whiten;
    private final double[] scales; // 1 / sqrt(explainedVariance) when whiten, else 1

    private Projection(int din, int d, float[] mean, float[] components, float[] explainedVariance, boolean whiten) {
        this.din = din;
        this.d = d;
        this.mean = mean;
        this.components = components;
        this.explainedVariance = explainedVariance;
        this.whiten = whiten;
        this.scales = new double[d];
        for (int j = 0; j < d; j++) {
            scales[j] = whiten ? 1 / Math.sqrt(explainedVariance[j]) : 1;
        }
    }

    /**
     * Builds a projection from {@code Din = mean.length} to {@code D = components.length / Din}
     * dimensions.
     *
     * @param mean {@code Din} values, the input's mean
     * @param components {@code D x Din}, row-major, one row per output dimension
     * @param explainedVariance {@code D} values, or {@code null}; required when {@code whiten}
     * @param whiten whether each output is divided by {@code sqrt(explainedVariance)}
     * @throws IllegalArgumentException if a shape or value is invalid (the message names the array,
     *     the index and both dimensions)
     */
    public static Projection of(float[] mean, float[] components, float[] explainedVariance, boolean whiten) {
        if (mean == null) {
            throw new IllegalArgumentException("pca_mean is null");
        }
        if (components == null) {
            throw new IllegalArgumentException("pca_components is null");
        }
        int din = mean.length;
        if (din < 1) {
            throw new IllegalArgumentException("pca_mean is empty: a projection needs Din >= 1 input dimensions");
        }
        if (components.length == 0 || components.length % din != 0) {
            throw new IllegalArgumentException("pca_components has length " + components.length
                    + ", which is not D x Din for Din = " + din + " (the length of pca_mean) and some D >= 1");
        }
        return of(din, components.length / din, mean, components, explainedVariance, whiten);
    }

    /**
     * Builds a projection from {@code din} to {@code d} dimensions.
     *
     * @throws IllegalArgumentException if a shape or value is invalid (the message says which)
     * @see #of(float[], float[], float[], boolean)
     */
    public static Projection of(int din, int d, float[] mean, float[] components, float[] explainedVariance,
            boolean whiten) {
        if (mean == null || components == null) {
            throw new IllegalArgumentException((mean == null ? "pca_mean" : "pca_components") + " is null");
        }
        if (din < 1 || d < 1) {
            throw new IllegalArgumentException("a projection from Din = " + din + " to D = " + d
                    + " dimensions: both must be >= 1");
        }
        if (d > din) {
            throw new IllegalArgumentException("a projection from Din = " + din + " to D = " + d
                    + " dimensions: PCA keeps at most Din components");
        }
        long dDin = (long) d * din;
        if (mean.length != din) {
            throw new IllegalArgumentException("pca_mean has length " + mean.length + ", expected Din = " + din);
        }
        if (components.length != dDin) {
            throw new IllegalArgumentException("pca_components has length " + components.length + ", expected D x Din = "
                    + d + " x " + din + " = " + dDin);
        }
        Checks.requireFinite("pca_mean", mean, 0, din);
        Checks.requireFinite("pca_components", components, 0, (int) dDin);
        if (explainedVariance != null) {
            if (explainedVariance.length != d) {
                throw new IllegalArgumentException("pca_explained_variance has length " + explainedVariance.length
                        + ", expected D = " + d + " (the rows of pca_components, " + d + " x " + din + ")");
            }
            Checks.requireFinite("pca_explained_variance", explainedVariance, 0, d);
            for (int j = 0; j < d; j++) {
                if (whiten ? !(explainedVariance[j] > 0) : !(explainedVariance[j] >= 0)) {
                    throw new IllegalArgumentException("pca_explained_variance[" + j + "] = " + explainedVariance[j]
                            + (whiten ? ": whitening divides by its square root, so it must be > 0"
                                    : ": a variance must be >= 0"));
                }
            }
        } else if (whiten) {
            throw new IllegalArgumentException("pca_whiten is true but pca_explained_variance is absent:"
                    + " whitening divides by its square root");
        }
        return new Projection(din, d, mean.clone(), components.clone(),
                explainedVariance == null ? null : explainedVariance.clone(), whiten);
    }

    /** Input dimension {@code Din}. */
    public int inputDimension() {
        return din;
    }

    /** Output dimension {@code D}, the mixture's. */
    public int outputDimension() {
        return d;
    }

    /** Whether outputs are divided by {@code sqrt(explainedVariance)}. */
    public boolean whiten() {
        return whiten;
    }

    /** A copy of the mean, length {@code Din}. */
    public float[] mean() {
        return mean.clone();
    }

    /** A copy of the components, {@code D x Din} row-major. */
    public float[] components() {
        return components.clone();
    }

    /** A copy of the explained variances ({@code D}), when the projection has them. */
    public Optional<float[]> explainedVariance() {
        return explainedVariance == null ? Optional.empty() : Optional.of(explainedVariance.clone());
    }

    /**
     * The factor output {@code j} is multiplied by after the dot product:
     * {@code 1 / sqrt(explainedVariance[j])} when whitening, else 1.
     */
    public double scale(int j) {
        return scales[java.util.Objects.checkIndex(j, d)];
    }

    /**
     * The reference projection: {@code y[yOffset + n * D + j]} for {@code n < count} from
     * {@code x[offset + n * Din + i]}, in double (the centred value, the dot product and the
     * whitening), rounded to float once. Allocates nothing. Callers check ranges; this only asserts.
     */
    public void project(float[] x, int offset, int count, float[] y, int yOffset) {
        assert offset >= 0 && offset + (long) count * din <= x.length;
        assert yOffset >= 0 && yOffset + (long) count * d <= y.length;
        for (int n = 0; n < count; n++) {
            int row = offset + n * din;
            for (int j = 0; j < d; j++) {
                int c = j * din;
                double dot = 0;
                for (int i = 0; i < din; i++) {
                    dot += ((double) x[row + i] - mean[i]) * components[c + i];
                }
                y[yOffset + n * d + j] = (float) (dot * scales[j]);
            }
        }
    }

    /**
     * The weights a float kernel multiplies centred values by, transposed so that lanes run over
     * output dimensions: {@code w[i * D + j] = (float) (components[j * Din + i] * scale(j))}
     * ({@code Din x D}, row-major; the whitening folded in, rounded once). A new array.
     */
    public float[] transposedWeights() {
        float[] w = new float[din * d];
        for (int i = 0; i < din; i++) {
            for (int j = 0; j < d; j++) {
                w[i * d + j] = (float) (components[j * din + i] * scales[j]);
            }
        }
        return w;
    }

    /** {@code "PCA Din=128 -> D=64"}, with {@code ", whitened"} when it whitens. */
    @Override
    public String toString() {
        return "PCA Din=" + din + " -> D=" + d + (whiten ? ", whitened" : "");
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Projection)) {
            return false;
        }
        Projection p = (Projection) o;
        return p.din == din && p.d == d && p.whiten == whiten && Arrays.equals(p.mean, mean)
                && Arrays.equals(p.components, components) && Arrays.equals(p.explainedVariance, explainedVariance);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(mean) + Arrays.hashCode(components)) + (whiten ? 1 : 0);
    }
}
