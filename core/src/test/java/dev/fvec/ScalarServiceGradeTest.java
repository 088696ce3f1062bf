package dev.fvec;

import dev.fvec.spi.KernelProvider;

/** {@link ServiceGradeTests} on the scalar reference kernel. */
class ScalarServiceGradeTest extends ServiceGradeTests {
    @Override
    protected KernelProvider provider() {
        return Kernels.scalar();
    }

    @Override
    protected Tolerances.Tolerance tolerance() {
        return Tolerances.REFERENCE;
    }
}
