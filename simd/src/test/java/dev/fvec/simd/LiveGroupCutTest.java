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
        float[] sums = new float[W];
        int count = ops.expOfLiveGroups(lp, 0, KPAD, 0f, liveCut, 1e-6f, live, candidates, 0, sums, 0);
        return new Object[] {lp, live, count, sums};
    }

    /**
     * A row of {@code groups} groups, group {@code g} being {@link #row}'s group {@code (g + shift) % 3},
     * plus {@code max}.
     */
    static float[] tiled(int groups, int shift, float max) {
        float[] one = row();
        float[] lp = new float[groups * W];
        for (int g = 0; g < groups; g++) {
            for (int l = 0; l < W; l++) {
                lp[g * W + l] = one[(g + shift) % 3 * W + l] + max;
            }
        }
        return lp;
    }

    /**
     * {@code ops.expOfLiveGroupsInterleaved} on the rows, one after the other in a block; returns
     * {lp after, candidates, counts, lane sums}.
     */
    static Object[] runRows(Lanes ops, float liveCut, float[][] rows, float[] maxes, int[] slots) {
        int n = rows.length;
        int kpad = rows[0].length;
        int groups = kpad / W;
        float[] lp = new float[n * kpad];
        for (int b = 0; b < n; b++) {
            System.arraycopy(rows[b], 0, lp, b * kpad, kpad);
        }
        int[] candidates = new int[n * groups];
        int[] counts = new int[n];
        float[] sums = new float[n * W];
        ops.expOfLiveGroupsInterleaved(lp, 0, kpad, maxes, slots, n, liveCut, 1e-6f, new int[n * groups], candidates, counts, sums);
        return new Object[] {lp, candidates, counts, sums};
    }

    static Lanes[] implementations() {
        return implementations(KPAD);
    }

    /** The vector lanes and a twin for models of {@code kpad} components (its scratch is sized by them). */
    static Lanes[] implementations(int kpad) {
        float[] x = dev.fvec.internal.SyntheticDescriptors.generate(5, 4 * kpad, 4, 8);
        DiagonalGmm model = TestModels.fromData(x, 4 * kpad, 4, kpad, 5, 0.5);
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

    /**
     * {@code expOfLiveGroupsInterleaved} on a block of five rows, with few groups and with more than
     * {@link SimdKernel#INTERLEAVED_EXP_GROUPS}: each admitted row's exps, candidates and lane sums
     * are bitwise those of {@code expOfLiveGroups} on the row alone; the row not admitted (a
     * fallback descriptor, NaN in it) is left as it was, with no candidates and zero lane sums; and
     * the vector lanes and the twin agree bitwise. Log-likelihoods are {@code <= 0} in the kernel
     * (relative to the largest log-normaliser).
     */
    @Test
    void aBlockOfRowsIsEachRowAsIfAlone() {
        for (int groups : new int[] {3, SimdKernel.INTERLEAVED_EXP_GROUPS + 3}) {
            Lanes[] impls = implementations(groups * W);
            float[] maxes = {0f, -3f, -7.5f, -120f, -0.125f};
            int[] shifts = {0, 0, 1, 2, 0};
            float[][] rows = new float[5][];
            for (int b = 0; b < 5; b++) {
                rows[b] = tiled(groups, shifts[b], maxes[b]);
            }
            rows[1][0] = Float.NaN;
            int[] slots = {0, -1, 1, 2, 3};
            for (float cut : new float[] {ExpPolynomial.LOW, SimdKernel.pruneCut(false, 1e-6, groups * W), -0.5f}) {
                String at = groups + " groups, cut " + cut;
                for (Lanes ops : impls) {
                    Object[] block = runRows(ops, cut, rows, maxes, slots);
                    float[] lp = (float[]) block[0];
                    int[] counts = (int[]) block[2];
                    assertTrue(Float.isNaN(lp[groups * W]), at + ": the row not admitted is left");
                    assertEquals(0, counts[1], at + ": no candidates for the row not admitted");
                    for (int b : new int[] {0, 2, 3, 4}) {
                        float[] row = rows[b].clone();
                        int[] candidates = new int[groups];
                        float[] sums = new float[W];
                        int count = ops.expOfLiveGroups(row, 0, row.length, maxes[b], cut, 1e-6f, new int[groups], candidates,
                                0, sums, 0);
                        String name = ops.getClass().getSimpleName() + ", " + at + ", row " + b;
                        assertEquals(count, counts[b], name + ": candidates");
                        assertArrayEquals(java.util.Arrays.copyOf(candidates, count),
                                java.util.Arrays.copyOfRange((int[]) block[1], b * groups, b * groups + count),
                                name + ": candidate groups");
                        assertArrayEquals(sums, java.util.Arrays.copyOfRange((float[]) block[3], b * W, (b + 1) * W),
                                name + ": lane sums");
                        for (int c = 0; c < row.length; c++) {
                            // Exps bitwise alike; below the cut, values <= 0 either way.
                            float inBlock = lp[b * row.length + c];
                            if (row[c] > 0 || inBlock > 0) {
                                assertEquals(Float.floatToRawIntBits(row[c]), Float.floatToRawIntBits(inBlock), name + ": exp at " + c);
                            }
                        }
                    }
                    for (int l = 0; l < W; l++) {
                        assertEquals(0, Float.floatToRawIntBits(((float[]) block[3])[W + l]), at + ": the row not admitted, lane sum " + l);
                    }
                }
                Object[] v = runRows(impls[0], cut, rows, maxes, slots);
                Object[] t = runRows(impls[1], cut, rows, maxes, slots);
                assertArrayEquals((int[]) t[2], (int[]) v[2], at + ": counts, vector and twin");
                assertArrayEquals((float[]) t[3], (float[]) v[3], at + ": lane sums, vector and twin");
                float[] lpV = (float[]) v[0];
                float[] lpT = (float[]) t[0];
                for (int c = 0; c < lpV.length; c++) {
                    // Lanes above the cut are exps, bitwise alike; the others are left <= 0 (or the NaN).
                    if (lpV[c] > 0 || lpT[c] > 0) {
                        assertEquals(Float.floatToRawIntBits(lpT[c]), Float.floatToRawIntBits(lpV[c]), at + ": exp at " + c);
                    }
                }
                assertEquals((groups + 2) / 3, ((int[]) v[2])[0], at + ": row 0's candidates, the groups of its max");
            }
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
