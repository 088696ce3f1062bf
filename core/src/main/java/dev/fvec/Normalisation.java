package dev.fvec;

/**
 * SPEC.md "Normalisations", shared by {@link FisherEncoder} and {@link SpatialEncoder} so that a
 * pyramid's {@code 1x1} cell is bitwise the plain vector: power, then L2, in double, rounded to
 * float at the end.
 *
 * <p>The vector comes in parts ({@link VectorParts#parts}), each an array from index 0, and is
 * their concatenation: each step runs over the parts in order, so the sum of squares adds the
 * elements in the vector's index order, as one loop over it would (the same bits).
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
        double sq = 0;
        if (power == 0.5) {
            // The signed root and the sum of squares in one loop per part. The sum is a chain of
            // dependent adds (17 us for 32768 values on Zen 5), which the vectorised roots hide under:
            // both together took 18 us, where the roots (signs kept in the float output, then a
            // copySign loop; 21 us) and the sum (17 us) took 38 in separate loops.
            for (double[] p : parts) {
                sq = l2 ? signedRootsAndSquares(p, sq) : signedRoots(p);
            }
        } else {
            if (power != 0) {
                for (double[] p : parts) {
                    for (int i = 0; i < p.length; i++) {
                        double z = p[i];
                        p[i] = Math.copySign(Math.pow(Math.abs(z), power), z);
                    }
                }
            }
            if (l2) {
                for (double[] p : parts) {
                    for (int i = 0; i < p.length; i++) {
                        sq += p[i] * p[i];
                    }
                }
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
     * {@code p[i] = copySign(sqrt(|p[i]|), p[i])}, and returns {@code sq} plus the squares of the
     * roots, added in index order. The sign is applied as a factor {@code +-1} ({@code +-0} for
     * {@code +-0}, whose root is 0: the product is then the signed zero copySign gives), made by
     * arithmetic C2 vectorises on JDK 17: {@code Math.copySign} and {@code Math.signum} were not,
     * and kept this loop scalar (65 us). Every non-zero double times {@code 2^1200} is at least
     * {@code 2^126} in magnitude (or infinite), which the clamp maps to {@code +-1}.
     */
    private static double signedRootsAndSquares(double[] p, double sq) {
        for (int i = 0; i < p.length; i++) {
            double z = p[i];
            double root = Math.sqrt(Math.abs(z));
            p[i] = root * Math.max(-1.0, Math.min(1.0, z * 0x1p600 * 0x1p600));
            sq += root * root; // (+-root)^2, bitwise
        }
        return sq;
    }

    /** {@link #signedRootsAndSquares} without the squares (without L2 normalisation); returns 0. */
    private static double signedRoots(double[] p) {
        for (int i = 0; i < p.length; i++) {
            double z = p[i];
            p[i] = Math.sqrt(Math.abs(z)) * Math.max(-1.0, Math.min(1.0, z * 0x1p600 * 0x1p600));
        }
        return 0;
    }
}
