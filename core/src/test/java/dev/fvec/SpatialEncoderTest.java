package dev.fvec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

public class SpatialEncoderTest {

    /** K = 1, D = 1, mean 0, variance 1: every posterior is 1, so the statistics are plain sums. */
    private static final DiagonalGmm ONE = DiagonalGmm.of(new float[] {1}, new float[] {0}, new float[] {1});

    private static SpatialEncoder encoder(DiagonalGmm m, FisherForm form, String layout, SpatialModel sm) {
        FisherEncoder plain = FisherEncoder.builder(m).form(form).kernel(Kernels.scalar()).build();
        return SpatialEncoder.builder(plain).pyramid(layout).spatial(sm).build();
    }

    @Test
    void twoDescriptorsInDifferentCellsByHand() {
        // x = 1 at (10, 10) (top-left of 2x2), x = 3 at (90, 90) (bottom-right), image 100 x 100.
        // GIST, one component: d_pi = s0 - w = 0, d_mu = s1 - s0 mu = x, d_sigma = -s2 + s0 var = 1 - x^2.
        SpatialEncoder e = encoder(ONE, FisherForm.GIST, "2x2", null);
        float[] v = e.encode(new float[] {1, 3}, new float[] {10, 10, 90, 90}, 2, 100, 100);
        assertArrayEquals(new float[] {0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 3, -8}, v);
    }

    @Test
    void spatialBlockByHand() {
        // One descriptor at (10, 20) in 100 x 100: l = (0.1, 0.2), s0 = 1, m = 0.5, S = 1/12.
        // GIST: a = l - m = (-0.4, -0.3); b = -l^2 - m^2 + S + 2 l m = (-0.01 - 0.25 + 1/12 + 0.1, -0.04 - 0.25 + 1/12 + 0.2).
        SpatialEncoder e = encoder(ONE, FisherForm.GIST, "1x1", SpatialModel.uniform(1));
        float[] v = e.encode(new float[] {2}, new float[] {10, 20}, 1, 100, 100);
        assertEquals(3 + 4, v.length);
        float[] expected = {0, 2, -3, -0.4f, -0.3f, (float) (-0.01 - 0.25 + 1.0 / 12 + 0.1), (float) (-0.04 - 0.25 + 1.0 / 12 + 0.2)};
        for (int i = 0; i < v.length; i++) {
            assertEquals(expected[i], v[i], 1e-6, "element " + i);
        }
        // VLFEAT: u = x / sigma = 2, v = (x^2 - var) / sqrt(2) = 3 / sqrt(2); a = (l - m) / sqrt(S); b = ((l - m)^2 - S) / (sqrt(2) S).
        SpatialEncoder vl = encoder(ONE, FisherForm.VLFEAT, "1x1", SpatialModel.uniform(1));
        float[] u = vl.encode(new float[] {2}, new float[] {10, 20}, 1, 100, 100);
        double s = 1.0 / 12;
        double[] want = {2, 3 / Math.sqrt(2), -0.4 / Math.sqrt(s), -0.3 / Math.sqrt(s), (0.16 - s) / (Math.sqrt(2) * s), (0.09 - s) / (Math.sqrt(2) * s)};
        for (int i = 0; i < u.length; i++) {
            assertEquals(want[i], u[i], 1e-5, "element " + i);
        }
    }

