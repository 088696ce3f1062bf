/**
 * fvec's Vector API kernel, a {@link dev.fvec.spi.KernelProvider} that {@code dev.fvec.Kernels}
 * finds and chooses when it can run. The vector module is optional ({@code requires static}):
 * without {@code --add-modules jdk.incubator.vector} this module still loads and reports itself
 * unavailable, and the scalar kernel is used.
 */
module dev.fvec.simd {
    requires dev.fvec.core;
    requires java.management;
    requires static jdk.management;
    requires static jdk.incubator.vector;

    provides dev.fvec.spi.KernelProvider with dev.fvec.simd.SimdKernelProvider;
}
