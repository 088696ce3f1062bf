package dev.fvec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fvec.spi.StatisticsAccess;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The encoder's finishing arithmetic ({@link FisherForm#gradients} into {@link VectorParts}, then
 * {@link Normalisation#finish}, loops shaped for C2's vectoriser) is bitwise the plain
 * transcription of SPEC.md's formulas below: one loop per form over one array, then power
 * ({@code copySign(pow(|z|, a), z)}, {@code copySign(sqrt(|z|), z)} for 0.5), the sum of squares
 * in index order, the scale and the rounding to float. Every form and normalisation, dimensions
 * that are not a multiple of any vector width, a component under VLFeat's weight cut.
 */
class FisherVectorBitsTest {

    @Test
    void everyFormAndNormalisationIsBitwiseThePlainFormulas() {
        SplittableRandom rnd = new SplittableRandom(20261202);
        int[][] shapes = {{5, 3}, {7, 13}, {16, 64}, {3, 1}};
        for (int[] shape : shapes) {
            int k = shape[0];
            int d = shape[1];
            float[] weights = new float[k];
            float[] means = new float[k * d];
            float[] variances = new float[k * d];
            weights[0] = 1e-7f; // below VLFEAT_MIN_WEIGHT: VLFeat leaves it zero
            for (int c = 1; c < k; c++) {
                weights[c] = (1f - 1e-7f) / (k - 1);
            }
            for (int i = 0; i < k * d; i++) {
                means[i] = (float) (rnd.nextGaussian() * 3);
                variances[i] = (float) (0.01 + rnd.nextDouble() * 4);
            }
            DiagonalGmm model = DiagonalGmm.of(k, d, weights, means, variances);
            GmmStatistics stats = new GmmStatistics(k, d);
            double[] s0 = StatisticsAccess.s0(stats);
            double[] s1 = StatisticsAccess.s1(stats);
            double[] s2 = StatisticsAccess.s2(stats);
            long n = 37;
            for (int c = 0; c < k; c++) {
                s0[c] = c == 1 ? 0 : rnd.nextDouble() * n / k; // component 1 unused: exact zeros
                for (int j = 0; j < d; j++) {
                    double x = means[c * d + j] + rnd.nextGaussian();
                    s1[c * d + j] = s0[c] * x;
                    s2[c * d + j] = s0[c] * (x * x + rnd.nextDouble());
                }
            }
            StatisticsAccess.addCounts(stats, n, n, 0);
            for (FisherForm form : FisherForm.values()) {
                double[] raw = plainForm(model, form, s0, s1, s2, 1.0 / n);
                VectorParts parts = new VectorParts(form, k, d, 0);
                form.gradients(model, s0, s1, s2, 1.0 / n, parts);
                assertBitwise(raw, parts, form + " K " + k + " D " + d + " before normalisation");
                for (double power : new double[] {0, 0.5, 0.3}) {
                    for (boolean l2 : new boolean[] {false, true}) {
                        String what = form + " power " + power + " l2 " + l2 + " K " + k + " D " + d;
                        double[] fv = raw.clone();
                        float[] expected = plainNormalisation(fv, power, l2);
                        form.gradients(model, s0, s1, s2, 1.0 / n, parts);
                        float[] actual = new float[expected.length + 2];
                        Normalisation.finish(parts.parts, power, l2, actual, 2);
                        assertBitwise(fv, parts, what + " after power");
                        for (int i = 0; i < expected.length; i++) {
                            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[2 + i]),
                                    what + " element " + i);
                        }
                        float[] encoded = FisherEncoder.builder(model).form(form).power(power).l2(l2).build()
                                .encode(stats);
                        assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(encoded), what);
                    }
                }
            }
        }
    }

    private static void assertBitwise(double[] expected, VectorParts parts, String what) {
        int at = 0;
        for (double[] p : parts.parts) {
            for (double v : p) {
                assertEquals(Double.doubleToRawLongBits(expected[at]), Double.doubleToRawLongBits(v),
                        what + ", element " + at);
                at++;
            }
        }
        assertEquals(expected.length, at, what);
    }

    /** SPEC.md's forms and normalisations, written as plainly as they read. */
    private static double[] plainForm(DiagonalGmm m, FisherForm form, double[] s0, double[] s1, double[] s2,
            double invN) {
        int k = m.components();
        int d = m.dimension();
        int base = form == FisherForm.VLFEAT ? 0 : k;
        double[] fv = new double[base + 2 * k * d];
        int sigmaBase = base + k * d;
        for (int c = 0; c < k; c++) {
            double s0k = s0[c] * invN;
            double w = m.weights[c];
            if (form == FisherForm.GIST) {
                fv[c] = s0k - w;
            } else if (form == FisherForm.SKIMAGE) {
                fv[c] = (s0k - w) / Math.sqrt(w);
            } else if (w < 1e-6) {
                continue;
            }
            for (int j = 0; j < d; j++) {
                int i = c * d + j;
                double s1kj = s1[i] * invN;
                double s2kj = s2[i] * invN;
                double mu = m.means[i];
                double var = m.variances[i];
                if (form == FisherForm.GIST) {
                    fv[base + i] = s1kj - s0k * mu;
                    fv[sigmaBase + i] = -s2kj - s0k * mu * mu + s0k * var + 2 * s1kj * mu;
                } else {
                    fv[base + i] = (s1kj - s0k * mu) / (Math.sqrt(w) * Math.sqrt(var));
                    double v = (s2kj - 2 * mu * s1kj + (mu * mu - var) * s0k) / (Math.sqrt(2.0) * Math.sqrt(w) * var);
                    fv[sigmaBase + i] = form == FisherForm.SKIMAGE ? -v : v;
                }
            }
        }
        return fv;
    }

    /** Power then L2 of {@code fv}, in place, and the vector rounded to float. */
    private static float[] plainNormalisation(double[] fv, double power, boolean l2) {
        double sq = 0;
        for (int i = 0; i < fv.length; i++) {
            double z = fv[i];
            if (power == 0.5) {
                fv[i] = Math.copySign(Math.sqrt(Math.abs(z)), z);
            } else if (power != 0) {
                fv[i] = Math.copySign(Math.pow(Math.abs(z), power), z);
            }
            sq += fv[i] * fv[i];
        }
        double scale = l2 ? 1 / Math.max(Math.sqrt(sq), 1e-12) : 1;
        float[] out = new float[fv.length];
        for (int i = 0; i < fv.length; i++) {
            out[i] = (float) (fv[i] * scale);
        }
        return out;
    }
}
