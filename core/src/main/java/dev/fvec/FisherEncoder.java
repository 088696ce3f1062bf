package dev.fvec;

import dev.fvec.internal.Checks;
import dev.fvec.spi.KernelProvider;
import dev.fvec.spi.StatisticsAccess;
import dev.fvec.spi.StatisticsKernel;
import java.util.Objects;

/**
 * Turns a set of local descriptors into one Fisher vector.
 *
 * <p>Input: {@code N x D} descriptors, row-major, {@code x[offset + n * D + j]}; for a model with a
 * PCA {@link Projection}, {@code N x Din} descriptors ({@link DiagonalGmm#inputDimension()}),
 * projected to {@code D} in blocks inside the kernel's pass (see {@link DiagonalGmm#withProjection}).
 * Output: a vector of
 * {@link #length()} floats whose layout depends on the {@link FisherForm}:
 * <ul>
 *   <li>{@link FisherForm#VLFEAT}: {@code 2KD}, {@code [u_1 .. u_K | v_1 .. v_K]}, each block {@code D};</li>
 *   <li>{@link FisherForm#GIST}, {@link FisherForm#SKIMAGE}: {@code K + 2KD},
 *       {@code [d_pi (K) | d_mu (K x D) | d_sigma (K x D)]}.</li>
 * </ul>
 * Then, in this order and each optional: power normalisation {@code z -> sign(z) |z|^alpha}
 * (Perronnin, Sanchez, Mensink, ECCV 2010), and L2 normalisation {@code z -> z / max(||z||, 1e-12)}.
 * "Improved" is power 0.5 then L2. {@code N = 0} gives the all-zero vector.
 *
 * <p>Defaults: {@link FisherForm#VLFEAT}, no normalisation, the form's sparsity
 * ({@link FisherForm#defaultSparsity()}: {@code t = 1e-6} for VLFEAT, exact posteriors for GIST and
 * SKIMAGE), the kernel {@link Kernels#provider()} chooses: for VLFEAT, what
 * {@code vl_fisher_encode} does with no flags.
 *
 * <p><b>Threads and memory.</b> An encoder is immutable and safe to share between threads,
 * platform or virtual. A call borrows a scratch space (a kernel, a {@link GmmStatistics}, one
 * vector of doubles: about {@code 4KD} doubles plus the kernel's own) from a small pool owned by
 * the encoder and returns it when done. {@link Builder#build()} makes the first space, so that
 * the first call costs what later calls do (on the SIMD kernel at {@code K = 256, D = 64} the
 * space is about 1.4 MB: {@code build()} took 1-2 ms right after {@link Kernels#warmUp()}, about
 * 0.3 ms once the JIT had compiled the code that makes it, on the machine the README names). The
 * pool grows to the number of calls that ever ran at
 * once, at most {@link #POOL_SLOTS} spaces (a call beyond that gets a space of its own, dropped
 * afterwards), and goes away with the encoder: nothing is tied to a thread, so an encoder that is
 * no longer referenced is garbage collected. Once the pool holds enough spaces,
 * {@link #encode(float[], int, int, float[], int)} allocates nothing, on any thread, including a
 * new virtual thread per call.
 *
 * <p>References: F. Perronnin, J. Sanchez, T. Mensink, ECCV 2010; J. Sanchez, F. Perronnin,
 * T. Mensink, J. Verbeek, IJCV 2013; J. Krapac, J. Verbeek, F. Jurie, ICCV 2011.
 */
public final class FisherEncoder {

    /**
     * The most scratch spaces an encoder keeps: twice the processors, at least 8, at most 64.
     * More calls than this at once still work, each extra one allocating its own space.
     */
    public static final int POOL_SLOTS = Math.min(64, Math.max(8, 2 * Runtime.getRuntime().availableProcessors()));

    private final DiagonalGmm model;
    private final FisherForm form;
    private final double power; // 0: no power normalisation
    private final boolean l2;
    private final Sparsity sparsity;
    private final KernelProvider kernels;
    private final int length;
    private final WorkspacePool<Workspace> pool = new WorkspacePool<>(this::newWorkspace);

    private FisherEncoder(Builder b) {
        this.model = b.model;
        this.form = b.form;
        this.power = b.power;
        this.l2 = b.l2;
        this.sparsity = b.sparsity != null ? b.sparsity : b.form.defaultSparsity();
        this.kernels = b.kernels != null ? b.kernels : Kernels.provider();
        this.length = form.length(model.components(), model.dimension());
        model.doubles(); // made here rather than in the first call
        // The first scratch space too (the kernel, its packed model, the statistics: ~1.4 MB at
        // K = 256, D = 64 on the SIMD kernel), so that a service's first request does not pay for
        // it: made in the first call, it took ~1 ms more than the call itself (fresh heap pages).
        pool.prepare();
    }

