package dev.fvec.spi;

/**
 * The projection step of a model with a PCA {@link dev.fvec.Projection}: turns a block of
 * {@code Din}-column descriptors into the {@code D}-column rows the statistics kernel takes
 * (SPEC.md, "PCA projection"). {@link KernelProvider#createProjection} makes them.
 *
 * <p>An instance is bound to one projection, may own scratch space, and is <b>not</b>
 * thread-safe: use one per thread. Callers check ranges and finiteness; implementations only
 * {@code assert}. A result must depend only on the inputs, never on which code path (or JIT state)
 * served the call.
 */
public interface ProjectionKernel {

    /**
     * Writes {@code y[n * D + j]} for {@code n < count}, {@code j < D}, from descriptors
     * {@code x[offset + n * Din + i]}. Allocates nothing.
     *
     * @param x descriptors, row-major, {@code Din} columns
     * @param offset index in {@code x} of the first descriptor's first value
     * @param count number of descriptors
     * @param y output, row-major, {@code D} columns, at least {@code count * D} long
     */
    void project(float[] x, int offset, int count, float[] y);
}
