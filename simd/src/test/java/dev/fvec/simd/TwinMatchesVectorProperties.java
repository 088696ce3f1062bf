package dev.fvec.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fvec.DiagonalGmm;
import dev.fvec.GmmStatistics;
import dev.fvec.Sparsity;
import dev.fvec.spi.StatisticsKernel;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The scalar twin ({@link ScalarLanes}) gives bitwise the Vector API kernel's statistics: S0, S1,
 * S2, N, kept terms and log-likelihood, compared as bits, at the species width this JVM runs
 * ({@code -Dfvec.simd.bits}; the build runs this class at 512, 256 and 128 bits). The statistics
 * start non-zero and the descriptors come in two calls, so the order in which the double sums
 * receive flushes and fallback descriptors matters to the bits, not only the float windows.
 */
class TwinMatchesVectorProperties {

    static final int L = VectorLanes.LANES;

    @Provide
    Arbitrary<Cases.Case> anyCase() {
        Arbitrary<Integer> k = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(1)),
                Tuple.of(6, Arbitraries.of(2, 3, L - 1, L, L + 1, 2 * L + 3, 4 * L + 1)),
                Tuple.of(3, Arbitraries.of(5, 13, 17, 37, 64)),
                Tuple.of(1, Arbitraries.just(256)));
        Arbitrary<Integer> d = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(1)),
                Tuple.of(6, Arbitraries.of(2, 3, 13, 17, L - 1, L + 1)),
                Tuple.of(3, Arbitraries.of(64, 70, 130)));
        Arbitrary<Integer> n = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.of(0, 1, 2, 3, 5)),
                Tuple.of(4, Arbitraries.integers().between(6, 140)),
                Tuple.of(1, Arbitraries.of(300, 700)));
        Arbitrary<Sparsity> s = Arbitraries.of(Sparsity.none(), Sparsity.threshold(1e-6), Sparsity.threshold(0.05),
                Sparsity.hard());
        return Combinators.combine(Arbitraries.longs(), k, d, n, Cases.kinds(), Cases.scales(), s,
                Arbitraries.of(false, false, true))
                .as((seed, kk, dd, nn, kind, scale, sp, twins) -> {
                    int cappedN = (long) kk * dd * nn > 4_000_000 ? 40 : nn; // keep a try under ~10 ms
                    return Cases.generate(seed, kk, dd, cappedN, kind, scale, sp, twins);
                });
    }

    @Provide
    Arbitrary<Integer> seeds() {
        return Arbitraries.integers().between(0, 1_000_000);
    }

    @Property(tries = 300)
    void twinIsBitwiseTheVectorKernel(@ForAll("anyCase") Cases.Case c, @ForAll("seeds") int seed) {
        float[] x = withFarOutDescriptors(c, seed);
        int split = c.n == 0 ? 0 : seed % (c.n + 1);
        GmmStatistics vector = run(SimdKernel.vector(c.model, c.sparsity), c, x, split);
        GmmStatistics twin = run(SimdKernel.twin(c.model, c.sparsity), c, x, split);
        assertBitwiseEqual(vector, twin, c.toString());
    }

    /**
     * Every 5th descriptor (from a seeded start), in a third of the cases, made far out: beyond the
     * float value limit, far enough to overflow float log-likelihoods on small scales, or 30 to 3000
     * standard deviations out in one dimension, around where the float error bound sends it to the
     * scalar reference.
     */
    static float[] withFarOutDescriptors(Cases.Case c, int seed) {
        float[] x = c.x.clone();
        int d = c.model.dimension();
        SplittableRandom rnd = new SplittableRandom(seed);
        if (rnd.nextInt(3) == 0) {
            for (int i = rnd.nextInt(5); i < c.n; i += 5) {
                int j = rnd.nextInt(d);
                switch (rnd.nextInt(3)) {
                    case 0:
                        x[i * d + j] = 1e18f; // beyond the float value limit
                        break;
                    case 1:
                        x[i * d + j] = -3e17f; // overflows float log-likelihoods on small scales
                        break;
                    default:
                        x[i * d + j] += (float) (rnd.nextDouble(30, 3000) * Math.sqrt(c.model.variances()[j])); // near the trusted limit
                        break;
                }
            }
        }
        return x;
    }

    static GmmStatistics run(StatisticsKernel kernel, Cases.Case c, float[] x, int split) {
        int d = c.model.dimension();
        GmmStatistics stats = GmmStatistics.forModel(c.model);
        // Non-zero starting sums: a flush added in another order would round differently.
        float[] seedRow = new float[d];
        Arrays.fill(seedRow, 0.3f);
        dev.fvec.Kernels.scalar().create(c.model, c.sparsity).accumulate(seedRow, 0, 1, stats);
        kernel.accumulate(x, 0, split, stats);
        kernel.accumulate(x, split * d, c.n - split, stats);
        return stats;
    }

    static void assertBitwiseEqual(GmmStatistics expected, GmmStatistics got, String label) {
        assertEquals(expected.count(), got.count(), label + ": N");
        assertEquals(expected.keptTerms(), got.keptTerms(), label + ": kept terms");
        assertEquals(Double.doubleToRawLongBits(expected.logLikelihood()), Double.doubleToRawLongBits(got.logLikelihood()),
                label + ": log-likelihood " + expected.logLikelihood() + " vs " + got.logLikelihood());
        assertBits(expected.s0(), got.s0(), label + ": S0");
        assertBits(expected.s1(), got.s1(), label + ": S1");
        assertBits(expected.s2(), got.s2(), label + ": S2");
    }

    static void assertBits(double[] expected, double[] got, String label) {
        assertEquals(expected.length, got.length, label + " length");
        for (int i = 0; i < expected.length; i++) {
            if (Double.doubleToRawLongBits(expected[i]) != Double.doubleToRawLongBits(got[i])) {
                assertEquals(expected[i], got[i], 0, label + "[" + i + "] differs in its bits");
                throw new AssertionError(label + "[" + i + "]: " + expected[i] + " and " + got[i] + " differ in their bits");
            }
        }
    }
}