    /** A builder for an encoder of {@code model}. */
    public static Builder builder(DiagonalGmm model) {
        return new Builder(Objects.requireNonNull(model, "model"));
    }

    /** Length of the vectors this encoder produces. */
    public int length() {
        return length;
    }

    /**
     * The model this encoder encodes against.
     *
     * @return the model
     */
    public DiagonalGmm model() {
        return model;
    }

    /**
     * The Fisher-vector form, which fixes the layout and length of the vectors.
     *
     * @return the form
     */
    public FisherForm form() {
        return form;
    }

    /**
     * The sparsity in use: the one given to the builder, or the form's default.
     *
     * @return the resolved sparsity, never {@code null}
     */
    public Sparsity sparsity() {
        return sparsity;
    }

    /** The power-normalisation exponent, or 0 when there is none. */
    public double power() {
        return power;
    }

    /** Whether the vector is L2-normalised. */
    public boolean l2() {
        return l2;
    }

    /** The kernel provider in use (for {@link SpatialEncoder}, which encodes on the same kernel). */
    KernelProvider kernelProvider() {
        return kernels;
    }

    /** The kernel in use: {@code "scalar"} or {@code "simd"}. */
    public String implementationName() {
        return kernels.name();
    }

    /**
     * Encodes {@code n} descriptors {@code x[n' * D + j]} into a new vector of {@link #length()}.
     *
     * @throws IllegalArgumentException if {@code x} is shorter than {@code n * D}, or holds NaN or infinity
     */
    public float[] encode(float[] x, int n) {
        float[] out = new float[length];
        encode(x, 0, n, out, 0);
        return out;
    }

    /**
     * Encodes {@code n} descriptors {@code x[offset + n' * D + j]} into
     * {@code out[outOffset .. outOffset + length())}. Allocates nothing after the calling thread's
     * first call.
     *
     * @throws IllegalArgumentException if a range does not fit its array, or {@code x} holds NaN or
     *     infinity (the message names the descriptor and dimension)
     * @throws ArithmeticException if an element of an unnormalised vector overflows float (descriptors
     *     near float's range); L2 normalisation never overflows
     */
    public void encode(float[] x, int offset, int n, float[] out, int outOffset) {
        Objects.requireNonNull(out, "out");
        Checks.requireRange("out", out.length, outOffset, length);
        Checks.requireModelInputShape(x, offset, n, model);
        Workspace ws = pool.borrow();
        try {
            ws.stats.reset();
            // The statistics are the workspace's own: the kernel may check the input as it reads it.
            if (!ws.kernel.accumulateIfFinite(x, offset, n, ws.stats)) {
                requireFinite(ws.kernel, x, offset, n);
                throw new AssertionError("the kernel found a NaN or infinity that its check does not");
            }
            toVector(ws.stats, ws.vector, out, outOffset);
        } finally {
            pool.giveBack(ws);
        }
    }

    /** New empty statistics shaped for this encoder's model. */
    public GmmStatistics newStatistics() {
        return GmmStatistics.forModel(model);
    }

    /**
     * Adds {@code n} descriptors {@code x[offset + n' * D + j]} to {@code stats}, with this encoder's
     * sparsification, so a vector can be built from several blocks (frames, tiles) with
     * {@link #encode(GmmStatistics, float[], int)}.
     *
     * @throws IllegalArgumentException on shape mismatch, a range outside {@code x}, or NaN/infinity
     */
    public void accumulate(float[] x, int offset, int n, GmmStatistics stats) {
        checkStatistics(stats);
        Checks.requireModelInputShape(x, offset, n, model);
        Workspace ws = pool.borrow();
        try {
            requireFinite(ws.kernel, x, offset, n);
            ws.kernel.accumulate(x, offset, n, stats);
        } finally {
            pool.giveBack(ws);
        }
    }

    /**
     * The input's finiteness, by the kernel (the SIMD kernel compares whole vectors: 17 -> 2 us for
     * 1000 x 64 floats on Zen 5), before it reads any: nothing is written when a value is NaN or
     * infinite. {@code Din} columns: before any projection. Throws naming the first such value.
     */
    private void requireFinite(StatisticsKernel kernel, float[] x, int offset, int n) {
        int din = model.inputDimension();
        int i = kernel.firstNonFinite(x, offset, offset + n * din);
        if (i >= 0) {
            throw Checks.nonFiniteDescriptor(x, i, offset, din);
        }
    }

    /** Encodes accumulated statistics into a new vector. */
    public float[] encode(GmmStatistics stats) {
        float[] out = new float[length];
        encode(stats, out, 0);
        return out;
    }

