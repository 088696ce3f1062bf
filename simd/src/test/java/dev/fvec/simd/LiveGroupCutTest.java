package dev.fvec.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fvec.DiagonalGmm;
import dev.fvec.Sparsity;
import dev.fvec.TestModels;
import org.junit.jupiter.api.Test;

/**
 * {@code Lanes.expOfLiveGroups}' live cut, on the vector lanes and the twin at the width in use:
 * a group whose lanes all lie below {@code max + liveCut} keeps its log-likelihoods and is neither
 * exponentiated nor summed, and the lanes of a live group below the cut are 0; with the cut at
 * {@link ExpPolynomial#LOW} the same group and lanes are exponentiated and summed. And the
 * cut the kernel passes ({@link SimdKernel#pruneCut}): {@code LOW} for {@code t = 0} and hard
 * assignment, for {@code t > 0} the largest float with {@code exp(cut) <= min(t / 2, 2^-26 / Kpad)}.
 */
class LiveGroupCutTest {

    static final int W = VectorLanes.LANES;
    /** Three groups: the max's, one at -30 nats (live at LOW, not at a t = 1e-6 cut), one below LOW. */
    static final int KPAD = 3 * W;

    static float[] row() {
        float[] lp = new float[KPAD];
        for (int l = 0; l < W; l++) {
            lp[l] = l < W / 2 ? -0.25f * l : -40f; // lane 0 is the max, 0; the upper half below the cut
            lp[W + l] = -30f - l * 0.01f;
            lp[2 * W + l] = -100f;
        }
        return lp;
    }

    /** Runs {@code ops.expOfLiveGroups} on {@link #row}; returns {lp after, live groups, candidates, lane sums}. */
    static Object[] run(Lanes ops, float liveCut) {
        float[] lp = row();
        int[] live = new int[3];
        int[] candidates = new int[3];
        int[] counts = new int[1];
        float[] sums = new float[W];
        ops.expOfLiveGroups(lp, 0, KPAD, 0f, liveCut, 1e-6f, live, candidates, 0, counts, sums, 0);
        return new Object[] {lp, live, counts[0], sums};
    }

    static Lanes[] implementations() {
        float[] x = dev.fvec.internal.SyntheticDescriptors.generate(5, 4 * KPAD, 4, 8);
        DiagonalGmm model = TestModels.fromData(x, 4 * KPAD, 4, KPAD, 5, 0.5);
        return new Lanes[] {VectorLanes.INSTANCE, new ScalarLanes(new PackedModel(model, W))};
    }

    @Test
    void groupsBelowTheCutAreLeftAsTheyWere() {
        float cut = SimdKernel.pruneCut(false, 1e-6, KPAD);
        assertTrue(cut > -30f && cut < -20f, "cut " + cut);
        for (Lanes ops : implementations()) {
            String name = ops.getClass().getSimpleName();
            Object[] at = run(ops, cut);
            float[] lp = (float[]) at[0];
            float[] expected = row();
            for (int l = 0; l < W; l++) {
                float e = l < W / 2 ? ExpPolynomial.exp(expected[l]) : 0f;
                assertEquals(e, lp[l], name + " lane " + l + " of the live group (0 below the cut)");
                assertEquals(expected[W + l], lp[W + l], name + ": the group below the cut keeps its log-likelihoods");
                assertEquals(expected[2 * W + l], lp[2 * W + l], name);
            }
            assertEquals(0, ((int[]) at[1])[0], name + ": only group 0 is live");
            assertEquals(1, at[2], name + ": one candidate");
            float[] sums = (float[]) at[3];
            for (int l = 0; l < W; l++) {
                assertEquals(lp[l], sums[l], name + ": lane sum " + l + " holds group 0 alone");
            }
        }
    }

    @Test
    void atLowTheSameGroupIsExponentiatedAndSummed() {
        for (Lanes ops : implementations()) {
            String name = ops.getClass().getSimpleName();
            Object[] at = run(ops, ExpPolynomial.LOW);
            float[] lp = (float[]) at[0];
            float[] expected = row();
            assertEquals(W, ((int[]) at[1])[1], name + ": group 1 is live at LOW");
            for (int l = 0; l < W; l++) {
                assertEquals(ExpPolynomial.exp(expected[l]), lp[l], name + ": every lane of group 0 at LOW");
                float e = ExpPolynomial.exp(expected[W + l]);
                assertTrue(e > 0, "exp(-30) > 0 in float");
                assertEquals(e, lp[W + l], name);
                assertEquals(expected[2 * W + l], lp[2 * W + l], name + ": below LOW, not live either way");
                assertEquals(lp[l] + e, ((float[]) at[3])[l], name + ": lane sum " + l);
            }
        }
    }

    @Test
    void vectorAndTwinAgreeBitwise() {
        Lanes[] impls = implementations();
        for (float cut : new float[] {ExpPolynomial.LOW, SimdKernel.pruneCut(false, 1e-6, KPAD), -0.5f}) {
            Object[] a = run(impls[0], cut);
            Object[] b = run(impls[1], cut);
            assertArrayEquals((float[]) a[0], (float[]) b[0], "lp, cut " + cut);
            assertEquals(a[2], b[2], "candidates, cut " + cut);
            assertArrayEquals((float[]) a[3], (float[]) b[3], "lane sums, cut " + cut);
        }
    }

    @Test
    void theKernelsCut() {
        assertEquals(ExpPolynomial.LOW, SimdKernel.pruneCut(false, 0, 256));
        assertEquals(ExpPolynomial.LOW, SimdKernel.pruneCut(true, 1e-6, 256));
        for (int kpad : new int[] {16, 256, 1024}) {
            for (double t : new double[] {1e-6, 1e-3, 0.1}) {
                float cut = SimdKernel.pruneCut(false, t, kpad);
                double bound = Math.min(t / 2, 0x1p-26 / kpad);
                assertTrue(Math.exp(cut) <= bound, "exp(" + cut + ") <= " + bound);
                assertTrue(Math.exp(Math.nextUp(cut)) > bound * (1 - 1e-6), "the largest such float: " + cut);
                assertTrue(Sparsity.threshold(t).threshold() == t);
            }
        }
    }
}
