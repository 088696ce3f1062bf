package dev.fvec;

/**
 * Makes {@link StatisticsKernel}s. The scalar provider lives in core; the Vector API one in the
 * {@code fvec-simd} module, found with {@link java.util.ServiceLoader}. {@link Kernels} picks one.
 */
public interface KernelProvider {

    /** Short name: {@code "scalar"} or {@code "simd"}. */
    String name();

    /**
     * Why this provider cannot run in this JVM, or {@code null} when it can. Must not throw, and
     * must not load classes that need an absent module.
     */
    String unavailableReason();

    /** A new kernel (with its own scratch space) for {@code model} and {@code sparsity}. */
    StatisticsKernel create(DiagonalGmm model, Sparsity sparsity);
}
