package dev.fvec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fvec.spi.KernelProvider;
import dev.fvec.spi.StatisticsKernel;
import org.junit.jupiter.api.Test;

class KernelsTest {

    private static final String MODULE_REASON =
            "the jdk.incubator.vector module is not present (run java with --add-modules jdk.incubator.vector)";

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void theFallbackReasonSaysOncePreciselyWhatIsMissing() {
        String noJar = Kernels.fallbackReason(true, null, false);
        assertTrue(noJar.contains("dev.fvec:fvec-simd"), noJar);
        assertEquals(1, count(noJar, "--add-modules jdk.incubator.vector"), noJar);

        String noJarModuleThere = Kernels.fallbackReason(true, null, true);
        assertTrue(noJarModuleThere.contains("dev.fvec:fvec-simd"), noJarModuleThere);
        assertFalse(noJarModuleThere.contains("--add-modules"), noJarModuleThere);

        // fvec-simd is there: never ask to add it; the module advice once, whoever gives it.
        String noModule = Kernels.fallbackReason(false, MODULE_REASON, false);
        assertEquals(MODULE_REASON, noModule);
        String otherReasonNoModule = Kernels.fallbackReason(false, "the Vector API failed to initialise", false);
        assertEquals("the Vector API failed to initialise; run java with --add-modules jdk.incubator.vector",
                otherReasonNoModule);
        String jit = Kernels.fallbackReason(false, "-XX:TieredStopAtLevel=1 keeps the C2 JIT off", true);
        assertEquals("-XX:TieredStopAtLevel=1 keeps the C2 JIT off", jit);
        for (String s : new String[] {noModule, otherReasonNoModule, jit}) {
            assertFalse(s.contains("fvec-simd"), s);
        }
    }

    @Test
    void theDescriptionAndLogLevelFollowTheChoice() {
        KernelChoice forced = new KernelChoice(Kernels.scalar(), true, null);
        assertEquals("scalar kernel (forced by -Dfvec.kernel=scalar)", forced.describe());
        assertEquals(System.Logger.Level.DEBUG, Kernels.logLevel(forced));

        KernelChoice fallback = new KernelChoice(Kernels.scalar(), false, MODULE_REASON);
        assertTrue(fallback.isFallback());
        assertEquals("scalar kernel: " + MODULE_REASON, fallback.describe());
        assertEquals(System.Logger.Level.INFO, Kernels.logLevel(fallback));

        KernelChoice simd = new KernelChoice(fakeSimd(), false, null);
        assertFalse(simd.isFallback());
        assertEquals("simd kernel (FloatVector 512-bit, 16 lanes)", simd.describe());
        assertEquals(System.Logger.Level.DEBUG, Kernels.logLevel(simd));
    }

    @Test
    void withoutFvecSimdTheChoiceIsAScalarFallbackThatSaysSo() {
        String forced = System.getProperty(Kernels.PROPERTY);
        KernelChoice c = Kernels.choice();
        assertSame(c, Kernels.choice(), "decided once");
        assertSame(c.provider(), Kernels.provider());
        if (forced == null || forced.isEmpty()) {
            assertEquals("scalar", c.provider().name(), "core's tests have no fvec-simd");
            assertFalse(c.forced());
            assertTrue(c.fallbackReason().contains("dev.fvec:fvec-simd"), c.fallbackReason());
        } else {
            assertTrue(c.forced());
            assertNull(c.fallbackReason());
        }
    }

    private static KernelProvider fakeSimd() {
        return new KernelProvider() {
            @Override
            public String name() {
                return "simd";
            }

            @Override
            public String unavailableReason() {
                return null;
            }

            @Override
            public StatisticsKernel create(DiagonalGmm model, Sparsity sparsity) {
                throw new UnsupportedOperationException();
            }

            @Override
            public String toString() {
                return "simd (FloatVector 512-bit, 16 lanes)";
            }
        };
    }
}
