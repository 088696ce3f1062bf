package dev.fvec.simd;

import dev.fvec.Kernels;
import dev.fvec.ServiceGradeTests;
import dev.fvec.Tolerances;
import dev.fvec.spi.KernelProvider;

/** Core's {@link ServiceGradeTests} (concurrency, determinism, numerical stress) on the SIMD kernel. */
class SimdServiceGradeTest extends ServiceGradeTests {
    @Override
    protected KernelProvider provider() {
        return Kernels.byName("simd");
    }

    @Override
    protected Tolerances.Tolerance tolerance() {
        return Tolerances.FLOAT_KERNEL;
    }
}
