package dev.fvec.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fvec.DiagonalGmm;
import dev.fvec.GmmStatistics;
import dev.fvec.Sparsity;
import java.util.Arrays;
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
 * Seeded pruning ({@code SimdKernel#seededBatch}, on by default: see {@code SimdKernel#PRUNE})
 * against the same kernel with pruning off, on the vector lanes and on the twin, at the width this
 * JVM runs: bitwise the same statistics (S0, S1, S2, N, kept terms, log-likelihood) with
 * {@code t = 0}, with hard assignment and with thresholds {@code t > 0} (a skipped group lies below
 * the exps' own cut, {@code SimdKernel#pruneCut}). Shapes where pruning can trigger (D at least
 * {@link SimdKernel#MIN_PRUNE_DIMENSION}, {@link GroupGeometry#MIN_GATHERED_GROUPS} groups of lanes
 * or more: gathered groups below {@link GroupGeometry#MIN_GROUPS}, the block's union from there)
 * and where it cannot; the examples show it does trigger on separated clusters and does not with
 * broad variances.
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
        Arbitrary<Integer> k = Arbitraries.of(2 * L, 4 * L + 1, 7 * L - 2, 8 * L, 8 * L + 3, 12 * L - 1, 64, 256);
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
    void withThresholdPruningIsBitwiseExactToo(@ForAll("thresholdCases") Cases.Case c, @ForAll("seeds") int seed) {
        withoutThresholdPruningIsBitwiseExact(c, seed);
    }

    /**
     * 8 groups of lanes of components in 16 tight clusters far apart, descriptors near them: most
     * groups are skipped, and nothing changes, on the vector lanes and on the twin.
     */
    @Example
    void pruningTriggersOnSeparatedClusters() {
        int k = 8 * L;
        int d = 64;
        int n = 600;
        SplittableRandom rnd = new SplittableRandom(11);
        float[][] centres = new float[16][d];
        for (float[] c : centres) {
            for (int j = 0; j < d; j++) {
                c[j] = (float) (40 * Cases.gaussian(rnd));
            }
        }
        float[] w = new float[k];
        Arrays.fill(w, 1f / k);
        float[] mu = new float[k * d];
        float[] var = new float[k * d];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                mu[c * d + j] = centres[c % 16][j] + (float) Cases.gaussian(rnd);
                var[c * d + j] = (float) (0.5 + rnd.nextDouble());
            }
        }
        DiagonalGmm model = DiagonalGmm.of(w, mu, var);
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            int c = rnd.nextInt(k);
            for (int j = 0; j < d; j++) {
                x[i * d + j] = mu[c * d + j] + (float) Cases.gaussian(rnd);
            }
        }
        for (Sparsity s : new Sparsity[] {Sparsity.none(), Sparsity.hard(), Sparsity.threshold(1e-6)}) {
            GmmStatistics ref = GmmStatistics.forModel(model);
            SimdKernel.of(model, s, false, false).accumulate(x, 0, n, ref);
            for (boolean twin : new boolean[] {false, true}) {
                SimdKernel pruning = SimdKernel.of(model, s, twin, true);
                GmmStatistics a = GmmStatistics.forModel(model);
                pruning.accumulate(x, 0, n, a);
                // 8 groups per descriptor; 16 clusters in 8 groups: at least half of them skipped.
                assertTrue(pruning.prunedGroups() >= 4L * n, s + (twin ? " twin" : "") + ": pruned "
                        + pruning.prunedGroups() + " groups of " + 8 * n);
                TwinMatchesVectorProperties.assertBitwiseEqual(ref, a, s + (twin ? " twin" : " vector") + " pruned vs unpruned");
            }
        }
    }

    /**
     * 4 and 7 groups of lanes (gathered groups, below {@link GroupGeometry#MIN_GROUPS}) in as many
     * clusters, descriptors near them or halfway between two, in calls that end mid-batch: each
     * descriptor needs one group or two (some gathered apart from their blocks' seed groups), so
     * over half of the pairs are skipped, and nothing changes, on the vector lanes and on the twin.
     */
    @Example
    void gatheredGroupsPruneAndChangeNothing() {
        GroupGeometryTest.assumeGathers();
        for (int groups : new int[] {GroupGeometry.MIN_GATHERED_GROUPS, GroupGeometry.MIN_GROUPS - 1}) {
            int d = 48;
            int n = 700;
            SplittableRandom rnd = new SplittableRandom(groups);
            DiagonalGmm model = gatheredClusters(groups, d, rnd);
            assertTrue(new PackedModel(model, L, GroupGeometry.of(model, L)).seeds.scaledCentres != null, "gathered");
            float[] x = nearOrBetween(model, n, rnd);
            for (Sparsity s : new Sparsity[] {Sparsity.none(), Sparsity.hard(), Sparsity.threshold(1e-6)}) {
                GmmStatistics ref = GmmStatistics.forModel(model);
                SimdKernel unpruned = SimdKernel.of(model, s, false, false);
                unpruned.accumulate(x, 0, 300, ref);
                unpruned.accumulate(x, 300 * d, n - 300, ref);
                for (boolean twin : new boolean[] {false, true}) {
                    SimdKernel pruning = SimdKernel.of(model, s, twin, true);
                    GmmStatistics a = GmmStatistics.forModel(model);
                    pruning.accumulate(x, 0, 300, a);
                    pruning.accumulate(x, 300 * d, n - 300, a);
                    String what = groups + " groups, " + s + (twin ? ", twin" : ", vector");
                    long pairs = (long) (n / SimdKernel.BLOCK * SimdKernel.BLOCK) * groups;
                    assertTrue(pruning.prunedGroups() >= pairs / 2, what + ": pruned " + pruning.prunedGroups() + " of " + pairs);
                    TwinMatchesVectorProperties.assertBitwiseEqual(ref, a, what + ", pruned vs unpruned");
                }
            }
        }
    }

    /**
     * {@code groups x L} components in {@code groups} clusters, cluster {@code q} 30 standard
     * deviations out along dimension {@code q}: far enough apart for the bounds at t = 0.
     */
    static DiagonalGmm gatheredClusters(int groups, int d, SplittableRandom rnd) {
        int k = groups * L;
        float[] w = new float[k];
        Arrays.fill(w, 1f / k);
        float[] mu = new float[k * d];
        float[] var = new float[k * d];
        Arrays.fill(var, 1f);
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                mu[c * d + j] = (j == c % groups ? 30 : 0) + (float) (0.3 * Cases.gaussian(rnd));
            }
        }
        return DiagonalGmm.of(w, mu, var);
    }

    /** {@code n} descriptors near a component, a third of them halfway between two (about half of those need both groups). */
    static float[] nearOrBetween(DiagonalGmm model, int n, SplittableRandom rnd) {
        int k = model.components();
        int d = model.dimension();
        float[] mu = model.means();
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            int c = rnd.nextInt(k);
            int e = i % 3 == 0 ? rnd.nextInt(k) : c;
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (mu[c * d + j] + mu[e * d + j]) / 2 + (float) Cases.gaussian(rnd);
            }
        }
        return x;
    }

    /** Broad variances: no bound ever falls below the cut, so nothing is skipped. */
    @Example
    void broadVariancesPruneNothing() {
        int k = 8 * L;
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
