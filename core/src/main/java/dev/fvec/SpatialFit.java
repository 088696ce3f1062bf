package dev.fvec;

import dev.fvec.spi.KeptTermSink;
import dev.fvec.spi.KernelProvider;
import dev.fvec.spi.StatisticsAccess;
import dev.fvec.spi.StatisticsKernel;
import java.util.Objects;

/**
 * The spatial Gaussians of a trained mixture (SPEC.md, "Spatial layout"): one more pass over
 * descriptors with positions, with exact posteriors, gives {@code T1_k = sum_n q_nk l_n},
 * {@code T2_k = sum_n q_nk l_n^2} and {@code S0_k}; then {@code m_k = T1_k / S0_k} and
 * {@code S_k = max(T2_k / S0_k - m_k^2, 1e-4)}. A component no descriptor reaches ({@code S0_k = 0})
 * keeps the uniform moments ({@link SpatialModel#uniform}).
 *
 * <pre>{@code
 * SpatialFit fit = new SpatialFit(gmm);
 * for (image : images) fit.add(x, positions, n, width, height);
 * SpatialModel spatial = fit.result();
 * }</pre>
 *
 * <p>Not thread-safe: one instance per thread; {@link #merge} combines instances.
 */
public final class SpatialFit {

    /** The variance floor of SPEC.md. */
    public static final double VARIANCE_FLOOR = 1e-4;

    private final DiagonalGmm model;
    private final StatisticsKernel kernel;
    private final GmmStatistics scratch;
    private final double[] s0;
    private final double[] t1;
    private final double[] t2;
    private long count;

    /**
     * A pass on the kernel {@link Kernels#provider()} chooses.
     *
     * @param model the trained mixture
     */
    public SpatialFit(DiagonalGmm model) {
        this(model, Kernels.provider());
    }

    /**
     * A pass on {@code kernels}.
     *
     * @param model the trained mixture
     * @param kernels the kernel provider
     */
    public SpatialFit(DiagonalGmm model, KernelProvider kernels) {
        this.model = Objects.requireNonNull(model, "model");
        this.kernel = ProjectingKernel.create(kernels, model, Sparsity.none());
        this.scratch = GmmStatistics.forModel(model);
        int k = model.components();
        this.s0 = new double[k];
        this.t1 = new double[2 * k];
        this.t2 = new double[2 * k];
    }

    /**
     * Adds the descriptors of one image.
     *
     * @param x descriptors, {@code n x D} row-major ({@code Din} columns for a model with a projection)
     * @param positions {@code n x 2}, {@code (x, y)} in pixels
     * @param n number of descriptors
     * @param width image width
     * @param height image height
     * @throws IllegalArgumentException as {@link SpatialEncoder#encode(float[], float[], int, int, int)}
     */
    public void add(float[] x, float[] positions, int n, int width, int height) {
        dev.fvec.internal.Checks.requireModelInput(x, 0, n, model); // Din: before any projection
        SpatialEncoder.requirePositions(positions, 0, n, width, height);
        double w = width;
        double h = height;
        KeptTermSink sink = (i, c, q) -> {
            double lx = positions[2 * i] / w;
            double ly = positions[2 * i + 1] / h;
            t1[2 * c] += q * lx;
            t1[2 * c + 1] += q * ly;
            t2[2 * c] += q * lx * lx;
            t2[2 * c + 1] += q * ly * ly;
        };
        scratch.reset();
        kernel.accumulate(x, 0, n, scratch, sink);
        double[] s = StatisticsAccess.s0(scratch);
        for (int c = 0; c < s0.length; c++) {
            s0[c] += s[c];
        }
        count += n;
    }

    /**
     * Adds another pass's sums into this one.
     *
     * @param other a pass over the same model
     */
    public void merge(SpatialFit other) {
        if (!other.model.equals(model)) {
            throw new IllegalArgumentException("cannot merge spatial passes over different models");
        }
        for (int c = 0; c < s0.length; c++) {
            s0[c] += other.s0[c];
        }
        for (int i = 0; i < t1.length; i++) {
            t1[i] += other.t1[i];
            t2[i] += other.t2[i];
        }
        count += other.count;
    }

    /** @return the descriptors added so far */
    public long count() {
        return count;
    }

    /** @return the spatial Gaussians of the descriptors added so far */
    public SpatialModel result() {
        int k = s0.length;
        double[] m = new double[2 * k];
        double[] s = new double[2 * k];
        for (int c = 0; c < k; c++) {
            for (int e = 0; e < 2; e++) {
                int i = 2 * c + e;
                if (s0[c] > 0) {
                    m[i] = t1[i] / s0[c];
                    s[i] = Math.max(t2[i] / s0[c] - m[i] * m[i], VARIANCE_FLOOR);
                } else {
                    m[i] = 0.5;
                    s[i] = SpatialModel.UNIFORM_VARIANCE;
                }
            }
        }
        return SpatialModel.of(m, s);
    }
}
