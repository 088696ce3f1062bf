package dev.fvec.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fvec.DiagonalGmm;
import dev.fvec.FisherEncoder;
import dev.fvec.GmmStatistics;
import dev.fvec.Sparsity;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link SimdKernel#accumulateIfFinite}, which checks the input within the kernel's own pass: it
 * reports NaN and infinities wherever they lie (first descriptor, inside seeded batches, the tail
 * after the last whole block), on the vector lanes and on the twin, pruned or not, for every kind
 * of sparsity; values that are finite but beyond float's working range still fall back to the
 * scalar reference and are not reported; a clean call's statistics are bitwise those of
 * {@code accumulate}; and a kernel that reported one gives, on its next call, bitwise what a fresh
 * kernel gives (the aborted call left no queued terms behind).
 */
class InPassFiniteCheckTest {

    private static final float[] BAD = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
    private static final Sparsity[] SPARSITIES = {Sparsity.threshold(1e-6), Sparsity.none(), Sparsity.hard()};

    /** Descriptors near the model's means (each near one component), so that terms are kept and seeded pruning skips groups. */
    private static float[] near(DiagonalGmm model, int n, long seed) {
        int d = model.dimension();
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            int c = rnd.nextInt(model.components());
            for (int j = 0; j < d; j++) {
                x[i * d + j] = model.mean(c, j) + (float) rnd.nextDouble(-1, 1);
            }
        }
        return x;
    }

    private static void assertSameStatistics(GmmStatistics want, GmmStatistics got, String what) {
        assertEquals(want.count(), got.count(), what + ": count");
        assertEquals(want.keptTerms(), got.keptTerms(), what + ": kept terms");
        assertEquals(Double.doubleToLongBits(want.logLikelihood()), Double.doubleToLongBits(got.logLikelihood()),
                what + ": log-likelihood");
        assertArrayEquals(want.s0(), got.s0(), what + ": S0");
        assertArrayEquals(want.s1(), got.s1(), what + ": S1");
        assertArrayEquals(want.s2(), got.s2(), what + ": S2");
    }

    @Test
    void reportsEveryNonFiniteValueAndStaysUsable() {
        DiagonalGmm[] models = {
            GroupGeometryTest.clustered(GroupGeometry.MIN_GROUPS + 1, 24, 7), // seeded pruning
            GroupGeometryTest.clustered(GroupGeometry.MIN_GATHERED_GROUPS + 1, 24, 6), // seeded pruning, gathered groups
            GroupGeometryTest.clustered(2, 24, 8), // ordered, not pruned
            DiagonalGmm.of(new float[] {0.5f, 0.5f}, new float[] {0, 0, 1, 1}, new float[] {1, 1, 1, 1}), // one group
        };
        for (DiagonalGmm model : models) {
            int d = model.dimension();
            int n = 3 * 256 + 5; // several seeded batches and a tail
            float[] clean = near(model, n, 11);
            int[] at = {0, 1, 200, 517, n - 1};
            for (Sparsity sparsity : SPARSITIES) {
                for (boolean twin : new boolean[] {false, true}) {
                    String what = "K = " + model.components() + ", " + sparsity + (twin ? ", twin" : ", vector");
                    SimdKernel kernel = twin ? SimdKernel.twin(model, sparsity) : SimdKernel.vector(model, sparsity);
                    GmmStatistics want = GmmStatistics.forModel(model);
                    (twin ? SimdKernel.twin(model, sparsity) : SimdKernel.vector(model, sparsity)).accumulate(clean, 0, n, want);
                    GmmStatistics got = GmmStatistics.forModel(model);
                    assertTrue(kernel.accumulateIfFinite(clean, 0, n, got), what);
                    assertSameStatistics(want, got, what + ", clean");
                    for (int i : at) {
                        float bad = BAD[i % BAD.length];
                        float[] x = clean.clone();
                        x[i * d + (i % d)] = bad;
                        got.reset();
                        assertFalse(kernel.accumulateIfFinite(x, 0, n, got), what + ": " + bad + " in descriptor " + i);
                        got.reset();
                        assertTrue(kernel.accumulateIfFinite(clean, 0, n, got), what);
                        assertSameStatistics(want, got, what + ", after " + bad + " in descriptor " + i);
                    }
                }
            }
        }
    }

    @Test
    void finiteValuesBeyondFloatsRangeFallBackAndAreNotReported() {
        DiagonalGmm model = GroupGeometryTest.clustered(GroupGeometry.MIN_GROUPS + 1, 24, 9);
        int d = model.dimension();
        int n = 300;
        float[] x = near(model, n, 12);
        x[5 * d + 3] = 3e30f; // beyond PackedModel.VALUE_LIMIT, finite
        x[299 * d] = -3e30f;
        for (boolean twin : new boolean[] {false, true}) {
            SimdKernel kernel = twin ? SimdKernel.twin(model, Sparsity.threshold(1e-6)) : SimdKernel.vector(model, Sparsity.threshold(1e-6));
            GmmStatistics want = GmmStatistics.forModel(model);
            kernel.accumulate(x, 0, n, want);
            GmmStatistics got = GmmStatistics.forModel(model);
            assertTrue(kernel.accumulateIfFinite(x, 0, n, got));
            assertSameStatistics(want, got, twin ? "twin" : "vector");
            assertEquals(n, got.count());
        }
    }

    @Test
    void throughAProjectionTheRawValueIsNamed() {
        DiagonalGmm base = GroupGeometryTest.clustered(GroupGeometry.MIN_GROUPS + 1, 24, 14);
        int d = base.dimension();
        int din = 40;
        SplittableRandom rnd = new SplittableRandom(15);
        float[] mean = new float[din];
        float[] components = new float[d * din];
        for (int i = 0; i < d; i++) {
            components[i * din + i] = 1; // the first D input dimensions, plus a little of the rest
            for (int j = d; j < din; j++) {
                components[i * din + j] = (float) rnd.nextDouble(-0.01, 0.01);
            }
        }
        DiagonalGmm model = base.withProjection(dev.fvec.Projection.of(din, d, mean, components, null, false));
        int n = 600;
        float[] near = near(base, n, 16);
        float[] clean = new float[n * din];
        for (int i = 0; i < n; i++) {
            System.arraycopy(near, i * d, clean, i * din, d);
        }
        FisherEncoder e = FisherEncoder.builder(model).improved().kernel(new SimdKernelProvider()).build();
        float[] want = e.encode(clean, n);
        for (int i : new int[] {0, 255, 256, n - 1}) {
            float bad = BAD[i % BAD.length];
            int j = d + i % (din - d); // a dimension the projection all but drops
            float[] x = clean.clone();
            x[i * din + j] = bad;
            IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> e.encode(x, n));
            String expected = "x[" + (i * din + j) + "] = " + bad + " (descriptor " + i + ", dimension " + j + ")";
            assertTrue(thrown.getMessage().startsWith(expected), thrown.getMessage());
            assertArrayEquals(want, e.encode(clean, n), "after " + bad + " in descriptor " + i);
        }
    }

    @Test
    void theEncoderNamesTheFirstValueWritesNothingAndEncodesTheNextCall() {
        DiagonalGmm model = GroupGeometryTest.clustered(GroupGeometry.MIN_GROUPS + 1, 24, 10);
        int d = model.dimension();
        int n = 600;
        float[] clean = near(model, n, 13);
        FisherEncoder e = FisherEncoder.builder(model).improved().kernel(new SimdKernelProvider()).build();
        float[] want = new float[e.length()];
        FisherEncoder.builder(model).improved().kernel(new SimdKernelProvider()).build().encode(clean, 0, n, want, 0);
        float[] x = clean.clone();
        x[417 * d + 5] = Float.NaN;
        x[530 * d] = Float.NEGATIVE_INFINITY;
        float[] out = new float[e.length()];
        Arrays.fill(out, 7f);
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> e.encode(x, 0, n, out, 0));
        assertTrue(thrown.getMessage().startsWith("x[" + (417 * d + 5) + "] = NaN (descriptor 417, dimension 5)"), thrown.getMessage());
        for (float v : out) {
            assertEquals(7f, v);
        }
        e.encode(clean, 0, n, out, 0);
        assertArrayEquals(want, out);
    }
}
