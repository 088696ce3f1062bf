package dev.fvec.spi;

import dev.fvec.DiagonalGmm;
import dev.fvec.Sparsity;

/**
 * Makes {@link StatisticsKernel}s. The scalar provider lives in core; the Vector API one in the
 * {@code fvec-simd} module, found with {@link java.util.ServiceLoader} under this interface's
 * name. {@link dev.fvec.Kernels} picks one.
 */
public interface KernelProvider {

    /**
     * The provider installed under {@code name}, usable here or not (see
     * {@link #unavailableReason()}): {@code "simd"} when {@code fvec-simd} is on the class or module
     * path. Users pick kernels with {@link dev.fvec.Kernels}; this is for code that needs the
     * provider itself, usable or not (tests, diagnostics).
     *
     * @param name the provider's {@link #name()}
     * @return the provider, or {@code null} when none of that name is installed
     */
    static KernelProvider installed(String name) {
        for (KernelProvider p : java.util.ServiceLoader.load(KernelProvider.class, KernelProvider.class.getClassLoader())) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Short name.
     *
     * @return {@code "scalar"} or {@code "simd"}
     */
    String name();

    /**
     * Why this provider cannot run in this JVM, or {@code null} when it can. Must not throw, and
     * must not load classes that need an absent module.
     *
     * @return the reason, or {@code null}
     */
    String unavailableReason();

    /**
     * A new kernel (with its own scratch space) for {@code model} and {@code sparsity}.
     *
     * @param model the mixture the kernel evaluates
     * @param sparsity how posteriors are sparsified
     * @return a kernel for one thread at a time
     */
    StatisticsKernel create(DiagonalGmm model, Sparsity sparsity);

    /**
     * A new projection step (with its own scratch space) for a model's {@code projection}, run on
     * each block of descriptors before this provider's statistics kernel. The default is the
     * reference, {@link dev.fvec.Projection#project} (double precision); a provider may compute
     * in float as long as its results do not depend on the code path or JIT state.
     *
     * @param projection the model's projection
     * @return a projection step for one thread at a time
     */
    default ProjectionKernel createProjection(dev.fvec.Projection projection) {
        return (x, offset, count, y) -> projection.project(x, offset, count, y, 0);
    }

    /**
     * Prepares this provider's kernels so that the first real calls are fast (e.g. runs the hot
     * loop until the JIT has compiled it), the kernels of encoders built before the call included
     * (a provider may have code paths that only some models take). Idempotent: once everything it
     * knows of is prepared, calls return at once. Thread-safe. The default does nothing; a provider
     * that is unavailable here does nothing.
     */
    default void warmUp() {
    }

    /**
     * The row arithmetic of spatial-pyramid cells ({@link CellRows}) for this provider's kernels; a
     * new instance, for one thread. The default is plain Java ({@link CellRows#scalar(int)}, 4 lanes).
     *
     * @return the rows
     */
    default CellRows createCellRows() {
        return CellRows.scalar(4);
    }
}
