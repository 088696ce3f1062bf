package dev.fvec.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fvec.DiagonalGmm;
import dev.fvec.TestModels;
import org.junit.jupiter.api.Test;

/**
 * {@code Lanes.expOfLiveGroups}' live cut, on the vector lanes and the twin at the width in use:
 * only the lanes at or above {@code max + liveCut} are exponentiated and summed; the others are
 * left at values {@code <= 0} (their log-likelihood or 0, as each implementation likes), which no
 * cut {@code > 0} keeps; with the cut at {@link ExpPolynomial#LOW} every lane above it is
 * exponentiated and summed. Both give bitwise the same exps, lane sums and candidates. And the cut
 * the kernel passes ({@link SimdKernel#pruneCut}): {@code LOW} for {@code t = 0} and hard
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

    /** Checks one run against the contract for {@code cut}; returns nothing, fails with {@code name}. */
    static void check(String name, Object[] at, float cut) {
        float[] lp = (float[]) at[0];
        float[] in = row();
        float[] sums = new float[W];
        int expectedCandidates = 0;
        for (int g = 0; g < 3; g++) {
            boolean candidate = false;
            for (int l = 0; l < W; l++) {
                int c = g * W + l;
                if (in[c] >= cut) {
                    float e = ExpPolynomial.exp(in[c]);
                    assertEquals(Float.floatToRawIntBits(e), Float.floatToRawIntBits(lp[c]), name + ": exp at " + c);
                    sums[l] += e;
                    candidate |= e >= 1e-6f;
                } else {
                    assertTrue(lp[c] <= 0, name + ": lane " + c + " below the cut left at " + lp[c]);
                }
            }
            expectedCandidates += candidate ? 1 : 0;
        }
        assertEquals(expectedCandidates, at[2], name + ": candidates");
        for (int l = 0; l < W; l++) {
            assertEquals(Float.floatToRawIntBits(sums[l]), Float.floatToRawIntBits(((float[]) at[3])[l]), name + ": lane sum " + l);
        }
    }

    @Test
    void onlyLanesAtOrAboveTheCutAreExponentiatedAndSummed() {
        float cut = SimdKernel.pruneCut(false, 1e-6, KPAD);
        assertTrue(cut > -30f && cut < -20f, "cut " + cut);
        for (Lanes ops : implementations()) {
            Object[] at = run(ops, cut);
            check(ops.getClass().getSimpleName(), at, cut);
            assertEquals(1, at[2], "one candidate group: the max's");
            float[] sums = (float[]) at[3];
            assertEquals(1f, sums[0], "lane 0: exp(0) alone");
            assertEquals(0f, sums[W - 1], "lane W - 1: nothing within the cut");
        }
    }

    @Test
    void atLowEveryLaneAboveItIsExponentiatedAndSummed() {
        for (Lanes ops : implementations()) {
            Object[] at = run(ops, ExpPolynomial.LOW);
            check(ops.getClass().getSimpleName(), at, ExpPolynomial.LOW);
            assertTrue(((float[]) at[3])[W - 1] > 0, "lane W - 1: exp(-40) and exp(-30.x) summed");
        }
    }

    @Test
    void vectorAndTwinAgreeBitwise() {
        Lanes[] impls = implementations();
        for (float cut : new float[] {ExpPolynomial.LOW, SimdKernel.pruneCut(false, 1e-6, KPAD), -0.5f}) {
            Object[] a = run(impls[0], cut);
            Object[] b = run(impls[1], cut);
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
            }
        }
    }
}
