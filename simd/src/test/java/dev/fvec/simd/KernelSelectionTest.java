package dev.fvec.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fvec.DiagonalGmm;
import dev.fvec.FisherEncoder;
import dev.fvec.Kernels;
import dev.fvec.Sparsity;
import dev.fvec.spi.KernelProvider;
import org.junit.jupiter.api.Test;

/**
 * Which kernel is selected. CI runs this class twice: with {@code --add-modules jdk.incubator.vector}
 * and {@code -Dfvec.expectKernel=simd} (the simd module's default), and without the module and with
 * {@code -Dfvec.expectKernel=scalar}; a silent fallback fails the first run. So nothing here may
 * touch {@code jdk.incubator.vector} unless the module is present.
 */
class KernelSelectionTest {

    static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    @Test
    void theDefaultProviderIsTheExpectedOne() {
        String expected = System.getProperty("fvec.expectKernel");
        KernelProvider chosen = Kernels.provider();
        if (expected != null && !expected.isEmpty()) {
            assertEquals(expected, chosen.name(), "Kernels.provider() chose " + chosen
                    + "; the simd provider says: " + KernelProvider.installed("simd"));
        }
        DiagonalGmm model = DiagonalGmm.of(new float[] {1}, new float[] {0}, new float[] {1});
        assertEquals(chosen.name(), FisherEncoder.builder(model).build().implementationName());
    }

    @Test
    void theSimdProviderIsFoundByServiceLoader() {
        KernelProvider simd = KernelProvider.installed("simd");
        assertNotNull(simd, "META-INF/services/dev.fvec.spi.KernelProvider should register dev.fvec.simd.SimdKernelProvider");
        assertEquals("simd", simd.name());
        assertTrue(simd instanceof SimdKernelProvider);
    }

    @Test
    void availabilityFollowsTheVectorModule() {
        KernelProvider simd = new SimdKernelProvider();
        String why = simd.unavailableReason();
        if (!vectorModulePresent()) {
            assertEquals(SimdKernelProvider.NO_MODULE, why);
            assertTrue(simd.toString().contains("--add-modules jdk.incubator.vector"), simd.toString());
            return;
        }
        // With the module on a HotSpot C2 JVM with FMA (the test machines), it must be usable.
        assertNull(why, "simd unavailable: " + why);
        assertTrue(simd.toString().matches("simd \\(FloatVector \\d+-bit, \\d+ lanes\\)"), simd.toString());
        assertEquals("simd", simd.create(DiagonalGmm.of(new float[] {1}, new float[] {0}, new float[] {1}),
                Sparsity.none()).implementationName());
    }

    @Test
    void theJitCheckAcceptsThisJvm() {
        // Surefire's JVM runs with the default JIT settings: C2 on, FMA on the test machines.
        assertNull(SimdKernelProvider.jitReason());
    }
}
