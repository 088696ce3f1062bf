package dev.fvec.spi;

import dev.fvec.GmmStatistics;

/**
 * The hot loop behind every encoder and every EM E-step: accumulates the posteriors and
 * statistics of a block of descriptors (SPEC.md, "Posteriors" and "Sufficient statistics").
 *
 * <p>An instance is bound to one model and one {@link dev.fvec.Sparsity}, owns its scratch space,
 * and is <b>not</b> thread-safe: use one per thread. {@link KernelProvider#create} makes them.
 *
 * <p>Callers (the encoder, the trainer) validate shapes and finiteness before calling; kernels
 * only {@code assert}. Kernels write the moments through {@link StatisticsAccess}.
 */
public interface StatisticsKernel {

    /**
     * Adds descriptors {@code x[offset + n * D + j]} for {@code n < count}, {@code j < D}, to
     * {@code stats}: {@code N}, kept terms, log-likelihood, {@code S0}, {@code S1}, {@code S2}.
     * Allocates nothing.
     *
     * @param x descriptors, row-major
     * @param offset index in {@code x} of the first descriptor's first value
     * @param count number of descriptors
     * @param stats statistics shaped for this kernel's model, added to
     */
    void accumulate(float[] x, int offset, int count, GmmStatistics stats);

    /**
     * As {@link #accumulate(float[], int, int, GmmStatistics)}, and also reports every kept term to
     * {@code sink} (see {@link KeptTermSink}); the statistics are bitwise those of the call without a
     * sink. Allocates nothing. The default supports {@code sink == null} only; both kernels of fvec
     * override it.
     *
     * @param x descriptors, row-major
     * @param offset index in {@code x} of the first descriptor's first value
     * @param count number of descriptors
     * @param stats statistics shaped for this kernel's model, added to
     * @param sink receives the kept terms, or {@code null}
     * @throws UnsupportedOperationException if the kernel cannot report its terms
     */
    default void accumulate(float[] x, int offset, int count, GmmStatistics stats, KeptTermSink sink) {
        if (sink != null) {
            throw new UnsupportedOperationException("kernel '" + implementationName() + "' does not report kept terms");
        }
        accumulate(x, offset, count, stats);
    }

    /**
     * As {@link #accumulate(float[], int, int, GmmStatistics)}, for descriptors not yet checked for
     * NaN and infinity ({@code stats.dimension()} values each): returns {@code false} when some value
     * is NaN or infinite, leaving {@code stats} unspecified (the caller discards them, and finds the
     * value with {@link #firstNonFinite}), else {@code true}. The kernel stays usable either way. The
     * default checks first, as the encoder did; a kernel may check within its own pass over the
     * values instead (the SIMD kernel does: the check's separate pass over the input was 4% of an
     * encode at D = 128, K = 64). Allocates nothing.
     *
     * @param x descriptors, row-major
     * @param offset index in {@code x} of the first descriptor's first value
     * @param count number of descriptors
     * @param stats statistics shaped for this kernel's model, added to
     * @return whether every value was finite (and {@code stats} hold the call's statistics)
     */
    default boolean accumulateIfFinite(float[] x, int offset, int count, GmmStatistics stats) {
        if (firstNonFinite(x, offset, offset + count * stats.dimension()) >= 0) {
            return false;
        }
        accumulate(x, offset, count, stats);
        return true;
    }

    /**
     * The first index in {@code [from, to)} of {@code x} that holds NaN or infinity, or {@code -1}
     * when every value there is finite: the encoder's check of its input, run before
     * {@link #accumulate}, which a kernel may do faster than a plain loop. The default is that
     * loop; the SIMD kernel compares whole vectors. Allocates nothing.
     *
     * @param x the values
     * @param from first index checked
     * @param to end of the checked range, exclusive
     * @return that index, or {@code -1}
     */
    default int firstNonFinite(float[] x, int from, int to) {
        return dev.fvec.internal.Checks.firstNonFinite(x, from, to);
    }

    /**
     * The provider's name.
     *
     * @return e.g. {@code "scalar"} or {@code "simd"}
     */
    String implementationName();
}
