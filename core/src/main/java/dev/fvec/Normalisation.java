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
        if (power != 0) {
            for (int i = 0; i < length; i++) {
                double z = fv[i];
                fv[i] = power == 0.5 ? Math.copySign(Math.sqrt(Math.abs(z)), z) : Math.copySign(Math.pow(Math.abs(z), power), z);
            }
        }
        double scale = 1;
        if (l2) {
            double sq = 0;
            for (int i = 0; i < length; i++) {
                sq += fv[i] * fv[i];
            }
            scale = 1 / Math.max(Math.sqrt(sq), 1e-12);
        }
        for (int i = 0; i < length; i++) {
            float v = (float) (fv[i] * scale);
            if (v - v != 0) {
                // Only without L2 normalisation, from descriptors near float's range: say so rather than emit Infinity.
                throw new ArithmeticException("Fisher vector element " + i + " = " + fv[i] * scale
                        + " does not fit in a float; rescale the descriptors or enable L2 normalisation");
            }
            out[outOffset + i] = v;
        }
    }
}
