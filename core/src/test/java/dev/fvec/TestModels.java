package dev.fvec;

import java.util.SplittableRandom;

/** Models for tests and timing harnesses, derived from data without training. */
public final class TestModels {

    private TestModels() {
    }

    /**
     * A typical EM start: {@code k} seeded random rows of {@code x} ({@code n x d}) as means,
     * {@code varianceScale} times each dimension's data variance (at least {@code 1e-6}) as
     * variances, equal weights.
     */
    public static DiagonalGmm fromData(float[] x, int n, int d, int k, long seed, double varianceScale) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] mean = new double[d];
        double[] sq = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += x[i * d + j];
                sq[j] += (double) x[i * d + j] * x[i * d + j];
            }
        }
        float[] weights = new float[k];
        float[] means = new float[k * d];
        float[] variances = new float[k * d];
        java.util.Arrays.fill(weights, 1f / k);
        for (int c = 0; c < k; c++) {
            System.arraycopy(x, rnd.nextInt(n) * d, means, c * d, d);
            for (int j = 0; j < d; j++) {
                double m = mean[j] / n;
                variances[c * d + j] = (float) Math.max(varianceScale * (sq[j] / n - m * m), 1e-6);
            }
        }
        return DiagonalGmm.of(k, d, weights, means, variances);
    }
}
