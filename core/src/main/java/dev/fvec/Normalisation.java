package dev.fvec;

/**
 * SPEC.md "Normalisations", shared by {@link FisherEncoder} and {@link SpatialEncoder} so that a
 * pyramid's {@code 1x1} cell is bitwise the plain vector: power, then L2, in double, rounded to
 * float at the end.
 *
 * <p>The vector comes in parts ({@link VectorParts#parts}), each an array from index 0, and is
 * their concatenation: each step runs over the parts in order, and the sum of squares adds each
 * part's sum ({@link #sumOfSquares}) in that order, so vectors made of the same parts (a plain
 * vector and a pyramid's {@code 1x1} cell) get the same bits.
 */
final class Normalisation {

    private Normalisation() {
    }

    /**
     * Normalises the vector {@code parts[0] ++ parts[1] ++ ...} in place and writes it, as floats, to
     * {@code out[outOffset ..]}.
     *
     * @param power the exponent, 0 for none
     * @throws ArithmeticException if an element does not fit in a float
     */
    static void finish(double[][] parts, double power, boolean l2, float[] out, int outOffset) {
        if (power == 0.5) {
            for (double[] p : parts) {
                signedRoots(p);
            }
        } else if (power != 0) {
            for (double[] p : parts) {
                for (int i = 0; i < p.length; i++) {
                    double z = p[i];
                    p[i] = Math.copySign(Math.pow(Math.abs(z), power), z);
                }
            }
        }
        double sq = 0;
        if (l2) {
            for (double[] p : parts) {
                sq = sumOfSquares(p, sq);
            }
        }
        double scale = 1;
        boolean finite = false; // known to be finite without a look at each element
        if (l2) {
            scale = 1 / Math.max(Math.sqrt(sq), 1e-12);
            // A finite sum of squares bounds every |fv[i]| by sqrt(sq), so |fv[i] * scale| <= 1
            // (or < 1e-12 * 1e12 where the norm is below 1e-12): no element can overflow a float.
            finite = sq <= Double.MAX_VALUE;
        }
        // Written, then checked: the plain conversion loop is vectorised, the one with the throw
        // inside was not (30 us -> 15 us for 32768 values on Zen 5, JDK 17).
        int at = outOffset;
        for (double[] p : parts) {
            for (int i = 0; i < p.length; i++) {
                out[at + i] = (float) (p[i] * scale);
            }
            at += p.length;
        }
        if (finite) {
            return;
        }
        int base = 0;
        for (double[] p : parts) {
            for (int i = 0; i < p.length; i++) {
                float v = out[outOffset + base + i];
                if (v - v != 0) {
                    // Only without L2 normalisation, from descriptors near float's range: say so rather than emit Infinity.
                    throw new ArithmeticException("Fisher vector element " + (base + i) + " = " + p[i] * scale
                            + " does not fit in a float; rescale the descriptors or enable L2 normalisation");
                }
            }
            base += p.length;
        }
    }

    /**
     * {@code sq} plus the sum of {@code p[i]^2}: element {@code i} into running sum {@code i mod 8},
     * the eight added pairwise at the end. One running sum in index order, in the roots' loop, was
     * a chain of dependent adds (17 us for 32768 values on Zen 5) longer than that loop's square
     * roots (10 us, bound by the divider); the eight chains take 7 us in a loop of their own (C2
     * vectorises neither form's sum).
     */
    private static double sumOfSquares(double[] p, double sq) {
        double a0 = 0;
        double a1 = 0;
        double a2 = 0;
        double a3 = 0;
        double a4 = 0;
        double a5 = 0;
        double a6 = 0;
        double a7 = 0;
        int i = 0;
        for (; i + 8 <= p.length; i += 8) {
            a0 += p[i] * p[i];
            a1 += p[i + 1] * p[i + 1];
            a2 += p[i + 2] * p[i + 2];
            a3 += p[i + 3] * p[i + 3];
            a4 += p[i + 4] * p[i + 4];
            a5 += p[i + 5] * p[i + 5];
            a6 += p[i + 6] * p[i + 6];
            a7 += p[i + 7] * p[i + 7];
        }
        for (; i < p.length; i++) {
            a0 += p[i] * p[i];
        }
        return sq + (((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)));
    }

    /**
     * {@code p[i] = copySign(sqrt(|p[i]|), p[i])}; returns 0. The sign is applied as a factor
     * {@code +-1} ({@code +-0} for {@code +-0}, whose root is 0: the product is then the signed
     * zero copySign gives), made by arithmetic C2 vectorises on JDK 17: {@code Math.copySign} and
     * {@code Math.signum} were not, and kept this loop scalar (65 us). Every non-zero double times
     * {@code 2^1200} is at least {@code 2^126} in magnitude (or infinite), which the clamp maps to
     * {@code +-1}.
     */
    private static void signedRoots(double[] p) {
        for (int i = 0; i < p.length; i++) {
            double z = p[i];
            p[i] = Math.sqrt(Math.abs(z)) * Math.max(-1.0, Math.min(1.0, z * 0x1p600 * 0x1p600));
        }
    }
}