    /**
     * Encodes accumulated statistics into {@code out[outOffset .. outOffset + length())}.
     *
     * @throws IllegalArgumentException if {@code stats} is not shaped for this model
     */
    public void encode(GmmStatistics stats, float[] out, int outOffset) {
        checkStatistics(stats);
        Objects.requireNonNull(out, "out");
        Checks.requireRange("out", out.length, outOffset, length);
        Workspace ws = pool.borrow();
        try {
            toVector(stats, ws.vector, out, outOffset);
        } finally {
            pool.giveBack(ws);
        }
    }

    private Workspace newWorkspace() {
        return new Workspace(ProjectingKernel.create(kernels, model, sparsity), GmmStatistics.forModel(model),
                new VectorParts(form, model.components(), model.dimension(), 0));
    }

    private void checkStatistics(GmmStatistics stats) {
        Objects.requireNonNull(stats, "stats");
        if (stats.components() != model.components() || stats.dimension() != model.dimension()) {
            throw new IllegalArgumentException("statistics of K = " + stats.components() + ", D = "
                    + stats.dimension() + " do not match the model's K = " + model.components() + ", D = "
                    + model.dimension());
        }
    }

    /** SPEC.md "Fisher-vector forms" (the form's own maths) then "Normalisations", in double, rounded to float at the end. */
    private void toVector(GmmStatistics stats, VectorParts fv, float[] out, int outOffset) {
        long count = stats.count();
        if (count == 0) {
            java.util.Arrays.fill(out, outOffset, outOffset + length, 0f);
            return;
        }
        form.gradients(model, StatisticsAccess.s0(stats), StatisticsAccess.s1(stats), StatisticsAccess.s2(stats),
                1.0 / count, fv);
        Normalisation.finish(fv.parts, power, l2, out, outOffset);
    }

    /** One call's scratch space; static, so it holds no reference to its encoder. */
    private static final class Workspace {
        final StatisticsKernel kernel;
        final GmmStatistics stats;
        final VectorParts vector;

        Workspace(StatisticsKernel kernel, GmmStatistics stats, VectorParts vector) {
            this.kernel = kernel;
            this.stats = stats;
            this.vector = vector;
        }
    }

    /** Options of a {@link FisherEncoder}; not thread-safe, reusable. */
    public static final class Builder {
        private final DiagonalGmm model;
        private FisherForm form = FisherForm.VLFEAT;
        private double power;
        private boolean l2;
        private Sparsity sparsity; // null: the form's default, resolved by build()
        private KernelProvider kernels;

        private Builder(DiagonalGmm model) {
            this.model = model;
        }

        /** The form; default {@link FisherForm#VLFEAT}. */
        public Builder form(FisherForm form) {
            this.form = Objects.requireNonNull(form, "form");
            return this;
        }

        /**
         * Power normalisation {@code z -> sign(z) |z|^alpha}, {@code alpha} in {@code (0, 1]}
         * (0.5 is the signed square root); {@code alpha = 0} turns it off (the default).
         */
        public Builder power(double alpha) {
            if (!(alpha >= 0 && alpha <= 1)) {
                throw new IllegalArgumentException("power exponent " + alpha
                        + " is outside (0, 1] (0 turns power normalisation off)");
            }
            this.power = alpha;
            return this;
        }

        /** L2 normalisation {@code z -> z / max(||z||, 1e-12)}, after power normalisation; default off. */
        public Builder l2(boolean on) {
            this.l2 = on;
            return this;
        }

        /** The "improved" Fisher vector: power 0.5 then L2. */
        public Builder improved() {
            return power(0.5).l2(true);
        }

        /**
         * Posterior sparsification. When this is not called, {@link #build()} uses the form's
         * default, {@link FisherForm#defaultSparsity()} ({@code t = 1e-6} for VLFEAT, exact for GIST
         * and SKIMAGE), whenever the form was set.
         *
         * @param sparsity the sparsity
         * @return this builder
         */
        public Builder sparsity(Sparsity sparsity) {
            this.sparsity = Objects.requireNonNull(sparsity, "sparsity");
            return this;
        }

        /** Forces a kernel provider; default {@link Kernels#provider()}. */
        public Builder kernel(KernelProvider provider) {
            String why = Objects.requireNonNull(provider, "provider").unavailableReason();
            if (why != null) {
                throw new IllegalStateException("kernel '" + provider.name() + "' cannot run here: " + why);
            }
            this.kernels = provider;
            return this;
        }

        /**
         * Builds the encoder, resolving the defaults (sparsity from the form, kernel from
         * {@link Kernels#provider()}).
         *
         * @return a new encoder; the builder can be reused
         */
        public FisherEncoder build() {
            return new FisherEncoder(this);
        }
    }
}
