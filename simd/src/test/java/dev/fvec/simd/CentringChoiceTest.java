package dev.fvec.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fvec.DiagonalGmm;
import dev.fvec.Sparsity;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link PackedModel#uncentred}: which models the kernel leaves uncentred (near the origin, not
 * pruned), which it centres (a common offset; seeded pruning), and that the pass reading the
 * descriptors in place ({@link VectorLanes#logLikelihoodsOfRows}) gives bitwise the
 * log-likelihoods and maxima of the centred copy's pass, and each row's {@link Lanes#outOfRange}.
 */
class CentringChoiceTest {

    /** K components near the origin ({@code offset} 0: means in (-2, 2), variances in (0.5, 1.5)) or at {@code offset} +- 0.1. */
    static DiagonalGmm model(int k, int d, double offset, long seed) {
        return VectorWarmUp.model(k, d, new double[] {offset}, VectorLanes.LANES, seed);
    }

    /**
     * {@code VectorLanes.logLikelihoodsOfRows} branches on {@link PackedModel#uncentred}: the
     * warm-up's small model takes one way, its full-window and full-queue models (VectorWarmUp's
     * one- and 128-component models of the small model's D) the other, so that C2 compiles both
     * before a user's model comes.
     */
    @Test
    void theWarmUpsModelsTakeBothWays() {
        int lanes = VectorLanes.LANES;
        DiagonalGmm small = VectorWarmUp.smallModel();
        assertTrue(SimdKernel.vector(small, Sparsity.none()).model.uncentred, "the small model");
        int[][] kAndSeed = {{1, 4321}, {128, 1357}};
        for (int[] ks : kAndSeed) {
            int k = ks[0];
            DiagonalGmm m = VectorWarmUp.model(k, small.dimension(), new double[] {0}, lanes, ks[1]);
            assertFalse(SimdKernel.vector(m, Sparsity.none()).model.uncentred, k + " components");
        }
    }

    @Test
    void nearTheOriginAndNotPrunedTheModelIsNotCentred() {
        PackedModel m = SimdKernel.vector(model(20, 37, 0, 1), Sparsity.threshold(1e-6)).model;
        assertTrue(m.uncentred);
        for (float c : m.centre) {
            assertEquals(0, Float.floatToRawIntBits(c), "a +0 centre");
        }
    }

    @Test
    void aCommonOffsetKeepsTheCentring() {
        // Means 1000 +- 2: uncentred B would be ~500x centred.
        PackedModel m = SimdKernel.vector(model(20, 37, 1000, 2), Sparsity.threshold(1e-6)).model;
        assertFalse(m.uncentred);
        assertEquals(1000, m.centre[0], 2);
    }

    @Test
    void aPrunedModelKeepsTheCentring() {
        int k = GroupGeometry.MIN_GROUPS * VectorLanes.LANES;
        DiagonalGmm model = model(k, SimdKernel.MIN_PRUNE_DIMENSION + 1, 0, 3);
        assertTrue(GroupGeometry.of(model, VectorLanes.LANES).prunes);
        assertFalse(SimdKernel.vector(model, Sparsity.threshold(1e-6)).model.uncentred);
    }

    /**
     * The block's pass in place against the centred copy's (the +0 centre copies exactly), at a D
     * with a tail of odd lanes and at D = 128; out-of-range values (a huge finite one, NaN,
     * infinity) in the first vector, the second, and the last dimension of some rows.
     */
    @Test
    void thePassInPlaceIsTheCentredCopysPassAndEachRowsRange() {
        for (int d : new int[] {37, 128}) {
            PackedModel m = SimdKernel.vector(model(20, d, 0, 4), Sparsity.none()).model;
            assertTrue(m.uncentred);
            int n = SimdKernel.BLOCK;
            SplittableRandom rnd = new SplittableRandom(d);
            float[] x = new float[(n + 1) * d]; // a row before the block: the block starts at row 1
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rnd.nextDouble(-3, 3);
            }
            int row = d;
            float[] bad = {1e30f, Float.NaN, Float.NEGATIVE_INFINITY};
            int[] at = {0, Math.min(VectorLanes.LANES, d - 1), d - 1};
            for (int b = 1; b < n; b += 2) {
                x[row + b * d + at[b / 2 % at.length]] = bad[b / 2 % bad.length];
            }
            float[] lp = new float[n * m.kpad];
            float[] maxes = new float[n];
            boolean[] outside = new boolean[n];
            VectorLanes.INSTANCE.logLikelihoodsOfRows(m, x, row, new float[n * d], lp, maxes, outside);

            float[] centred = new float[n * d];
            float[] lpCopy = new float[n * m.kpad];
            float[] maxesCopy = new float[n];
            for (int b = 0; b < n; b++) {
                m.centre(x, row + b * d, centred, b * d);
            }
            VectorLanes.INSTANCE.logLikelihoodsBlock(m, centred, lpCopy, maxesCopy);
            for (int b = 0; b < n; b++) {
                boolean expected = new ScalarLanes(m).outOfRange(x, row + b * d, d);
                assertEquals(b % 2 == 1, expected, "the test's own rows");
                assertEquals(expected, outside[b], "D = " + d + ", row " + b + ": its range");
                if (expected) {
                    continue; // the scalar reference takes it: its values do not matter
                }
                assertEquals(Float.floatToRawIntBits(maxesCopy[b]), Float.floatToRawIntBits(maxes[b]), "D = " + d + ", row " + b + ": max");
                for (int c = 0; c < m.kpad; c++) {
                    assertEquals(Float.floatToRawIntBits(lpCopy[b * m.kpad + c]), Float.floatToRawIntBits(lp[b * m.kpad + c]),
                            "D = " + d + ", row " + b + ", lane " + c);
                }
            }
        }
    }
}
