package dev.fvec;

/**
 * SPEC.md "Normalisations", shared by {@link FisherEncoder} and {@link SpatialEncoder} so that a
 * pyramid's {@code 1x1} cell is bitwise the plain vector: power, then L2, in double, rounded to
 * float at the end.
 */
final class Normalisation {

    private Normalisation() {
    }

    /**
     * Normalises {@code fv[0 .. length)} in place and writes it, as floats, to
     * {@code out[outOffset ..]}.
     *
     * @param power the exponent, 0 for none
     * @throws ArithmeticException if an element does not fit in a float
     */
    static void finish(double[] fv, int length, double power, boolean l2, float[] out, int outOffset) {
        if (power == 0.5) {
            // The signed square root in three plain loops, which C2 vectorises; the one loop
            // copySign(sqrt(|z|), z) it replaces was not (on 17: 60 us against 26 us for 32768
            // values on Zen 5, about 5% of an encode at D = 64, K = 256). Same values, bit for bit:
            // the signs wait in out, as floats (a double's float keeps its sign, zeros and
            // underflows included), which the last loop below overwrites.
            for (int i = 0; i < length; i++) {
                out[outOffset + i] = (float) fv[i];
            }
            for (int i = 0; i < length; i++) {
                fv[i] = Math.sqrt(Math.abs(fv[i]));
            }
            for (int i = 0; i < length; i++) {
                fv[i] = Math.copySign(fv[i], (double) out[outOffset + i]);
            }
        } else if (power != 0) {
            for (int i = 0; i < length; i++) {
                double z = fv[i];
                fv[i] = Math.copySign(Math.pow(Math.abs(z), power), z);
            }
        }
        double scale = 1;
        boolean finite = false; // known to be finite without a look at each element
        if (l2) {
            double sq = 0;
            for (int i = 0; i < length; i++) {
                sq += fv[i] * fv[i];
            }
            scale = 1 / Math.max(Math.sqrt(sq), 1e-12);
            // A finite sum of squares bounds every |fv[i]| by sqrt(sq), so |fv[i] * scale| <= 1
            // (or < 1e-12 * 1e12 where the norm is below 1e-12): no element can overflow a float.
            finite = sq <= Double.MAX_VALUE;
        }
        // Written, then checked: the plain conversion loop is vectorised, the one with the throw
        // inside was not (30 us -> 15 us for 32768 values on Zen 5, JDK 17).
        for (int i = 0; i < length; i++) {
            out[outOffset + i] = (float) (fv[i] * scale);
        }
        if (finite) {
            return;
        }
        for (int i = 0; i < length; i++) {
            float v = out[outOffset + i];
            if (v - v != 0) {
                // Only without L2 normalisation, from descriptors near float's range: say so rather than emit Infinity.
                throw new ArithmeticException("Fisher vector element " + i + " = " + fv[i] * scale
                        + " does not fit in a float; rescale the descriptors or enable L2 normalisation");
            }
        }
    }
}
