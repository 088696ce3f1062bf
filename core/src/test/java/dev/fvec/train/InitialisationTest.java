package dev.fvec.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fvec.DiagonalGmm;
import dev.fvec.GmmStatistics;
import dev.fvec.Kernels;
import dev.fvec.Sparsity;
import dev.fvec.internal.SyntheticDescriptors;
import dev.fvec.spi.KernelProvider;
import dev.fvec.spi.StatisticsKernel;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, item 3: the Lloyd step run as a hard-assignment kernel pass is the nearest-center
 * assignment, and the seeding's column sweeps leave its centers exactly those of plain greedy
 * k-means++.
 */
class InitialisationTest {

    /** The component a kernel assigns descriptor {@code i} to, by a one-descriptor pass. */
    static int assignment(KernelProvider provider, DiagonalGmm model, float[] x, int i) {
        StatisticsKernel kernel = provider.create(model, Sparsity.hard());
        GmmStatistics stats = GmmStatistics.forModel(model);
        kernel.accumulate(x, i * model.dimension(), 1, stats);
        double[] s0 = stats.s0();
        int chosen = -1;
        for (int c = 0; c < s0.length; c++) {
            if (s0[c] != 0) {
                assertEquals(-1, chosen, "one component per descriptor");
                assertEquals(1.0, s0[c]);
                chosen = c;
            }
        }
        return chosen;
    }

