package dev.fvec;

/**
 * The hot loop behind every encoder and every EM E-step: accumulates the posteriors and
 * statistics of a block of descriptors (SPEC.md, "Posteriors" and "Sufficient statistics").
 *
 * <p>An instance is bound to one model and one {@link Sparsity}, owns its scratch space, and is
 * <b>not</b> thread-safe: use one per thread. {@link KernelProvider#create} makes them.
 *
 * <p>Callers (the encoder, the trainer) validate shapes and finiteness before calling; kernels
 * only {@code assert}.
 */
public interface StatisticsKernel {

    /**
     * Adds descriptors {@code x[offset + n * D + j]} for {@code n < count}, {@code j < D}, to
     * {@code stats}: {@code N}, kept terms, log-likelihood, {@code S0}, {@code S1}, {@code S2}.
     * Allocates nothing.
     */
    void accumulate(float[] x, int offset, int count, GmmStatistics stats);

    /** The provider's name, e.g. {@code "scalar"} or {@code "simd"}. */
    String implementationName();
}
