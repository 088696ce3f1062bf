package dev.fvec;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every tolerance the Fisher-vector tests use, in one place, with the reason for it.
 *
 * <p>Comparisons are element-wise: {@code |got - expected| <= atol + rtol * |expected|}, with
 * {@code atol} a fraction of the largest {@code |expected|} so that elements near zero (which carry
 * only cancellation noise) are judged on the vector's scale.
 */
public final class Tolerances {

    /**
     * The scalar reference against the float64 golden files. The reference computes in double from
     * the same float32 model and descriptors the golden files were made from, and only the output is
     * rounded to float: one rounding is 2^-24 ~ 6e-8 relative, and the double sums add ~1e-13. So
     * 1e-6 relative (16 float ulps) is generous for any correct implementation, while a wrong
     * formula, a dropped descriptor (1/N = 1e-3 .. 0.14 of S0 here), or a wrong threshold misses by
     * orders of magnitude.
     */
    public static final Tolerance REFERENCE = new Tolerance(1e-6, 1e-7);

    /**
     * A float kernel (SIMD) against the golden files or the scalar reference. Log-likelihoods are
     * sums of D terms in float: absolute error ~ D * 2^-24 * |log p| ~ 1e-5 nats for the golden
     * shapes, which moves each posterior by ~1e-5 relative; statistics are accumulated in float in
     * blocks and flushed to double (~1e-6 relative). 1e-4 relative keeps a 10x margin, and is still
     * 10x below the effect of dropping one descriptor out of 1000.
     */
    public static final Tolerance FLOAT_KERNEL = new Tolerance(1e-4, 1e-5);

    private Tolerances() {
    }

    /** An element-wise tolerance {@code atol = atolOfMax * max|expected|}, {@code rtol}. */
    public static final class Tolerance {
        public final double rtol;
        public final double atolOfMax;

        public Tolerance(double rtol, double atolOfMax) {
            this.rtol = rtol;
            this.atolOfMax = atolOfMax;
        }

        /** The first index where {@code got} is outside the tolerance, or -1. */
        public int firstMismatch(double[] expected, float[] got) {
            if (expected.length != got.length) {
                return 0;
            }
            double max = 0;
            for (double e : expected) {
                max = Math.max(max, Math.abs(e));
            }
            double atol = atolOfMax * max;
            for (int i = 0; i < expected.length; i++) {
                double diff = Math.abs(got[i] - expected[i]);
                if (!(diff <= atol + rtol * Math.abs(expected[i]))) {
                    return i;
                }
            }
            return -1;
        }

        public void assertClose(double[] expected, float[] got, String what) {
            if (expected.length != got.length) {
                fail(what + ": length " + got.length + ", expected " + expected.length);
            }
            int i = firstMismatch(expected, got);
            if (i >= 0) {
                fail(what + ": element " + i + " is " + got[i] + ", expected " + expected[i] + " (rtol " + rtol
                        + ", atol " + atolOfMax + " x max|expected|)");
            }
        }

        /**
         * For power-normalised vectors ({@code z -> sign(z) |z|^alpha}, {@code alpha < 1}): compares
         * {@code sign(z) |z|^(1/alpha)} instead, the raw domain where this tolerance's analysis holds.
         * The power step is not Lipschitz at 0: a float-sized error {@code d} on a raw element near
         * zero (cancellation noise in {@code s1 - s0 mu}) becomes {@code ~d^alpha} after it, for any
         * float kernel (measured: 8e-4 of the largest element on a_D64_K256_N1000 for alpha = 0.5).
         * Undoing the power keeps the L2 scale up to the norm's own relative error. With
         * {@code alpha == 0} or {@code 1} (no power step) this is {@link #assertClose(double[], float[], String)}.
         */
        public void assertClosePowered(double[] expected, float[] got, double alpha, String what) {
            if (alpha == 0 || alpha == 1) {
                assertClose(expected, got, what);
                return;
            }
            double inv = 1 / alpha;
            double[] e = new double[expected.length];
            float[] g = new float[got.length];
            for (int i = 0; i < e.length; i++) {
                e[i] = Math.copySign(Math.pow(Math.abs(expected[i]), inv), expected[i]);
            }
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) Math.copySign(Math.pow(Math.abs(got[i]), inv), got[i]);
            }
            assertClose(e, g, what + " (compared as sign(z) |z|^" + inv + ")");
        }

        public void assertClose(float[] expected, float[] got, String what) {
            double[] e = new double[expected.length];
            for (int i = 0; i < e.length; i++) {
                e[i] = expected[i];
            }
            assertClose(e, got, what);
        }
    }
}
