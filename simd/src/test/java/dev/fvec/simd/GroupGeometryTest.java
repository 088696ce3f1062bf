package dev.fvec.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
        assertFalse(GroupGeometry.of(clustered(GroupGeometry.MIN_GATHERED_GROUPS - 1, 16, 1), L).prunes);
        assertFalse(GroupGeometry.of(clustered(GroupGeometry.MIN_GATHERED_GROUPS, SimdKernel.MIN_PRUNE_DIMENSION - 1, 1), L).prunes);
        // Gathered groups from JDK 21 on unless switched off (the pom's gather-off execution); else the union's minimum.
        assertEquals(Runtime.version().feature() >= 21 && Boolean.parseBoolean(System.getProperty("fvec.simd.gather", "true")), GroupGeometry.GATHERS);
        assertEquals(GroupGeometry.GATHERS,
                GroupGeometry.of(clustered(GroupGeometry.MIN_GATHERED_GROUPS, SimdKernel.MIN_PRUNE_DIMENSION, 1), L).prunes);
        assertEquals(GroupGeometry.GATHERS, GroupGeometry.of(clustered(GroupGeometry.MIN_GROUPS - 1, 16, 1), L).prunes);
        assertFalse(GroupGeometry.of(clustered(GroupGeometry.MIN_GROUPS, SimdKernel.MIN_PRUNE_DIMENSION - 1, 1), L).prunes);
        assertTrue(GroupGeometry.of(clustered(GroupGeometry.MIN_GROUPS, SimdKernel.MIN_PRUNE_DIMENSION, 1), L).prunes);
    }

    /**
     * Below {@link GroupGeometry#MIN_GROUPS} groups the seeds are the scaled centres over the first
     * dimensions, lanes over groups (no centres' model); from there on the centres' model over D.
     */
    @Test
    void fewGroupsSeedOnTheFirstDimensions() {
        assumeGathers();
        for (int d : new int[] {SimdKernel.MIN_PRUNE_DIMENSION, 33, 130}) {
            int groups = GroupGeometry.MIN_GATHERED_GROUPS;
            DiagonalGmm few = clustered(groups, d, 2);
            GroupGeometry geometry = GroupGeometry.of(few, L);
            Seeds sd = new PackedModel(few, L, geometry).seeds;
            assertNotNull(sd, "D = " + d);
            assertNull(sd.centres);
            int dims = Seeds.FEW_GROUPS_SEED_DIMENSIONS;
            assertEquals(dims, sd.seedDimensions, "D = " + d);
            assertEquals(groups, sd.groups);
            assertEquals(groups * dims, sd.scaledCentres.length);
            for (int g = 0; g < groups; g++) {
                for (int j = 0; j < dims; j++) {
                    double want = geometry.centres[g * d + j] * Math.sqrt(geometry.hmin[j]);
                    assertEquals(want, sd.scaledCentres[g * dims + j], 1e-5 * (1 + Math.abs(want)), "group " + g + ", dimension " + j);
                }
            }
        }
        DiagonalGmm many = clustered(GroupGeometry.MIN_GROUPS, 33, 2);
        Seeds sd = new PackedModel(many, L, GroupGeometry.of(many, L)).seeds;
        assertNotNull(sd.centres);
        assertNull(sd.scaledCentres);
        assertEquals(33, sd.centres.d);
    }

    /**
     * The gathered groups' seeds on both lanes: each descriptor of a clustered model (drawn near a
     * component, its group known) gets its own group, whatever the width's padding of the groups.
     */
    @Test
    void nearestCentresNameTheDescriptorsGroups() {
        assumeGathers();
        for (int groups = GroupGeometry.MIN_GATHERED_GROUPS; groups < GroupGeometry.MIN_GROUPS; groups++) {
            DiagonalGmm model = clustered(groups, 37, 40 + groups);
            GroupGeometry geometry = GroupGeometry.of(model, L);
            PackedModel m = new PackedModel(model, L, geometry);
            int n = 64;
            int d = model.dimension();
            SplittableRandom rnd = new SplittableRandom(groups);
            float[] x = new float[3 + n * d]; // from row 3: an offset
            int[] want = new int[n];
            for (int t = 0; t < n; t++) {
                int p = rnd.nextInt(model.components()); // a lane position
                want[t] = p / L;
                for (int j = 0; j < d; j++) {
                    x[3 + t * d + j] = model.mean(geometry.order[p], j) + (float) rnd.nextDouble(-1, 1);
                }
            }
            for (Lanes lanes : new Lanes[] {VectorLanes.INSTANCE, new ScalarLanes(m)}) {
                int[] got = new int[n];
                lanes.nearestCentres(m.seeds, x, 3, d, n, got);
                assertArrayEquals(want, got, groups + " groups, " + lanes.getClass().getSimpleName());
            }
        }
    }

    /**
     * The gathered groups' tests run where they prune: from JDK 21 on, unless {@code fvec.simd.gather}
     * is {@code false} (CI runs the tests on JDK 17 and 25; the pom's gather-off execution); elsewhere
     * {@link #oneGroupHasNoneAndFewGroupsOrDimensionsAnOrderWithoutPruning} checks that such models
     * do not prune.
     */
    static void assumeGathers() {
        org.junit.jupiter.api.Assumptions.assumeTrue(GroupGeometry.GATHERS, "gathered groups: JDK 21 on, not -Dfvec.simd.gather=false");
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
        assertNull(new PackedModel(model, L, g).seeds, "no seeds below MIN_GATHERED_GROUPS groups");
    }
}