    /** The nearest center to descriptor {@code i}, in double; ties to the lowest index. */
    static int nearest(float[] centers, int k, float[] x, int i, int d) {
        int best = 0;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                double e = (double) x[i * d + j] - centers[c * d + j];
                s += e * e;
            }
            if (s < bestDistance) {
                bestDistance = s;
                best = c;
            }
        }
        return best;
    }

    @Test
    void lloydPassAssignsEachDescriptorToItsNearestCenter() {
        SplittableRandom rnd = new SplittableRandom(5);
        int n = 500;
        int d = 7;
        int k = 9;
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rnd.nextDouble() * 20 - 10);
        }
        float[] centers = new float[k * d];
        for (int i = 0; i < centers.length; i++) {
            centers[i] = (float) (rnd.nextDouble() * 20 - 10);
        }
        for (double v : new double[] {1, 37.5, 1e-3}) {
            DiagonalGmm model = Initialisation.lloydModel(centers, k, d, v);
            for (int i = 0; i < n; i++) {
                assertEquals(nearest(centers, k, x, i, d), assignment(Kernels.scalar(), model, x, i),
                        "descriptor " + i + ", v = " + v);
            }
        }
    }

    @Test
    void lloydPassBreaksTiesToTheLowestIndex() {
        // x = 5 between centers 0 and 10 (and again between 10 and 0 in the other order).
        float[] centers = {10, 0, 10, 20};
        float[] x = {5, 15, 10};
        DiagonalGmm model = Initialisation.lloydModel(centers, 4, 1, 7.0);
        assertEquals(0, assignment(Kernels.scalar(), model, x, 0), "5 is as near to 10 (0) as to 0 (1)");
        assertEquals(0, assignment(Kernels.scalar(), model, x, 1), "15 is as near to 10 (0) as to 20 (3)");
        assertEquals(0, assignment(Kernels.scalar(), model, x, 2), "10 is on centers 0 and 2");
    }

    @Test
    void lloydPassSumsAreTheClusterCountsAndSums() {
        SplittableRandom rnd = new SplittableRandom(8);
        int n = 3000; // several chunks, a short last one
        int d = 5;
        int k = 6;
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextDouble();
        }
        float[] centers = java.util.Arrays.copyOf(x, k * d);
        double[] count = new double[k];
        double[] sum = new double[k * d];
        for (int i = 0; i < n; i++) {
            int c = nearest(centers, k, x, i, d);
            count[c]++;
            for (int j = 0; j < d; j++) {
                sum[c * d + j] += x[i * d + j];
            }
        }
        try (ParallelPasses passes = new ParallelPasses(x, n, d, 2)) {
            GmmStatistics stats = passes.statistics(Kernels.scalar(),
                    Initialisation.lloydModel(centers, k, d, 0.08), Sparsity.hard());
            assertArrayEquals(count, stats.s0());
            assertArrayEquals(sum, stats.s1(), 1e-9);
        }
    }

    // ---- the seeding's column sweeps are the plain computation ---------------------------

    /**
     * Plain greedy k-means++ on the same sample with the same random draws, row by row, every
     * distance {@link Seeding#squaredDistance}: a transcription of the algorithm the seeding states.
     */
    private static float[] plainSeeding(float[] x, int n, int d, int k, int sampleSize, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] rows = new int[sampleSize];
        int chosen = 0;
        for (int i = 0; i < n && chosen < sampleSize; i++) {
            // The whole data set is the sample, without a draw, when it is no larger.
            if (sampleSize == n || (n - i) * rnd.nextDouble() < sampleSize - chosen) {
                rows[chosen++] = i;
            }
        }
        int trials = 2 + (int) Math.log(k);
        float[] dist = new float[sampleSize];
        float[] centers = new float[k * d];
        for (int target = 0; target < k; target++) {
            double total = 0;
            for (float v : dist) {
                total += v;
            }
            int pick;
            if (!(total > 0)) {
                pick = rnd.nextInt(sampleSize);
            } else {
                int[] candidates = new int[trials];
                for (int l = 0; l < trials; l++) {
                    double u = rnd.nextDouble() * total;
                    double cumulative = 0;
                    candidates[l] = -1;
                    int last = 0;
                    for (int i = 0; i < sampleSize && candidates[l] < 0; i++) {
                        if (dist[i] > 0) {
                            cumulative += dist[i];
                            last = i;
                            if (cumulative > u) {
                                candidates[l] = i;
                            }
                        }
                    }
                    if (candidates[l] < 0) {
                        candidates[l] = last;
                    }
                }
                pick = candidates[0];
                double best = Double.POSITIVE_INFINITY;
                for (int l = 0; l < trials; l++) {
                    double potential = 0;
                    for (int b = 0; b * ParallelPasses.CHUNK_ROWS < sampleSize; b++) {
                        double blockSum = 0;
                        for (int i = b * ParallelPasses.CHUNK_ROWS;
                                i < Math.min(sampleSize, (b + 1) * ParallelPasses.CHUNK_ROWS); i++) {
                            blockSum += Math.min(dist[i], Seeding.squaredDistance(x, rows[i] * d, x,
                                    rows[candidates[l]] * d, d));
                        }
                        potential += blockSum;
                    }
                    if (potential < best) {
                        best = potential;
                        pick = candidates[l];
                    }
                }
            }
            System.arraycopy(x, rows[pick] * d, centers, target * d, d);
            for (int i = 0; i < sampleSize; i++) {
                float di = Seeding.squaredDistance(x, rows[i] * d, centers, target * d, d);
                dist[i] = target == 0 ? di : Math.min(dist[i], di);
            }
        }
        return centers;
    }

    @Test
    void seedingEqualsPlainGreedyKMeansPlusPlus() {
        int[][] shapes = {{3000, 13, 20, 2500}, {5000, 64, 40, 4096}, {900, 3, 12, 900}};
        for (int[] s : shapes) {
            int n = s[0];
            int d = s[1];
            int k = s[2];
            int sampleSize = s[3];
            float[] x = dev.fvec.internal.SyntheticDescriptors.generate(s[0] + s[1], n, d, 3 * k);
            for (int threads = 1; threads <= 2; threads++) {
                float[] centers = new float[k * d];
                int[] all = new int[k];
                for (int c = 0; c < k; c++) {
                    all[c] = c;
                }
                try (ParallelPasses passes = new ParallelPasses(x, n, d, threads)) {
                    new Seeding(x, n, d, k, sampleSize, passes, new SplittableRandom(42)).place(centers, new int[0],
                            all, null);
                }
                assertArrayEquals(plainSeeding(x, n, d, k, sampleSize, 42), centers,
                        "N " + n + ", D " + d + ", K " + k + ", " + threads + " threads");
            }
        }
    }

    @Test
    void seedingDistanceIsTheSquaredDistanceToFloatPrecision() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int d : new int[] {1, 3, 4, 15, 16, 17, 33, 64, 128}) {
            float[] a = new float[d];
            float[] b = new float[d];
            for (int j = 0; j < d; j++) {
                a[j] = (float) (rnd.nextDouble() * 10 - 5);
                b[j] = (float) (rnd.nextDouble() * 10 - 5);
            }
            double plain = 0;
            for (int j = 0; j < d; j++) {
                plain += ((double) a[j] - b[j]) * ((double) a[j] - b[j]);
            }
            assertEquals(plain, Seeding.squaredDistance(a, 0, b, 0, d), 1e-6 * d * plain, "D " + d);
            assertEquals(0f, Seeding.squaredDistance(a, 0, a, 0, d), "D " + d + ", a point to itself");
        }
    }
}
