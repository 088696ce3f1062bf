package dev.fvec.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fvec.GmmStatistics;
import dev.fvec.internal.SyntheticDescriptors;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, item 3: the Lloyd iterations ({@link Lloyd}, on every row, with Hamerly's bounds) give
 * the centers and statistics of plain Lloyd iterations, and the seeding's column sweeps leave its
 * centers exactly those of plain greedy k-means++.
 */
class InitialisationTest {

    /** For starts that leave no cluster empty. */
    private static final Lloyd.Reseeder NO_RESEED = (centers, existing, targets) -> {
        throw new AssertionError("no cluster should be empty here");
    };

    /**
     * Plain Lloyd iterations, every distance computed: {@code iterations} updates at most (fewer
     * when an update changes no center), then the final assignment; the centers updated in place.
     */
    static int[] plainLloyd(float[] x, int n, int d, int k, float[] centers, int iterations) {
        int[] assignment = new int[n];
        for (int it = 0; ; it++) {
            for (int i = 0; i < n; i++) {
                assignment[i] = nearest(centers, k, x, i, d);
            }
            if (it == iterations) {
                return assignment;
            }
            double[] count = new double[k];
            double[] sum = new double[k * d];
            for (int i = 0; i < n; i++) {
                count[assignment[i]]++;
                for (int j = 0; j < d; j++) {
                    sum[assignment[i] * d + j] += x[i * d + j];
                }
            }
            float[] next = new float[k * d];
            for (int c = 0; c < k; c++) {
                assertTrue(count[c] > 0, "an empty cluster in the plain iterations");
                for (int j = 0; j < d; j++) {
                    next[c * d + j] = (float) (sum[c * d + j] / count[c]);
                }
            }
            if (java.util.Arrays.equals(next, centers)) {
                return assignment;
            }
            System.arraycopy(next, 0, centers, 0, next.length);
        }
    }

    @Test
    void boundedLloydGivesThePlainIterationsCentersAndAssignmentWhileSkippingMostDistances() {
        int n = 5000;
        int d = 8;
        int k = 20;
        float[] x = SyntheticDescriptors.generate(31, n, d, 2 * k);
        for (int iterations : new int[] {1, 3, 40}) {
            float[] plain = java.util.Arrays.copyOf(x, k * d);
            int[] assignment = plainLloyd(x, n, d, k, plain, iterations);
            double[] count = new double[k];
            for (int c : assignment) {
                count[c]++;
            }
            for (int threads = 1; threads <= 2; threads++) {
                try (ParallelPasses passes = new ParallelPasses(x, n, d, threads)) {
                    float[] centers = java.util.Arrays.copyOf(x, k * d);
                    Lloyd lloyd = new Lloyd(x, n, d, k, passes);
                    GmmStatistics stats = lloyd.run(centers, iterations, 0, NO_RESEED, null);
                    assertArrayEquals(plain, centers, iterations + " iterations, " + threads + " threads");
                    assertArrayEquals(count, stats.s0(), "cluster sizes");
                    if (iterations == 40) {
                        assertTrue(lloyd.fullScans() < 10L * n, "most rows skipped: " + lloyd.fullScans()
                                + " full scans in " + iterations + " updates of " + n + " rows");
                    }
                }
            }
        }
    }

    @Test
    void anEmptyClusterIsReseededAndTheIterationsGoOn() {
        int n = 2000;
        int d = 4;
        int k = 5;
        float[] x = SyntheticDescriptors.generate(5, n, d, 10);
        float[] centers = java.util.Arrays.copyOf(x, k * d);
        for (int j = 0; j < d; j++) {
            centers[4 * d + j] = 1e6f; // no row is nearest to center 4
        }
        int[] calls = {0};
        try (ParallelPasses passes = new ParallelPasses(x, n, d, 1)) {
            GmmStatistics stats = new Lloyd(x, n, d, k, passes).run(centers, 30, 0, (c, existing, targets) -> {
                calls[0]++;
                assertArrayEquals(new int[] {4}, targets);
                assertArrayEquals(new int[] {0, 1, 2, 3}, existing);
                System.arraycopy(x, 100 * d, c, 4 * d, d); // row 100
            }, null);
            assertEquals(1, calls[0]);
            assertTrue(stats.s0()[4] > 0, "the re-seeded center has rows");
            assertEquals(n, java.util.Arrays.stream(stats.s0()).sum(), 0.0);
        }
    }

    /** The nearest center to descriptor {@code i}, by the seeding's float distance; ties to the lowest index. */
    static int nearest(float[] centers, int k, float[] x, int i, int d) {
        int best = 0;
        float bestDistance = Float.POSITIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            float s = Seeding.squaredDistance(x, i * d, centers, c * d, d);
            if (s < bestDistance) {
                bestDistance = s;
                best = c;
            }
        }
        return best;
    }

    @Test
    void lloydStatisticsAreTheNearestCenterClusterCountsSumsAndSquares() {
        SplittableRandom rnd = new SplittableRandom(8);
        int n = 3000; // several blocks, a short last one
        int d = 5;
        int k = 6;
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rnd.nextDouble() * 20 - 10);
        }
        float[] centers = java.util.Arrays.copyOf(x, k * d);
        double[] count = new double[k];
        double[] sum = new double[k * d];
        double[] squares = new double[k * d];
        for (int i = 0; i < n; i++) {
            int c = nearest(centers, k, x, i, d);
            count[c]++;
            for (int j = 0; j < d; j++) {
                double v = x[i * d + j];
                sum[c * d + j] += v;
                squares[c * d + j] += v * v;
            }
        }
        for (int threads = 1; threads <= 2; threads++) {
            try (ParallelPasses passes = new ParallelPasses(x, n, d, threads)) {
                float[] moved = centers.clone();
                GmmStatistics stats = new Lloyd(x, n, d, k, passes).run(moved, 0, 0, NO_RESEED, null);
                assertArrayEquals(centers, moved, "no update with 0 iterations");
                assertArrayEquals(count, stats.s0(), threads + " threads");
                assertArrayEquals(sum, stats.s1(), 0.0, "summed in row order");
                assertArrayEquals(squares, stats.s2(), 0.0);
            }
        }
    }

    @Test
    void lloydBreaksTiesToTheLowestIndex() {
        // x = 5 between centers 0 and 10 (and again between 10 and 0 in the other order).
        float[] centers = {10, 0, 10, 20};
        float[] x = {5, 15, 10};
        try (ParallelPasses passes = new ParallelPasses(x, 3, 1, 1)) {
            GmmStatistics stats = new Lloyd(x, 3, 1, 4, passes).run(centers, 0, 0, NO_RESEED, null);
            assertArrayEquals(new double[] {3, 0, 0, 0}, stats.s0(), "5, 15 and 10 all go to center 0");
        }
    }

    @Test
    void lloydStopsOnceAnUpdateMovesTheCentersByAtMostTheShiftTolerance() {
        int n = 4000;
        int d = 16;
        int k = 12;
        float[] x = SyntheticDescriptors.generate(77, n, d, 3 * k);
        try (ParallelPasses passes = new ParallelPasses(x, n, d, 1)) {
            float[] exact = java.util.Arrays.copyOf(x, k * d); // the first k rows
            int[] exactReports = {0};
            new Lloyd(x, n, d, k, passes).run(exact, 50, 0, NO_RESEED, done -> exactReports[0] = done);
            assertTrue(exactReports[0] > 3, "this start needs several updates to settle: " + exactReports[0]);

            // Any shift is small enough: one update, then the rows assigned to the moved centers.
            float[] loose = java.util.Arrays.copyOf(x, k * d);
            int[] reports = {0};
            GmmStatistics stats = new Lloyd(x, n, d, k, passes).run(loose, 50, Double.POSITIVE_INFINITY, NO_RESEED,
                    done -> reports[0] = done);
            assertEquals(1, reports[0]);
            float[] once = java.util.Arrays.copyOf(x, k * d);
            GmmStatistics onceStats = new Lloyd(x, n, d, k, passes).run(once, 1, 0, NO_RESEED, null);
            assertArrayEquals(once, loose, "the centers after one update");
            assertArrayEquals(onceStats.s0(), stats.s0(), "the assignment to those centers");
            assertArrayEquals(onceStats.s1(), stats.s1(), 0.0);
        }
    }

    @Test
    void lloydMovesCentersToClusterMeansUntilStableTheSameForEveryThreadCount() {
        int n = 4000;
        int d = 16;
        int k = 12;
        float[] x = SyntheticDescriptors.generate(77, n, d, 3 * k);
        float[] reference = null;
        for (int threads = 1; threads <= 3; threads++) {
            try (ParallelPasses passes = new ParallelPasses(x, n, d, threads)) {
                float[] centers = java.util.Arrays.copyOf(x, k * d); // the first k rows
                int[] reports = {0};
                GmmStatistics stats = new Lloyd(x, n, d, k, passes).run(centers, 50, 0, NO_RESEED, done -> reports[0] = done);
                // Converged (or 50 updates): every center is the mean of the rows nearest to it.
                if (reports[0] < 50) {
                    for (int c = 0; c < k; c++) {
                        for (int j = 0; j < d; j++) {
                            assertEquals(stats.s1()[c * d + j] / stats.s0()[c], centers[c * d + j], 1e-5,
                                    "center " + c + ", dimension " + j);
                        }
                    }
                }
                if (reference == null) {
                    reference = centers;
                } else {
                    assertArrayEquals(reference, centers, threads + " threads");
                }
            }
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
        // Samples up to Seeding.SERIAL_MAX_SAMPLE are swept by the calling thread alone, larger ones
        // by every thread: both kinds here.
        int[][] shapes = {{3000, 13, 20, 2500}, {5000, 64, 40, 4096}, {900, 3, 12, 900}, {7000, 16, 24, 6500}};
        for (int[] s : shapes) {
            int n = s[0];
            int d = s[1];
            int k = s[2];
            int sampleSize = s[3];
            float[] x = dev.fvec.internal.SyntheticDescriptors.generate(s[0] + s[1], n, d, 3 * k);
            for (int threads = 1; threads <= 3; threads++) {
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

    @Test
    void seedingAttemptsFollowTheBudgetTwoFrom128AndOneFrom512() {
        // Initial samples are max(4096, 64 K) rows (fewer when N is smaller).
        assertEquals(6, Seeding.attempts(4096, 64), "K = 64: the budget allows the most");
        assertEquals(4, Seeding.attempts(4096, 80), "the budget: 3 x 8192 x 64 / (4096 x 80)");
        assertEquals(2, Seeding.attempts(8192, 128), "K = 128: at least two");
        assertEquals(2, Seeding.attempts(16384, 256));
        assertEquals(2, Seeding.attempts(32000, 511));
        assertEquals(1, Seeding.attempts(32768, 512), "K = 512: one");
        assertEquals(1, Seeding.attempts(65536, 1024));
        assertEquals(5, Seeding.attempts(600, 512), "a small sample is cheap: the budget decides");
    }
}
