package dev.fvec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link Normalisation#finish} computes the signed square root with the sign as a factor made by
 * a clamp, over a vector given in parts; its values must be bitwise those of the one-loop
 * definition {@code copySign(sqrt(|z|), z)} over the whole vector, on the values where the two
 * could part: signed zeros, doubles that underflow to a float zero, subnormals, and magnitudes
 * across the double range; with the vector whole and cut in three parts (the sum of squares
 * continues across them).
 */
class NormalisationSignedRootTest {

    @Test
    void signedRootIsBitwiseTheOneLoopDefinition() {
        SplittableRandom rnd = new SplittableRandom(20261201);
        double[] z = new double[4099];
        double[] edges = {0.0, -0.0, 1e-300, -1e-300, Double.MIN_VALUE, -Double.MIN_VALUE, 1e-310, -1e-320,
            Float.MIN_VALUE, -Float.MIN_VALUE / 4, 1e300, -1e300, 1, -1};
        for (int i = 0; i < z.length; i++) {
            z[i] = i < edges.length ? edges[i]
                    : (rnd.nextBoolean() ? -1 : 1) * rnd.nextDouble() * Math.pow(10, rnd.nextInt(-320, 300));
        }
        for (boolean whole : new boolean[] {true, false}) {
            check(z.clone(), whole);
        }
    }

    /** Normalises {@code fv} whole ({@code cuts == null}) or as parts of lengths {@code cuts}, roots back into {@code fv}. */
    private static void finish(double[] fv, boolean l2, float[] out, int[] cuts) {
        double[][] parts = cuts == null ? new double[][] {fv} : new double[cuts.length][];
        int from = 0;
        for (int p = 0; cuts != null && p < cuts.length; p++) {
            parts[p] = java.util.Arrays.copyOfRange(fv, from, from + cuts[p]);
            from += cuts[p];
        }
        Normalisation.finish(parts, 0.5, l2, out, 3);
        from = 0;
        for (double[] p : parts) { // the roots, in place, back into fv
            System.arraycopy(p, 0, fv, from, p.length);
            from += p.length;
        }
    }

    private static void check(double[] z, boolean whole) {
        int[] cuts = whole ? null : new int[] {7, 2043, z.length - 2050};
        for (boolean l2 : new boolean[] {false, true}) {
            double[] expected = new double[z.length];
            double sq = 0;
            for (int i = 0; i < z.length; i++) {
                expected[i] = Math.copySign(Math.sqrt(Math.abs(z[i])), z[i]);
                sq += expected[i] * expected[i];
            }
            double scale = l2 ? 1 / Math.max(Math.sqrt(sq), 1e-12) : 1;
            double[] fv = z.clone();
            float[] out = new float[z.length + 3];
            if (l2) {
                finish(fv, true, out, cuts);
            } else {
                // Without L2, 1e300 overflows float: normalise the part that fits.
                for (int i = 0; i < z.length; i++) {
                    if (Math.abs(expected[i]) > Float.MAX_VALUE) {
                        fv[i] = 0;
                        expected[i] = 0;
                        z[i] = 0;
                    }
                }
                finish(fv, false, out, cuts);
            }
            for (int i = 0; i < z.length; i++) {
                assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(fv[i]), "root of " + z[i]);
                assertEquals(Float.floatToRawIntBits((float) (expected[i] * scale)), Float.floatToRawIntBits(out[3 + i]),
                        "output of " + z[i]);
            }
        }
    }
}
