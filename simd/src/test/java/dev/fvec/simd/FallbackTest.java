package dev.fvec.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fvec.DiagonalGmm;
import dev.fvec.GmmStatistics;
import dev.fvec.Kernels;
import dev.fvec.Sparsity;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What float cannot hold goes to the scalar reference: descriptors whose log-likelihoods overflow
 * or whose values exceed 2^59, and models whose inverse variances leave the normal float range.
 * The results then match the reference (exactly where the whole model falls back).
 */
class FallbackTest {

    static final Sparsity[] SPARSITIES = {Sparsity.none(), Sparsity.threshold(1e-6), Sparsity.hard()};

    static void assertMatches(DiagonalGmm model, float[] x, int n) {
        for (Sparsity s : SPARSITIES) {
            GmmStatistics expected = GmmStatistics.forModel(model);
            Kernels.scalar().create(model, s).accumulate(x, 0, n, expected);
            GmmStatistics got = GmmStatistics.forModel(model);
            SimdKernel.vector(model, s).accumulate(x, 0, n, got);
            List<String> problems = FloatErrorModel.of(model, x, n, s).compareStatistics(expected, got);
            assertTrue(problems.isEmpty(), s + ": " + problems);
            assertTrue(Double.isFinite(got.logLikelihood()) && Double.isFinite(got.s2()[0]), s + ": not finite");
        }
    }

    @Test
    void overflowingLogLikelihoodsAndHugeValues() {
        // Variances 1e-30: a descriptor 1e10 away has (x - mu)^2 / var = 1e50, beyond float.
        DiagonalGmm model = DiagonalGmm.of(new float[] {0.5f, 0.5f}, new float[] {0, 0, 1, 1},
                new float[] {1e-30f, 1e-30f, 1, 1});
        float[] x = {
            1e10f, 1e10f, // every log-likelihood overflows in float
            0.5f, 0.5f, // ordinary
            1e30f, -1e30f, // |x| > 2^59: x^2 would overflow the float window
            1, 1, 2, 2, 3, 3, // the block path after the fallbacks
        };
        assertMatches(model, x, 6);
    }

    @Test
    void aModelFloatCannotHoldIsComputedByTheReference() {
        // 1 / (2 * 1e-39) = 5e38 > Float.MAX_VALUE.
        DiagonalGmm model = DiagonalGmm.of(new float[] {0.25f, 0.75f}, new float[] {0, 3},
                new float[] {1e-39f, 2});
        float[] x = {0, 1, 2, 3, 4, 1e-20f, 7};
        for (Sparsity s : SPARSITIES) {
            GmmStatistics expected = GmmStatistics.forModel(model);
            Kernels.scalar().create(model, s).accumulate(x, 0, x.length, expected);
            GmmStatistics got = GmmStatistics.forModel(model);
            SimdKernel.vector(model, s).accumulate(x, 0, x.length, got);
            assertArrayEquals(expected.s0(), got.s0(), 0, s.toString());
            assertArrayEquals(expected.s1(), got.s1(), 0, s.toString());
            assertArrayEquals(expected.s2(), got.s2(), 0, s.toString());
            assertEquals(expected.logLikelihood(), got.logLikelihood(), 0, s.toString());
            assertEquals(expected.keptTerms(), got.keptTerms(), s.toString());
        }
    }
}