    @Test
    void descriptorOnABorderGoesToTheCellBelowAndRight() {
        SpatialEncoder e = encoder(ONE, FisherForm.GIST, "2x2", null);
        // (50, 50) in 100 x 100 lies on both borders: bottom-right cell (index 3).
        float[] v = e.encode(new float[] {1}, new float[] {50, 50}, 1, 100, 100);
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0}, v);
        // (50, 0): top-right (index 1); the image's far edge (100, 100) stays in the last cell.
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0},
                e.encode(new float[] {1}, new float[] {50, 0}, 1, 100, 100));
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0},
                e.encode(new float[] {1}, new float[] {100, 100}, 1, 100, 100));
        // 3x1 in an image 99 high: y = 33 is exactly the first border (1 * 99 <= 3 * 33), y = 32.99 is not.
        SpatialEncoder stripes = encoder(ONE, FisherForm.GIST, "3x1", null);
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 0, 0, 0, 0},
                stripes.encode(new float[] {1}, new float[] {5, 33}, 1, 10, 99));
        assertArrayEquals(new float[] {0, 1, 0, 0, 0, 0, 0, 0, 0},
                stripes.encode(new float[] {1}, new float[] {5, 32.99f}, 1, 10, 99));
    }

    @Test
    void emptyCellGivesAZeroBlockEvenImproved() {
        FisherEncoder plain = FisherEncoder.builder(ONE).form(FisherForm.SKIMAGE).improved().kernel(Kernels.scalar()).build();
        SpatialEncoder e = SpatialEncoder.builder(plain).pyramid("1x2").spatial(SpatialModel.uniform(1)).build();
        float[] v = e.encode(new float[] {1.5f}, new float[] {1, 1}, 1, 10, 10);
        int cell = e.cellLength();
        double norm = 0;
        for (int i = 0; i < cell; i++) {
            norm += v[i] * v[i];
        }
        assertEquals(1, norm, 1e-6, "the occupied cell is L2-normalised alone");
        for (int i = cell; i < 2 * cell; i++) {
            assertEquals(0f, v[i], "empty cell element " + i);
        }
        assertArrayEquals(new float[e.length()], e.encode(new float[0], new float[0], 0, 10, 10), "N = 0");
    }

    @Test
    void singleCellWithoutSpatialBlockIsThePlainVectorBitwise() {
        Random r = new Random(15);
        int k = 7;
        int d = 9;
        int n = 300;
        float[] x = gaussian(r, n * d);
        DiagonalGmm m = TestModels.fromData(x, n, d, k, 3, 1.0);
        float[] pos = positions(r, n, 640, 480);
        for (FisherForm form : FisherForm.values()) {
            for (boolean improved : new boolean[] {false, true}) {
                for (Sparsity s : new Sparsity[] {Sparsity.none(), Sparsity.VLFEAT, Sparsity.hard()}) {
                    FisherEncoder.Builder b = FisherEncoder.builder(m).form(form).sparsity(s).kernel(Kernels.scalar());
                    FisherEncoder plain = (improved ? b.improved() : b).build();
                    SpatialEncoder sp = SpatialEncoder.builder(plain).pyramid("1x1").build();
                    float[] want = plain.encode(x, n);
                    float[] got = sp.encode(x, pos, n, 640, 480);
                    assertBitwise(want, got, form + " improved=" + improved + " " + s);
                    // The whole-image cell of a pyramid and the appearance part of a spatial vector are the same maths.
                    float[] withSpatial = SpatialEncoder.builder(plain).spatial(SpatialModel.uniform(k)).build()
                            .encode(x, pos, n, 640, 480);
                    assertEquals(want.length + 4 * k, withSpatial.length);
                }
            }
        }
    }

    @Test
    void modelWithAProjectionTakesDinColumns() {
        Random r = new Random(16);
        int din = 5;
        int d = 3;
        int k = 4;
        int n = 250;
        float[] x = gaussian(r, n * din);
        float[] comps = gaussian(r, d * din);
        float[] mean = gaussian(r, din);
        Projection p = Projection.of(din, d, mean, comps, null, false);
        float[] y = new float[n * d];
        p.project(x, 0, n, y, 0);
        DiagonalGmm projected = TestModels.fromData(y, n, d, k, 4, 1.0);
        DiagonalGmm m = projected.withProjection(p);
        float[] pos = positions(r, n, 64, 64);
        FisherEncoder plain = FisherEncoder.builder(m).improved().kernel(Kernels.scalar()).build();
        assertBitwise(plain.encode(x, n), SpatialEncoder.builder(plain).build().encode(x, pos, n, 64, 64), "1x1 with PCA");
        // A pyramid with a spatial block over Din-column input is the same as over the projected rows.
        FisherEncoder onY = FisherEncoder.builder(projected).improved().kernel(Kernels.scalar()).build();
        float[] a = SpatialEncoder.builder(plain).pyramid("1x1,2x2,3x1").spatial(SpatialModel.uniform(k)).build()
                .encode(x, pos, n, 64, 64);
        float[] b = SpatialEncoder.builder(onY).pyramid("1x1,2x2,3x1").spatial(SpatialModel.uniform(k)).build()
                .encode(y, pos, n, 64, 64);
        assertEquals(b.length, a.length);
        for (int i = 0; i < a.length; i++) {
            assertEquals(b[i], a[i], 1e-6, "element " + i);
        }
    }

    @Test
    void matchesTheOracleOnRandomLayouts() {
        Random r = new Random(1515);
        String[] layouts = {"1x1,2x2,3x1", "3x1,1x3", "2x2,4x4", "1x5,2x1,3x3"};
        for (int trial = 0; trial < 12; trial++) {
            int k = 1 + r.nextInt(6);
            int d = 1 + r.nextInt(8);
            int n = r.nextInt(120);
            int w = 1 + r.nextInt(700);
            int h = 1 + r.nextInt(500);
            float[] x = gaussian(r, Math.max(n, 1) * d);
            DiagonalGmm m = TestModels.fromData(x, Math.max(n, 1), d, k, trial, 1.0);
            float[] pos = positions(r, n, w, h);
            // Some descriptors on grid borders and on the image's edges.
            for (int i = 0; i < n; i += 7) {
                pos[2 * i] = w * r.nextInt(5) / 4f;
                pos[2 * i + 1] = h * r.nextInt(4) / 3f;
                pos[2 * i] = Math.min(pos[2 * i], w);
                pos[2 * i + 1] = Math.min(pos[2 * i + 1], h);
            }
            String layout = layouts[trial % layouts.length];
            FisherForm form = FisherForm.values()[trial % 3];
            boolean improved = trial % 2 == 0;
            Sparsity s = trial % 4 == 3 ? Sparsity.hard() : form.defaultSparsity();
            double[] sm = new double[2 * k];
            double[] sv = new double[2 * k];
            for (int i = 0; i < 2 * k; i++) {
                sm[i] = r.nextDouble();
                sv[i] = 0.01 + 0.2 * r.nextDouble();
            }
            FisherEncoder.Builder b = FisherEncoder.builder(m).form(form).sparsity(s).kernel(Kernels.scalar());
            FisherEncoder plain = (improved ? b.improved() : b).build();
            SpatialEncoder e = SpatialEncoder.builder(plain).pyramid(layout).spatial(SpatialModel.of(sm, sv)).build();
            PyramidLayout lay = e.layout();
            int[][] grids = new int[lay.grids()][];
            for (int g = 0; g < grids.length; g++) {
                grids[g] = new int[] {lay.rows(g), lay.columns(g)};
            }
            double[] want = SpatialOracle.encode(m, x, pos, n, w, h, grids, sm, sv, form, improved ? 0.5 : 0, improved, s);
            float[] got = e.encode(x, pos, n, w, h);
            String what = "trial " + trial + " " + layout + " " + form + " K=" + k + " D=" + d + " N=" + n;
            Tolerances.REFERENCE.assertClose(want, got, what);
        }
    }

    @Test
    void atomsAgreeWithEachGridsOwnCell() {
        Random r = new Random(7);
        for (String spec : new String[] {"1x1,2x2,3x1", "2x3,1x2", "4x4,2x2,1x1", "3x1,1x3,7x5"}) {
            PyramidLayout lay = PyramidLayout.parse(spec);
            for (int t = 0; t < 2000; t++) {
                int w = 1 + r.nextInt(300);
                int h = 1 + r.nextInt(300);
                float x = t % 3 == 0 ? w * r.nextInt(8) / 7f : r.nextFloat() * w;
                float y = t % 5 == 0 ? h * r.nextInt(7) / 6f : r.nextFloat() * h;
                x = Math.min(x, w);
                y = Math.min(y, h);
                int atom = lay.atomOf(x, y, w, h);
                for (int g = 0; g < lay.grids(); g++) {
                    int want = lay.cellBase(g) + SpatialOracle.cell(lay.rows(g), y, h) * lay.columns(g)
                            + SpatialOracle.cell(lay.columns(g), x, w);
                    assertEquals(want, lay.cellOf(g, atom), spec + " grid " + g + " at (" + x + ", " + y + ") in " + w + "x" + h);
                    assertEquals(want - lay.cellBase(g), lay.cellInGrid(g, x, y, w, h));
                }
            }
        }
        assertEquals(8, PyramidLayout.parse("1x1,2x2,3x1").atoms());
        assertEquals(8, PyramidLayout.parse("1x1,2x2,3x1").cells());
    }

    @Test
    void mergedHalvesEqualTheWhole() {
        Random r = new Random(2);
        int k = 5;
        int d = 6;
        int n = 400;
        float[] x = gaussian(r, n * d);
        DiagonalGmm m = TestModels.fromData(x, n, d, k, 9, 1.0);
        float[] pos = positions(r, n, 320, 240);
        FisherEncoder plain = FisherEncoder.builder(m).improved().kernel(Kernels.scalar()).build();
        SpatialEncoder e = SpatialEncoder.builder(plain).pyramid("1x1,2x2,3x1").spatial(SpatialModel.uniform(k)).build();
        SpatialStatistics a = e.newStatistics();
        SpatialStatistics b = e.newStatistics();
        int half = 173;
        e.accumulate(x, 0, pos, 0, half, 320, 240, a);
        e.accumulate(x, half * d, pos, 2 * half, n - half, 320, 240, b);
        a.merge(b);
        SpatialStatistics whole = e.newStatistics();
        e.accumulate(x, 0, pos, 0, n, 320, 240, whole);
        assertEquals(whole.count(), a.count());
        for (int c = 0; c < e.layout().cells(); c++) {
            GmmStatistics wc = whole.cell(c);
            GmmStatistics ac = a.cell(c);
            assertEquals(wc.count(), ac.count(), "cell " + c);
            assertEquals(wc.keptTerms(), ac.keptTerms(), "cell " + c);
            assertClose(wc.s0(), ac.s0(), "S0 cell " + c);
            assertClose(wc.s1(), ac.s1(), "S1 cell " + c);
            assertClose(wc.s2(), ac.s2(), "S2 cell " + c);
            assertClose(whole.cellT1(c), a.cellT1(c), "T1 cell " + c);
            assertClose(whole.cellT2(c), a.cellT2(c), "T2 cell " + c);
        }
        float[] merged = e.encode(a);
        float[] direct = e.encode(x, pos, n, 320, 240);
        for (int i = 0; i < merged.length; i++) {
            assertEquals(direct[i], merged[i], 1e-6, "element " + i);
        }
        // The 2x2 cells of the whole image sum to its 1x1 cell.
        GmmStatistics sum = whole.cell(1);
        for (int c = 2; c <= 4; c++) {
            sum.merge(whole.cell(c));
        }
        assertEquals(n, sum.count());
        assertClose(whole.cell(0).s1(), sum.s1(), "2x2 cells sum to the whole");
    }

    /** Rounds of encodes until nothing is allocated (the JIT has compiled the path), at most ~2 minutes. */
    public static long bytesAfterWarmUp(SpatialEncoder e, float[] x, float[] pos, int n, int w, int h) {
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory
                .getThreadMXBean();
        bean.setThreadAllocatedMemoryEnabled(true);
        float[] out = new float[e.length()];
        SpatialStatistics stats = e.newStatistics();
        long tid = Thread.currentThread().getId();
        long last = -1;
        long deadline = System.nanoTime() + 120_000_000_000L;
        for (int round = 0; last != 0 && (round < 20 || System.nanoTime() < deadline); round++) {
            long before = bean.getThreadAllocatedBytes(tid);
            for (int i = 0; i < 50; i++) {
                e.encode(x, 0, pos, 0, n, w, h, out, 0);
                stats.reset();
                e.accumulate(x, 0, pos, 0, n, w, h, stats);
                e.encode(stats, out, 0);
            }
            last = bean.getThreadAllocatedBytes(tid) - before;
        }
        return last;
    }

    @Test
    void encodingAllocatesNothingOnceWarm() {
        Random r = new Random(3);
        int k = 16;
        int d = 8;
        int n = 200;
        float[] x = gaussian(r, n * d);
        DiagonalGmm m = TestModels.fromData(x, n, d, k, 2, 1.0);
        float[] pos = positions(r, n, 100, 80);
        FisherEncoder plain = FisherEncoder.builder(m).improved().kernel(Kernels.scalar()).build();
        for (String layout : new String[] {"1x1", "1x1,2x2,3x1"}) {
            SpatialEncoder e = SpatialEncoder.builder(plain).pyramid(layout).spatial(SpatialModel.uniform(k)).build();
            assertEquals(0, bytesAfterWarmUp(e, x, pos, n, 100, 80), layout + ": bytes allocated by 50 rounds");
        }
    }

    @Test
    void badInputIsRejectedWithTheReason() {
        SpatialEncoder e = encoder(ONE, FisherForm.VLFEAT, "1x1,2x2", null);
        IllegalArgumentException out = assertThrows(IllegalArgumentException.class,
                () -> e.encode(new float[] {1, 2}, new float[] {1, 1, 11, 5}, 2, 10, 10));
        assertTrue(out.getMessage().contains("descriptor 1") && out.getMessage().contains("outside"), out.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> e.encode(new float[] {1}, new float[] {Float.NaN, 1}, 1, 10, 10));
        assertTrue(nan.getMessage().contains("descriptor 0"), nan.getMessage());
        IllegalArgumentException shortPositions = assertThrows(IllegalArgumentException.class,
                () -> e.encode(new float[] {1, 2}, new float[] {1, 1}, 2, 10, 10));
        assertTrue(shortPositions.getMessage().contains("positions"), shortPositions.getMessage());
        assertThrows(IllegalArgumentException.class, () -> e.encode(new float[] {1}, new float[] {0, 0}, 1, 0, 10));
        for (String bad : new String[] {"0x2", "2x", "x2", "2x2,", "", "1x1;2x2", "2x-1", "1025x1", "axb"}) {
            IllegalArgumentException p = assertThrows(IllegalArgumentException.class, () -> PyramidLayout.parse(bad), bad);
            assertTrue(p.getMessage().contains("'" + bad.split(",", -1)[bad.endsWith(",") ? 1 : 0].trim() + "'"), p.getMessage());
        }
        assertEquals("1x1,2x2,3x1", PyramidLayout.parse(" 1x1, 2x2 ,3x1").toString());
        assertThrows(IllegalArgumentException.class, () -> SpatialEncoder.builder(
                FisherEncoder.builder(ONE).build()).spatial(SpatialModel.uniform(2)));
        assertThrows(IllegalArgumentException.class, () -> SpatialModel.of(new double[] {0.5, 0.5}, new double[] {0.1, 0}));
    }

    static void assertBitwise(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) {
            assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]),
                    what + ": element " + i + " " + got[i] + " vs " + want[i]);
        }
    }

    private static void assertClose(double[] want, double[] got, String what) {
        double scale = 0;
        for (double v : want) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-12 * (1 + scale), what + " [" + i + "]");
        }
    }

    static float[] gaussian(Random r, int len) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    static float[] positions(Random r, int n, int w, int h) {
        float[] p = new float[2 * n];
        for (int i = 0; i < n; i++) {
            p[2 * i] = r.nextFloat() * w;
            p[2 * i + 1] = r.nextFloat() * h;
        }
        return p;
    }
}
