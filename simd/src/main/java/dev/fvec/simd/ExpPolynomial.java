package dev.fvec.simd;

/**
 * The kernel's own {@code exp}, shared by the vector and the scalar twin so both compute it with
 * the same operations: Cody-Waite range reduction {@code x = n ln2 + r}, {@code |r| <= ln2 / 2},
 * then the Cephes {@code expf} polynomial for {@code e^r} (S. L. Moshier, Cephes Math Library), and
 * {@code 2^n} built in the exponent bits. About 1 ulp on {@code [-87, 0]}, exactly 0 below
 * {@link #LOW} and for {@code -inf}. Own code rather than {@code lanewise(EXP)}, which is fast only
 * where the JDK's SVML stubs load.
 */
final class ExpPolynomial {

    /** {@code exp(LOW)} is about {@code Float.MIN_NORMAL}; below it, 0. */
    static final float LOW = -87.33654f;
    static final float LOG2E = 1.44269504088896341f;
    /** Adding {@code 1.5 * 2^23} rounds to an integer. */
    static final float ROUND = 0x1.8p23f;
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = -2.12194440e-4f;
    static final float P0 = 1.9875691500e-4f;
    static final float P1 = 1.3981999507e-3f;
    static final float P2 = 8.3334519073e-3f;
    static final float P3 = 4.1665795894e-2f;
    static final float P4 = 1.6666665459e-1f;
    static final float P5 = 5.0000001201e-1f;
    static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);

    private ExpPolynomial() {
    }

    /**
     * {@code e^x} for {@code x <= 0} (and a little above), one lane of
     * {@link VectorLanes#exp}, operation for operation. Not for NaN.
     */
    static float exp(float x) {
        float xc = Math.max(x, LOW);
        float t = Math.fma(xc, LOG2E, ROUND); // n + 1.5 * 2^23, n = round(x / ln2)
        float n = t - ROUND;
        float r = Math.fma(n, -LN2_HI, xc);
        r = Math.fma(n, -LN2_LO, r);
        float r2 = r * r;
        float p = Math.fma(r, P0, P1);
        p = Math.fma(p, r, P2);
        p = Math.fma(p, r, P3);
        p = Math.fma(p, r, P4);
        p = Math.fma(p, r, P5);
        float er = Math.fma(p, r2, r) + 1f;
        // 2^n: the integer n sits in the low mantissa bits of t; move n + 127 into the exponent field.
        float scale = Float.intBitsToFloat((Float.floatToRawIntBits(t) - (ROUND_BITS - 127)) << 23);
        return x < LOW ? 0f : er * scale;
    }
}
