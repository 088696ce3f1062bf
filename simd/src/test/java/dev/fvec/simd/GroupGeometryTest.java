package dev.fvec.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fvec.DiagonalGmm;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link GroupGeometry}: its order is a permutation that keeps clusters together, and its float
 * table of nearest distances lies at or just below the distances recomputed here, in double, in
 * the metric {@code sum_j min_k (1 / (2 var_kj)) y_j^2} (seeded pruning's bounds are sound only if
 * it never lies above).
 */
class GroupGeometryTest {

    static final int L = VectorLanes.LANES;

    /** {@code groups} clusters of {@code L} components each, far apart, in shuffled component order. */
    static DiagonalGmm clustered(int groups, int d, long seed) {
        int k = groups * L;
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] cluster = new int[k];
        for (int c = 0; c < k; c++) {
            cluster[c] = c % groups;
        }
        for (int c = k - 1; c > 0; c--) {
            int j = rnd.nextInt(c + 1);
            int t = cluster[c];
            cluster[c] = cluster[j];
            cluster[j] = t;
        }
        float[] w = new float[k];
        Arrays.fill(w, 1f / k);
        float[] mu = new float[k * d];
        float[] var = new float[k * d];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                mu[c * d + j] = (float) (1000 * cluster[c] * (j % 3 == 0 ? 1 : -1) + rnd.nextDouble(-1, 1));
                var[c * d + j] = (float) (0.5 + rnd.nextDouble());
            }
        }
        return DiagonalGmm.of(w, mu, var);
    }

    @Test
    void theOrderIsAPermutationThatKeepsEachClusterInOneGroup() {
        int groups = GroupGeometry.MIN_GROUPS + 1;
        DiagonalGmm model = clustered(groups, 16, 5);
        GroupGeometry g = GroupGeometry.of(model, L);
        assertNotNull(g);
        int k = model.components();
        boolean[] seen = new boolean[k];
        for (int c : g.order) {
            assertTrue(!seen[c], "component " + c + " twice");
            seen[c] = true;
        }
        // Each group's components share a cluster (their means lie within 2 of each other).
        for (int q = 0; q < groups; q++) {
            float first = model.mean(g.order[q * L], 0);
            for (int p = q * L; p < (q + 1) * L; p++) {
                assertEquals(first, model.mean(g.order[p], 0), 2.0, "group " + q + ", lane " + (p - q * L));
            }
        }
        assertSame(g, GroupGeometry.of(model, L), "computed once per model");
    }

    @Test
    void nearestDistancesAreAtOrJustBelowTheirDoubleValues() {
        int d = 24;
        DiagonalGmm model = clustered(GroupGeometry.MIN_GROUPS + 2, d, 9);
        GroupGeometry g = GroupGeometry.of(model, L);
        int k = model.components();
        int groups = (k + L - 1) / L;
        double[] hmin = new double[d];
        Arrays.fill(hmin, Double.POSITIVE_INFINITY);
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                hmin[j] = Math.min(hmin[j], 0.5 / model.variance(c, j));
            }
        }
        for (int p = 0; p < k; p++) {
            for (int q = 0; q < g.groupsPadded; q++) {
                float got = g.nearestDown[p * g.groupsPadded + q];
                if (q >= groups) {
                    assertEquals(Float.POSITIVE_INFINITY, got);
                    continue;
                }
                double want = Double.POSITIVE_INFINITY;
                for (int r = q * L; r < Math.min(k, (q + 1) * L); r++) {
                    double s = 0;
                    for (int j = 0; j < d; j++) {
                        double y = (double) model.mean(g.order[p], j) - model.mean(g.order[r], j);
                        s += hmin[j] * y * y;
                    }
                    want = Math.min(want, Math.sqrt(s));
                }
                assertTrue(got <= want && got >= want * (1 - 1e-6) - 1e-30, "lane " + p + ", group " + q + ": " + got + " vs " + want);
            }
        }
    }

    @Test
    void oneGroupHasNoneAndFewGroupsOrDimensionsAnOrderWithoutPruning() {
        assertNull(GroupGeometry.of(clustered(1, 16, 1), L));
        GroupGeometry two = GroupGeometry.of(clustered(2, 16, 1), L);
        assertNotNull(two);
        assertFalse(two.prunes);
        assertFalse(GroupGeometry.of(clustered(GroupGeometry.MIN_GROUPS - 1, 16, 1), L).prunes);
        assertFalse(GroupGeometry.of(clustered(GroupGeometry.MIN_GROUPS, SimdKernel.MIN_PRUNE_DIMENSION - 1, 1), L).prunes);
        assertTrue(GroupGeometry.of(clustered(GroupGeometry.MIN_GROUPS, SimdKernel.MIN_PRUNE_DIMENSION, 1), L).prunes);
    }

    @Test
    void twoGroupsAreOrderedAndNotPruned() {
        DiagonalGmm model = clustered(2, 16, 3);
        GroupGeometry g = GroupGeometry.of(model, L);
        for (int q = 0; q < 2; q++) {
            float first = model.mean(g.order[q * L], 0);
            for (int p = q * L; p < (q + 1) * L; p++) {
                assertEquals(first, model.mean(g.order[p], 0), 2.0, "group " + q + ", lane " + (p - q * L));
            }
        }
        assertNull(new PackedModel(model, L, g).seeds, "no seeds below MIN_GROUPS groups");
    }
}
