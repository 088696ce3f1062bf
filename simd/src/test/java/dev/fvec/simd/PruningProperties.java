package dev.fvec.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fvec.DiagonalGmm;
import dev.fvec.GmmStatistics;
import dev.fvec.Sparsity;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Exact pruning ({@code SimdKernel#prunedLogLikelihoods}, off by default: see {@code SimdKernel#PRUNE}) against the same kernel with pruning off,
 * on the vector lanes and on the twin, at the width this JVM runs: with {@code t = 0} and with hard
 * assignment bitwise the same statistics (S0, S1, S2, N, kept terms, log-likelihood); with a
 * threshold {@code t > 0} within {@link FloatErrorModel} (which allows the skipped mass). Shapes
 * where pruning can trigger (D at least {@link SimdKernel#MIN_PRUNE_DIMENSION}, two groups of
 * lanes or more); the examples show it does trigger on separated clusters and does not with broad
 * variances.
 */
class PruningProperties {

    static final int L = VectorLanes.LANES;

    @Provide
    Arbitrary<Cases.Case> exactCases() {
        return cases(Arbitraries.of(Sparsity.none(), Sparsity.hard()));
    }

    @Provide
    Arbitrary<Cases.Case> thresholdCases() {
        return cases(Arbitraries.of(Sparsity.threshold(1e-6), Sparsity.threshold(0.05), Sparsity.threshold(1e-30)));
    }

    static Arbitrary<Cases.Case> cases(Arbitrary<Sparsity> s) {
        Arbitrary<Integer> k = Arbitraries.of(2 * L, 2 * L + 3, 3 * L - 1, 4 * L + 1, 64, 256);
        Arbitrary<Integer> d = Arbitraries.of(16, 17, 31, 37, 64, 70, 130);
        Arbitrary<Integer> n = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.of(1, 5, 9)),
                Tuple.of(4, Arbitraries.integers().between(10, 140)));
        Arbitrary<Cases.Kind> kind = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just(Cases.Kind.CLUSTERED)),
                Tuple.of(2, Arbitraries.of(Cases.Kind.values())));
        return Combinators.combine(Arbitraries.longs(), k, d, n, kind, Cases.scales(), s, Arbitraries.of(false, false, true))
                .as((seed, kk, dd, nn, kd, scale, sp, twins) -> {
                    int cappedN = (long) kk * dd * nn > 2_000_000 ? 24 : nn;
                    return Cases.generate(seed, kk, dd, cappedN, kd, scale, sp, twins);
                });
    }

    @Provide
    Arbitrary<Integer> seeds() {
        return Arbitraries.integers().between(0, 1_000_000);
    }

    @Property(tries = 200)
    void withoutThresholdPruningIsBitwiseExact(@ForAll("exactCases") Cases.Case c, @ForAll("seeds") int seed) {
        float[] x = TwinMatchesVectorProperties.withFarOutDescriptors(c, seed);
        int split = c.n == 0 ? 0 : seed % (c.n + 1);
        for (boolean twin : new boolean[] {false, true}) {
            GmmStatistics unpruned = TwinMatchesVectorProperties.run(SimdKernel.of(c.model, c.sparsity, twin, false), c, x, split);
            GmmStatistics pruned = TwinMatchesVectorProperties.run(SimdKernel.of(c.model, c.sparsity, twin, true), c, x, split);
            TwinMatchesVectorProperties.assertBitwiseEqual(unpruned, pruned, c + (twin ? " twin" : " vector"));
        }
    }

    @Property(tries = 150)
    void withThresholdPruningStaysWithinTheErrorModel(@ForAll("thresholdCases") Cases.Case c) {
        FloatErrorModel bounds = FloatErrorModel.of(c.model, c.x, c.n, c.sparsity);
        // The twin prunes exactly as the vector lanes do.
        GmmStatistics vectorPruned = GmmStatistics.forModel(c.model);
        SimdKernel.of(c.model, c.sparsity, false, true).accumulate(c.x, 0, c.n, vectorPruned);
        GmmStatistics twinPruned = GmmStatistics.forModel(c.model);
        SimdKernel.of(c.model, c.sparsity, true, true).accumulate(c.x, 0, c.n, twinPruned);
        TwinMatchesVectorProperties.assertBitwiseEqual(vectorPruned, twinPruned, c + ": twin vs vector, pruned");
        for (boolean twin : new boolean[] {false, true}) {
            GmmStatistics unpruned = GmmStatistics.forModel(c.model);
            SimdKernel.of(c.model, c.sparsity, twin, false).accumulate(c.x, 0, c.n, unpruned);
            GmmStatistics pruned = GmmStatistics.forModel(c.model);
            SimdKernel.of(c.model, c.sparsity, twin, true).accumulate(c.x, 0, c.n, pruned);
            List<String> v = bounds.compareStatistics(unpruned, pruned);
            assertTrue(v.isEmpty(), c + (twin ? " twin" : " vector") + ": " + v);
        }
    }

    /** Well-separated components: most groups are skipped, and nothing changes. */
    @Example
    void pruningTriggersOnSeparatedClusters() {
        for (Sparsity s : new Sparsity[] {Sparsity.none(), Sparsity.hard(), Sparsity.threshold(1e-6)}) {
            Cases.Case c = Cases.generate(7, 4 * L, 64, 200, Cases.Kind.CLUSTERED, 1.0, s, false);
            SimdKernel vector = SimdKernel.of(c.model, s, false, true);
            SimdKernel twin = SimdKernel.of(c.model, s, true, true);
            GmmStatistics a = GmmStatistics.forModel(c.model);
            vector.accumulate(c.x, 0, c.n, a);
            GmmStatistics b = GmmStatistics.forModel(c.model);
            twin.accumulate(c.x, 0, c.n, b);
            GmmStatistics ref = GmmStatistics.forModel(c.model);
            SimdKernel.of(c.model, s, false, false).accumulate(c.x, 0, c.n, ref);
            // 4 groups per descriptor; at least half of them skipped on these clusters.
            assertTrue(vector.prunedGroups() >= 2L * c.n, s + ": pruned " + vector.prunedGroups() + " groups of " + 4 * c.n);
            assertEquals(vector.prunedGroups(), twin.prunedGroups(), s + ": the twin prunes alike");
            TwinMatchesVectorProperties.assertBitwiseEqual(a, b, s + " twin");
            if (!s.isHard() && s.threshold() > 0) {
                List<String> v = FloatErrorModel.of(c.model, c.x, c.n, s).compareStatistics(ref, a);
                assertTrue(v.isEmpty(), s + ": " + v);
            } else {
                TwinMatchesVectorProperties.assertBitwiseEqual(ref, a, s + " pruned vs unpruned");
            }
        }
    }

    /** Broad variances: no bound ever falls below the cut, so nothing is skipped. */
    @Example
    void broadVariancesPruneNothing() {
        int k = 4 * L;
        int d = 64;
        SplittableRandom rnd = new SplittableRandom(3);
        float[] w = new float[k];
        Arrays.fill(w, 1f / k);
        float[] mu = new float[k * d];
        for (int i = 0; i < mu.length; i++) {
            mu[i] = (float) (3 * Cases.gaussian(rnd));
        }
        float[] var = new float[k * d];
        Arrays.fill(var, 1e4f);
        DiagonalGmm model = DiagonalGmm.of(w, mu, var);
        float[] x = new float[100 * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (3 * Cases.gaussian(rnd));
        }
        for (Sparsity s : new Sparsity[] {Sparsity.none(), Sparsity.hard(), Sparsity.threshold(1e-6)}) {
            SimdKernel pruning = SimdKernel.of(model, s, false, true);
            GmmStatistics a = GmmStatistics.forModel(model);
            pruning.accumulate(x, 0, 100, a);
            GmmStatistics ref = GmmStatistics.forModel(model);
            SimdKernel.of(model, s, false, false).accumulate(x, 0, 100, ref);
            assertEquals(0, pruning.prunedGroups(), s.toString());
            TwinMatchesVectorProperties.assertBitwiseEqual(ref, a, s.toString());
        }
    }
}
