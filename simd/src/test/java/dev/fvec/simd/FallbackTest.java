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

    /**
     * {@code |x| > 2^59} in a row's whole vectors and in its remainder (D = 19 at every width), on
     * the block path (K = 3) and the seeded path (8 groups of lanes, D >= 16): the range is decided
     * while the row is centred ({@link Lanes#centre}), and exactly those two descriptors go to the
     * reference. Dimensions 2 and 18 have means near {@code 2^59} and variances {@code 1e34}, so
     * the two rows' log-likelihoods are ordinary: only the range check can send them there.
     */
    @Test
    void hugeValuesInTheWholeVectorsAndTheRemainder() {
        int d = 19;
        float huge = 0x1p59f;
        for (int k : new int[] {3, 8 * VectorLanes.LANES}) {
            java.util.SplittableRandom rnd = new java.util.SplittableRandom(k);
            float[] w = new float[k];
            float[] mu = new float[k * d];
            float[] var = new float[k * d];
            for (int c = 0; c < k; c++) {
                w[c] = 1f / k;
                for (int j = 0; j < d; j++) {
                    boolean far = j == 2 || j == 18;
                    mu[c * d + j] = far ? huge * (1 - 1e-3f * (c % 5)) : (float) (10 * (c % 5) + rnd.nextDouble(-1, 1));
                    var[c * d + j] = far ? 1e34f : 1;
                }
            }
            DiagonalGmm model = DiagonalGmm.of(w, mu, var);
            int n = 24;
            float[] x = new float[n * d];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    boolean far = j == 2 || j == 18;
                    x[i * d + j] = far ? huge * (float) (1 - rnd.nextDouble(0, 5e-3)) : (float) rnd.nextDouble(-1, 41);
                }
            }
            x[3 * d + 2] = huge * 1.01f; // in the first whole vector
            x[10 * d + 18] = huge * 1.01f; // in the remainder
            for (Sparsity s : SPARSITIES) {
                SimdKernel kernel = SimdKernel.vector(model, s);
                assertTrue(kernel.minTrustedMax < -100, "K = " + k + ": the float path trusts ordinary rows");
                kernel.accumulate(x, 0, n, GmmStatistics.forModel(model));
                assertEquals(2, kernel.fallbacks(), "K = " + k + ", " + s);
            }
            assertMatches(model, x, n);
        }
    }

    /**
     * Issue 10 item 6: far from every mean, float loses the posterior. K = 2, D = 1, means 0 and
     * 1e-4, variance 1, x = 5000: the float log-likelihoods (~ -1.25e7) carry errors of several nats,
     * so float gives q = [0.5, 0.5] where the truth is [0.3775, 0.6225]. The vector kernel and the
     * twin hand the descriptor to the scalar reference and so give its statistics exactly; an
     * ordinary descriptor of the same model stays on the float path.
     */
    @Test
    void farFromEveryMeanTheFloatErrorBoundSendsTheDescriptorToTheReference() {
        DiagonalGmm model = DiagonalGmm.of(new float[] {0.5f, 0.5f}, new float[] {0, 1e-4f}, new float[] {1, 1});
        float[] x = {5000};
        double q1 = 1 / (1 + Math.exp(-(5000.0 * 5000 - (5000 - 1e-4) * (5000 - 1e-4)) / 2));
        assertEquals(0.6225, q1, 1e-4, "the exact posterior of component 1");
        for (Sparsity s : new Sparsity[] {Sparsity.none(), Sparsity.threshold(1e-6)}) {
            GmmStatistics expected = GmmStatistics.forModel(model);
            Kernels.scalar().create(model, s).accumulate(x, 0, 1, expected);
            assertEquals(1 - q1, expected.s0()[0], 1e-3, "the scalar reference");
            for (SimdKernel kernel : new SimdKernel[] {SimdKernel.vector(model, s), SimdKernel.twin(model, s)}) {
                GmmStatistics got = GmmStatistics.forModel(model);
                kernel.accumulate(x, 0, 1, got);
                assertEquals(1, kernel.fallbacks(), s + ": the descriptor must go to the reference");
                assertArrayEquals(expected.s0(), got.s0(), 0, s + ": S0 " + java.util.Arrays.toString(got.s0()));
                assertArrayEquals(expected.s1(), got.s1(), 0, s.toString());
                assertArrayEquals(expected.s2(), got.s2(), 0, s.toString());
                assertEquals(expected.logLikelihood(), got.logLikelihood(), 0, s.toString());
                kernel.accumulate(new float[] {0.7f}, 0, 1, got);
                assertEquals(1, kernel.fallbacks(), s + ": an ordinary descriptor stays on the float path");
            }
        }
    }

    /**
     * The limit in numbers: with centred means ({@code B = 0}), D = 64 trusts log-likelihoods down to
     * about -1000 nats, D = 1 to about -6900; with offsets, the 2-FMA form's extra term
     * {@code 4 B (sqrt(20 + y) + sqrt(y)) + 16 u B^2} narrows it.
     */
    @Test
    void theTrustedRangeFollowsTheErrorBound() {
        double u = 0x1p-24;
        for (int d : new int[] {1, 64, 128}) {
            float[] w = {1};
            DiagonalGmm model = DiagonalGmm.of(w, new float[d], filled(d, 1));
            float limit = SimdKernel.vector(model, Sparsity.none()).minTrustedMax;
            double bound = 1.1 * u * (d + 10) * (SimdKernel.NEGLIGIBLE_NATS - 2 * limit);
            assertEquals(SimdKernel.POSTERIOR_ERROR_LIMIT, bound, 1e-6, "D = " + d + ": the bound at the limit");

            // Two components, means 0 and 2, variance 1: centred on 1, b = -+1 / sqrt(2) and
            // B = sqrt(d / 2); uncentred, b = 0 and sqrt(2), B = sqrt(2 d), twice as much, which
            // PackedModel.UNCENTRED_OFFSET_FACTOR (2) accepts: not centred.
            float[] mu = new float[2 * d];
            java.util.Arrays.fill(mu, d, 2 * d, 2f);
            DiagonalGmm two = DiagonalGmm.of(new float[] {0.5f, 0.5f}, mu, filled(2 * d, 1));
            SimdKernel kernel2 = SimdKernel.vector(two, Sparsity.none());
            assertTrue(kernel2.model.uncentred, "D = " + d + ": B uncentred twice B centred: not centred");
            float limit2 = kernel2.minTrustedMax;
            double b = Math.sqrt(2.0 * d);
            double y = -limit2;
            double bound2 = 1.1 * u * ((d + 10) * (SimdKernel.NEGLIGIBLE_NATS + 2 * y)
                    + 4 * b * (Math.sqrt(SimdKernel.NEGLIGIBLE_NATS + y) + Math.sqrt(y)) + 16 * u * b * b);
            assertEquals(SimdKernel.POSTERIOR_ERROR_LIMIT, bound2, 1e-6, "D = " + d + ", B = " + b);
            assertTrue(limit2 > limit, "offsets narrow the trusted range");
        }
    }

    static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
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
