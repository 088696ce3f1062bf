package dev.fvec.bench;

/**
 * The one-off answer checks benchmarks run in {@code @Setup}: a benchmark that times a wrong answer
 * throws instead of reporting a number.
 *
 * <p>Comparisons are element-wise, {@code |got - expected| <= atol + rtol * |expected|} with
 * {@code atol} a fraction of {@code max |expected|}, as in core's tests (elements near zero carry
 * only cancellation noise and are judged on the vector's scale).
 */
public final class Check {

    /**
     * The scalar reference against float64 golden files: it computes in double from the same
     * float32 inputs and rounds once at the end, so 16 float ulps is generous.
     */
    public static final double[] REFERENCE = {1e-6, 1e-7};
    /**
     * A float kernel (SIMD) against the scalar reference or golden files: log-likelihoods summed over
     * D terms in float move each posterior by ~1e-5 relative; 1e-4 keeps a 10x margin and is still
     * far below the effect of dropping one descriptor in 1000.
     */
    public static final double[] FLOAT_KERNEL = {1e-4, 1e-5};

    private Check() {
    }

    /**
     * {@code tol}, for vectors after the signed square root. Near zero the square root turns an
     * absolute error {@code e} into up to {@code sqrt(e)} ({@code |sqrt a - sqrt b| <= sqrt|a - b|}),
     * while relative errors of large elements halve. So an element-wise bound {@code atolOfMax} on
     * the raw vector becomes {@code sqrt(atolOfMax)} on the normalised one (whose maximum is the
     * square root of the raw maximum); {@code rtol} still holds. Used for float implementations
     * only, after their raw (un-normalised) vector has passed {@code tol} itself.
     */
    public static double[] afterSquareRoot(double[] tol) {
        return new double[] {tol[0], Math.sqrt(tol[1])};
    }

    /** Throws unless {@code got} matches {@code expected} within {@code tol = {rtol, atolOfMax}}. */
    public static void close(float[] expected, float[] got, double[] tol, String what) {
        if (expected.length != got.length) {
            throw new IllegalStateException(what + ": length " + got.length + ", expected " + expected.length);
        }
        double max = 0;
        for (float e : expected) {
            max = Math.max(max, Math.abs(e));
        }
        double atol = tol[1] * max;
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs((double) got[i] - expected[i]);
            double excess = diff / (atol + tol[0] * Math.abs(expected[i]));
            if (!(excess <= 1) && !(excess <= worst)) { // NaN counts as the worst
                worst = Double.isNaN(excess) ? Double.POSITIVE_INFINITY : excess;
                worstAt = i;
            }
        }
        if (worstAt >= 0) {
            throw new IllegalStateException(what + ": element " + worstAt + " is " + got[worstAt] + ", expected "
                    + expected[worstAt] + " (rtol " + tol[0] + ", atol " + tol[1] + " x max|expected| = " + atol
                    + "); the benchmark would time a wrong answer");
        }
    }

    /** Throws unless every element is finite, and (when {@code unitNorm}) the L2 norm is 1. */
    public static void sane(float[] v, boolean unitNorm, String what) {
        double sq = 0;
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new IllegalStateException(what + ": element " + i + " is " + v[i]);
            }
            sq += (double) v[i] * v[i];
        }
        if (unitNorm && Math.abs(Math.sqrt(sq) - 1) > 1e-4) {
            throw new IllegalStateException(what + ": L2 norm is " + Math.sqrt(sq) + ", expected 1");
        }
    }
}
