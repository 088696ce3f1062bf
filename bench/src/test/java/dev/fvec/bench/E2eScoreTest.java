package dev.fvec.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The end-to-end benchmark's log-likelihood, against closed forms computed another way. */
class E2eScoreTest {

    private static final double LOG_2PI = Math.log(2 * Math.PI);

    @Test
    void oneGaussianAtItsMeanIsMinusHalfTheLogNormaliser() {
        float[] x = {1f, -2f};
        double ll = E2eScore.meanLogLikelihood(new float[] {1f}, new float[] {1f, -2f}, new float[] {0.5f, 4f}, x, 1, 2);
        assertEquals(-0.5 * (2 * LOG_2PI + Math.log(0.5) + Math.log(4)), ll, 1e-12);
    }

    @Test
    void twoComponentsMatchTheSumOfDensities() {
        float[] w = {0.25f, 0.75f};
        float[] mu = {0f, 3f};
        float[] var = {1f, 2f};
        float[] x = {-1f, 0.5f, 2f, 4f};
        double expected = 0;
        for (float v : x) {
            double p = 0;
            for (int k = 0; k < 2; k++) {
                p += w[k] * Math.exp(-0.5 * (v - mu[k]) * (v - mu[k]) / var[k]) / Math.sqrt(2 * Math.PI * var[k]);
            }
            expected += Math.log(p) / x.length;
        }
        assertEquals(expected, E2eScore.meanLogLikelihood(w, mu, var, x, 4, 1), 1e-12);
    }

    @Test
    void farPointsStayFiniteThroughLogSumExp() {
        // exp(-0.5 * 1e6 / 1e-2) underflows to 0 for both components; the log-sum-exp must not.
        float[] w = {0.5f, 0.5f};
        float[] mu = {0f, 1f};
        float[] var = {0.01f, 0.01f};
        float[] x = {1000f};
        double nearest = Math.log(0.5) - 0.5 * (LOG_2PI + Math.log(0.01f)) - 0.5 * 999.0 * 999.0 / 0.01f;
        double farther = Math.log(0.5) - 0.5 * (LOG_2PI + Math.log(0.01f)) - 0.5 * 1000.0 * 1000.0 / 0.01f;
        double expected = nearest + Math.log1p(Math.exp(farther - nearest));
        assertEquals(expected, E2eScore.meanLogLikelihood(w, mu, var, x, 1, 1), Math.abs(expected) * 1e-14);
    }

    @Test
    void mismatchedShapesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> E2eScore.meanLogLikelihood(
                new float[] {1f}, new float[] {0f, 0f}, new float[] {1f}, new float[] {0f, 0f}, 1, 2));
        assertEquals("model arrays are not K = 1 by D = 2", e.getMessage());
    }
}
