package dev.fvec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fvec.internal.SyntheticDescriptors;
import org.junit.jupiter.api.Test;

class FisherEncoderTest {

    /** K = 1, D = 1: mu = 0, var = 4. Every posterior is 1, so each form has a closed form by hand. */
    private static final DiagonalGmm ONE = DiagonalGmm.of(new float[] {1}, new float[] {0}, new float[] {4});
    /** x = {1, 3}: N = 2, s0 = 1, s1 = 2, s2 = 5. */
    private static final float[] X_ONE = {1, 3};

    /** K = 2, D = 1, well separated: means 0 and 10, unit variances, equal weights. */
    private static final DiagonalGmm TWO = DiagonalGmm.of(new float[] {0.5f, 0.5f}, new float[] {0, 10}, new float[] {1, 1});

    private static FisherEncoder.Builder scalar(DiagonalGmm m) {
        return FisherEncoder.builder(m).kernel(Kernels.scalar());
    }

    private static void assertRejected(String expectedFragment, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(expectedFragment),
                "message '" + e.getMessage() + "' should contain '" + expectedFragment + "'");
    }

    @Test
    void lengthsFollowTheLayouts() {
        DiagonalGmm m = DiagonalGmm.of(new float[] {0.5f, 0.5f}, new float[6], new float[] {1, 1, 1, 1, 1, 1});
        assertEquals(2 * 2 * 3, scalar(m).form(FisherForm.VLFEAT).build().length());
        assertEquals(2 + 2 * 2 * 3, scalar(m).form(FisherForm.GIST).build().length());
        assertEquals(2 + 2 * 2 * 3, scalar(m).form(FisherForm.SKIMAGE).build().length());
    }

    @Test
    void gistByHandForKOneDOne() {
        // d_pi = s0 - w = 0; d_mu = s1 - s0 mu = 2; d_sigma = -s2 - s0 mu^2 + s0 var + 2 s1 mu = -5 + 4 = -1
        float[] fv = scalar(ONE).form(FisherForm.GIST).build().encode(X_ONE, 2);
        assertArrayEquals(new float[] {0, 2, -1}, fv, 1e-6f);
    }

    @Test
    void vlfeatByHandForKOneDOne() {
        // u = (s1 - s0 mu) / (sqrt(w) sigma) = 2 / 2 = 1; v = (s2 - 2 mu s1 + (mu^2 - var) s0) / (sqrt(2 w) var) = 1 / (4 sqrt 2)
        float[] fv = scalar(ONE).form(FisherForm.VLFEAT).build().encode(X_ONE, 2);
        assertArrayEquals(new float[] {1, (float) (1 / (4 * Math.sqrt(2)))}, fv, 1e-6f);
    }

    @Test
    void skimageByHandForKOneDOne() {
        float[] fv = scalar(ONE).form(FisherForm.SKIMAGE).build().encode(X_ONE, 2);
        assertArrayEquals(new float[] {0, 1, (float) (-1 / (4 * Math.sqrt(2)))}, fv, 1e-6f);
    }

    @Test
    void improvedIsSignedSquareRootThenUnitNorm() {
        double a = 1;
        double b = Math.sqrt(1 / (4 * Math.sqrt(2)));
        double norm = Math.hypot(a, b);
        float[] fv = scalar(ONE).form(FisherForm.VLFEAT).improved().build().encode(X_ONE, 2);
        assertArrayEquals(new float[] {(float) (a / norm), (float) (b / norm)}, fv, 1e-6f);
        float[] gist = scalar(ONE).form(FisherForm.GIST).power(0.5).build().encode(X_ONE, 2);
        assertArrayEquals(new float[] {0, (float) Math.sqrt(2), -1}, gist, 1e-6f);
    }

    @Test
    void l2AloneAndOtherPowers() {
        float[] fv = scalar(ONE).form(FisherForm.GIST).l2(true).build().encode(X_ONE, 2);
        assertArrayEquals(new float[] {0, (float) (2 / Math.sqrt(5)), (float) (-1 / Math.sqrt(5))}, fv, 1e-6f);
        float[] p = scalar(ONE).form(FisherForm.GIST).power(0.25).build().encode(X_ONE, 2);
        assertArrayEquals(new float[] {0, (float) Math.pow(2, 0.25), -1}, p, 1e-6f);
    }

    @Test
    void emptyInputIsTheZeroVectorInEveryFormAndNormalisation() {
        for (FisherForm form : FisherForm.values()) {
            for (int norm = 0; norm < 4; norm++) {
                FisherEncoder.Builder b = scalar(TWO).form(form);
                if ((norm & 1) != 0) {
                    b.power(0.5);
                }
                if ((norm & 2) != 0) {
                    b.l2(true);
                }
                FisherEncoder e = b.build();
                float[] out = new float[e.length() + 2];
                java.util.Arrays.fill(out, Float.NaN);
                e.encode(new float[0], 0, 0, out, 1);
                for (int i = 1; i <= e.length(); i++) {
                    assertEquals(0f, out[i], form + " norm " + norm + " element " + i);
                }
                assertTrue(Float.isNaN(out[0]) && Float.isNaN(out[e.length() + 1]), "wrote outside its range");
            }
        }
    }

    @Test
    void thresholdDropsTinyPosteriorsAndCountsKeptTerms() {
        // x = 0.5: the far component's posterior is about exp(-45) ~ 3e-20.
        float[] x = {0.5f, 9.5f, 0.2f};
        GmmStatistics none = new GmmStatistics(2, 1);
        scalar(TWO).sparsity(Sparsity.none()).build().accumulate(x, 0, 3, none);
        assertEquals(6, none.keptTerms());
        GmmStatistics t = new GmmStatistics(2, 1);
        scalar(TWO).sparsity(Sparsity.threshold(1e-6)).build().accumulate(x, 0, 3, t);
        assertEquals(3, t.keptTerms());
        assertEquals(2.0, t.s0()[0], 1e-12);
        assertEquals(1.0, t.s0()[1], 1e-12);
        // x = 0.5 alone: t = 0 keeps the far component's exp(-45) posterior, t = 1e-6 drops it.
        GmmStatistics tiny = new GmmStatistics(2, 1);
        scalar(TWO).sparsity(Sparsity.none()).build().accumulate(x, 0, 1, tiny);
        assertEquals(Math.exp(-0.5 * (9.5 * 9.5 - 0.5 * 0.5)), tiny.s0()[1], 1e-25);
    }

    @Test
    void hardAssignmentKeepsOneTermPerDescriptorWithPosteriorOne() {
        // 4.9 is nearer 0, but both posteriors are far above 1e-6: soft assignment would split it.
        float[] x = {4.9f, 9.0f};
        GmmStatistics hard = new GmmStatistics(2, 1);
        scalar(TWO).sparsity(Sparsity.hard()).build().accumulate(x, 0, 2, hard);
        assertEquals(2, hard.keptTerms());
        assertArrayEquals(new double[] {1, 1}, hard.s0(), 0);
        assertArrayEquals(new double[] {4.9f, 9.0f}, hard.s1(), 0);
        // GIST d_pi = s0/N - w = (0.5 - 0.5, 0.5 - 0.5)
        float[] fv = scalar(TWO).form(FisherForm.GIST).sparsity(Sparsity.hard()).build().encode(x, 2);
        assertEquals(0f, fv[0], 0);
        assertEquals(0f, fv[1], 0);
    }

    @Test
    void farOutliersStillHavePosteriorsThatSumToOne() {
        float[] x = {1e6f, -1e6f};
        GmmStatistics s = new GmmStatistics(2, 1);
        scalar(TWO).sparsity(Sparsity.none()).build().accumulate(x, 0, 2, s);
        assertEquals(2.0, s.s0()[0] + s.s0()[1], 1e-9);
        assertEquals(1.0, s.s0()[1], 1e-9, "1e6 belongs to the component at 10");
        assertTrue(Double.isFinite(s.logLikelihood()) && s.logLikelihood() < -1e11);
        for (float v : scalar(TWO).improved().build().encode(x, 2)) {
            assertTrue(Float.isFinite(v));
        }
    }

    @Test
    void mergedStatisticsEncodeLikeTheUnion() {
        float[] x = SyntheticDescriptors.generate(7, 50, 1, 2);
        FisherEncoder e = scalar(TWO).form(FisherForm.SKIMAGE).improved().build();
        GmmStatistics a = e.newStatistics();
        GmmStatistics b = e.newStatistics();
        e.accumulate(x, 0, 20, a);
        e.accumulate(x, 20, 30, b);
        a.merge(b);
        assertEquals(50, a.count());
        assertArrayEquals(e.encode(x, 50), e.encode(a), 1e-6f);
        a.reset();
        assertEquals(0, a.count());
        assertArrayEquals(new float[e.length()], e.encode(a), 0f);
    }

    @Test
    void allocationFreeMethodEqualsAllocatingOneBitwiseAndHonoursOffsets() {
        float[] x = SyntheticDescriptors.generate(3, 40, 1, 3);
        FisherEncoder e = scalar(TWO).form(FisherForm.VLFEAT).improved().build();
        float[] padded = new float[x.length + 5];
        System.arraycopy(x, 0, padded, 5, x.length);
        float[] out = new float[e.length() + 3];
        e.encode(padded, 5, 40, out, 3);
        float[] alloc = e.encode(x, 40);
        assertArrayEquals(alloc, java.util.Arrays.copyOfRange(out, 3, out.length));
        // a second call on the same thread reuses the scratch and must not carry state over
        e.encode(padded, 5, 40, out, 3);
        assertArrayEquals(alloc, java.util.Arrays.copyOfRange(out, 3, out.length));
    }

    @Test
    void nanDescriptorIsRejectedNamingDescriptorAndDimension() {
        DiagonalGmm m = DiagonalGmm.of(new float[] {1}, new float[3], new float[] {1, 1, 1});
        float[] x = new float[9];
        x[5] = Float.NaN;
        assertRejected("x[5] = NaN (descriptor 1, dimension 2)", () -> scalar(m).build().encode(x, 3));
        x[5] = Float.NEGATIVE_INFINITY;
        assertRejected("x[5] = -Infinity (descriptor 1, dimension 2)", () -> scalar(m).build().encode(x, 3));
    }

    @Test
    void shortInputIsRejected() {
        assertRejected("x has length 3, too short for 4 descriptors of D = 1 from offset 0",
                () -> scalar(TWO).build().encode(new float[3], 4));
        assertRejected("n = -1 is negative", () -> scalar(TWO).build().encode(new float[3], -1));
    }

    @Test
    void shortOutputIsRejected() {
        FisherEncoder e = scalar(TWO).build();
        assertRejected("out: range [1, 5) does not fit in an array of length 4",
                () -> e.encode(new float[1], 0, 1, new float[4], 1));
    }

    @Test
    void statisticsOfAnotherShapeAreRejected() {
        FisherEncoder e = scalar(TWO).build();
        assertRejected("statistics of K = 3, D = 1 do not match the model's K = 2, D = 1",
                () -> e.encode(new GmmStatistics(3, 1)));
        assertRejected("cannot merge statistics of K = 2, D = 2",
                () -> new GmmStatistics(2, 1).merge(new GmmStatistics(2, 2)));
    }

    @Test
    void badOptionsAreRejected() {
        assertRejected("power exponent 1.5 is outside (0, 1]", () -> scalar(TWO).power(1.5));
        assertRejected("power exponent NaN", () -> scalar(TWO).power(Double.NaN));
        assertRejected("posterior threshold -0.1 is outside [0, 1]", () -> Sparsity.threshold(-0.1));
        assertRejected("posterior threshold NaN", () -> Sparsity.threshold(Double.NaN));
    }

    @Test
    void vlfeatSkipsComponentsWithNegligibleWeight() {
        DiagonalGmm m = DiagonalGmm.of(new float[] {1 - 5e-7f, 5e-7f}, new float[] {0, 0}, new float[] {1, 1});
        float[] fv = scalar(m).sparsity(Sparsity.none()).build().encode(new float[] {0.3f, -1.2f}, 2);
        assertEquals(0f, fv[1]);
        assertEquals(0f, fv[3]);
        assertTrue(fv[0] != 0 && fv[2] != 0);
    }

    @Test
    void eachFormDefaultsToItsOriginsSparsity() {
        assertEquals(Sparsity.threshold(1e-6), Sparsity.VLFEAT);
        assertSame(Sparsity.VLFEAT, FisherForm.VLFEAT.defaultSparsity());
        assertSame(Sparsity.none(), FisherForm.GIST.defaultSparsity());
        assertSame(Sparsity.none(), FisherForm.SKIMAGE.defaultSparsity());
        assertEquals(Sparsity.VLFEAT, scalar(TWO).build().sparsity());
        assertEquals(Sparsity.none(), scalar(TWO).form(FisherForm.GIST).build().sparsity());
        assertEquals(Sparsity.none(), scalar(TWO).form(FisherForm.SKIMAGE).build().sparsity());
        // Resolved at build(), whatever the order; an explicit choice wins.
        FisherEncoder.Builder b = scalar(TWO).form(FisherForm.GIST);
        assertEquals(Sparsity.VLFEAT, b.form(FisherForm.VLFEAT).build().sparsity());
        assertEquals(Sparsity.none(), b.form(FisherForm.SKIMAGE).build().sparsity());
        assertEquals(Sparsity.hard(), scalar(TWO).sparsity(Sparsity.hard()).form(FisherForm.GIST).build().sparsity());
        assertEquals(Sparsity.VLFEAT, scalar(TWO).sparsity(Sparsity.VLFEAT).form(FisherForm.SKIMAGE).build().sparsity());
    }

    @Test
    void theDefaultSparsityChangesTheVectorAsItsFormSays() {
        // x = 3.55 between means 0 and 10: q_1 = exp(-14.5) / (1 + ...), about 5e-7, kept only when exact.
        float[] x = {3.55f, 10, 1};
        for (FisherForm form : FisherForm.values()) {
            float[] byDefault = scalar(TWO).form(form).build().encode(x, 3);
            float[] exact = scalar(TWO).form(form).sparsity(Sparsity.none()).build().encode(x, 3);
            float[] vlfeat = scalar(TWO).form(form).sparsity(Sparsity.VLFEAT).build().encode(x, 3);
            assertFalse(java.util.Arrays.equals(exact, vlfeat), form + ": the example must tell the sparsities apart");
            assertArrayEquals(form == FisherForm.VLFEAT ? vlfeat : exact, byDefault, form.toString());
        }
    }

    @Test
    @SuppressWarnings("deprecation")
    void theOldDefaultNameIsVlfeatsThreshold() {
        assertSame(Sparsity.VLFEAT, Sparsity.DEFAULT);
    }

    @Test
    void kernelSelection() {
        assertEquals("scalar", Kernels.byName("scalar").name());
        assertRejected("unknown kernel 'gpu': expected 'scalar' or 'simd'", () -> Kernels.byName("gpu"));
        String old = System.getProperty(Kernels.PROPERTY);
        try {
            System.setProperty(Kernels.PROPERTY, "turbo");
            assertRejected("unknown kernel 'turbo'", Kernels::choose);
            System.setProperty(Kernels.PROPERTY, "scalar");
            assertEquals("scalar", Kernels.choose().provider().name());
        } finally {
            if (old == null) {
                System.clearProperty(Kernels.PROPERTY);
            } else {
                System.setProperty(Kernels.PROPERTY, old);
            }
        }
    }
}
