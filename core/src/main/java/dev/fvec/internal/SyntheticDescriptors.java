package dev.fvec.internal;

import java.util.SplittableRandom;

/**
 * Not API (a fixture for the demo, the benchmarks and the tests). Seeded, descriptor-like data: a mixture of anisotropic, randomly rotated Gaussians whose
 * per-cluster spectrum decays like {@code (j + 1)^-1.2}, the way the PCA spectrum of SIFT or CNN
 * patch descriptors does. Uniform noise would make every component equally likely and hide the
 * sparsity real data has; this does not.
 *
 * <p>Output is {@code n x d}, row-major. The same arguments always give the same values, on every
 * JVM (only {@link SplittableRandom} and strict arithmetic are used).
 */
public final class SyntheticDescriptors {

    private SyntheticDescriptors() {
    }

    /**
     * Generates {@code n} descriptors.
     *
     * @param seed random seed
     * @param n number of descriptors
     * @param d dimension
     * @param clusters number of underlying clusters (not the same as a model's K)
     * @return {@code n x d} descriptors, row-major
     */
    public static float[] generate(long seed, int n, int d, int clusters) {
        if (n < 0 || d < 1 || clusters < 1) {
            throw new IllegalArgumentException("need n >= 0, d >= 1, clusters >= 1; got n = " + n + ", d = " + d
                    + ", clusters = " + clusters);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] centers = new double[clusters * d];
        double[] rotations = new double[clusters * d * d];
        double[] scales = new double[clusters * d];
        double[] cumulative = new double[clusters];
        double total = 0;
        for (int c = 0; c < clusters; c++) {
            for (int j = 0; j < d; j++) {
                centers[c * d + j] = 3.0 * gaussian(rnd);
                // decaying spectrum, with a per-cluster overall scale in [0.5, 1.5]
                scales[c * d + j] = Math.pow(j + 1, -0.6);
            }
            double s = 0.5 + rnd.nextDouble();
            for (int j = 0; j < d; j++) {
                scales[c * d + j] *= s;
            }
            randomRotation(rnd, d, rotations, c * d * d);
            total += 0.2 + rnd.nextDouble();
            cumulative[c] = total;
        }
        float[] x = new float[Math.multiplyExact(n, d)];
        double[] z = new double[d];
        for (int i = 0; i < n; i++) {
            double u = rnd.nextDouble() * total;
            int c = 0;
            while (c < clusters - 1 && cumulative[c] <= u) {
                c++;
            }
            for (int j = 0; j < d; j++) {
                z[j] = gaussian(rnd) * scales[c * d + j];
            }
            int r = c * d * d;
            for (int row = 0; row < d; row++) {
                double v = centers[c * d + row];
                for (int j = 0; j < d; j++) {
                    v += rotations[r + row * d + j] * z[j];
                }
                x[i * d + row] = (float) v;
            }
        }
        return x;
    }

    /** A standard normal deviate (Box-Muller; one of the pair is discarded for simplicity). */
    static double gaussian(SplittableRandom rnd) {
        double u1 = rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log1p(-u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** Gram-Schmidt on a Gaussian matrix: a random orthogonal matrix, row-major at {@code out[off..]}. */
    private static void randomRotation(SplittableRandom rnd, int d, double[] out, int off) {
        for (int row = 0; row < d; row++) {
            int base = off + row * d;
            while (true) {
                for (int j = 0; j < d; j++) {
                    out[base + j] = gaussian(rnd);
                }
                for (int prev = 0; prev < row; prev++) {
                    int p = off + prev * d;
                    double dot = 0;
                    for (int j = 0; j < d; j++) {
                        dot += out[base + j] * out[p + j];
                    }
                    for (int j = 0; j < d; j++) {
                        out[base + j] -= dot * out[p + j];
                    }
                }
                double norm = 0;
                for (int j = 0; j < d; j++) {
                    norm += out[base + j] * out[base + j];
                }
                norm = Math.sqrt(norm);
                if (norm > 1e-6) {
                    for (int j = 0; j < d; j++) {
                        out[base + j] /= norm;
                    }
                    break;
                }
            }
        }
    }
}
