package dev.fvec.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fvec.DiagonalGmm;
import dev.fvec.GmmStatistics;
import dev.fvec.Kernels;
import dev.fvec.Sparsity;
import dev.fvec.internal.SyntheticDescriptors;
import dev.fvec.spi.StatisticsKernel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GmmTrainerTest {

    // ---- helpers --------------------------------------------------------------------------------

    /** Mean log-likelihood per descriptor of {@code x} under {@code model}, exact posteriors. */
    static double meanLogLikelihood(DiagonalGmm model, float[] x, int n) {
        StatisticsKernel kernel = Kernels.scalar().create(model, Sparsity.none());
        GmmStatistics stats = GmmStatistics.forModel(model);
        kernel.accumulate(x, 0, n, stats);
        return stats.logLikelihood() / n;
    }

    static void assertValid(DiagonalGmm model) {
        float[] w = model.weights();
        double sum = 0;
        for (int c = 0; c < w.length; c++) {
            assertTrue(w[c] > 0 && Float.isFinite(w[c]), "weight " + c + " = " + w[c]);
            sum += w[c];
        }
        assertEquals(1.0, sum, 1e-5);
        for (float m : model.means()) {
            assertTrue(Float.isFinite(m), "mean " + m);
        }
        for (float v : model.variances()) {
            assertTrue(v > 0 && Float.isFinite(v), "variance " + v);
        }
    }

    /** A known mixture: well separated, anisotropic, unequal weights. */
    private static final float[][] TRUE_MEANS = {{0, 0, 0, 0}, {10, -10, 5, 0}, {-10, 8, -6, 12}};
    private static final float[][] TRUE_SIGMAS = {{1, 0.5f, 2, 1}, {0.3f, 1, 1, 1.5f}, {2, 2, 0.5f, 0.7f}};
    private static final double[] TRUE_WEIGHTS = {0.2, 0.3, 0.5};

    private static float[] sampleKnownMixture(long seed, int n) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int d = 4;
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            double u = rnd.nextDouble();
            int c = u < TRUE_WEIGHTS[0] ? 0 : u < TRUE_WEIGHTS[0] + TRUE_WEIGHTS[1] ? 1 : 2;
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (float) (TRUE_MEANS[c][j] + TRUE_SIGMAS[c][j] * gaussian(rnd));
            }
        }
        return x;
    }

    private static double gaussian(SplittableRandom rnd) {
        return Math.sqrt(-2 * Math.log1p(-rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }

    // ---- behaviour ------------------------------------------------------------------------------

    @Test
    void recoversAWellSeparatedMixture() {
        int n = 6000;
        float[] x = sampleKnownMixture(11, n);
        TrainingResult r = GmmTrainer.builder(3).seed(3).threads(2).build().fit(x, n, 4);
        DiagonalGmm m = r.model();
        assertValid(m);
        assertTrue(r.converged(), r.toString());
        boolean[] used = new boolean[3];
        for (int t = 0; t < 3; t++) {
            // the fitted component nearest to true component t
            int best = -1;
            double bestDist = Double.POSITIVE_INFINITY;
            for (int c = 0; c < 3; c++) {
                double dist = 0;
                for (int j = 0; j < 4; j++) {
                    double diff = m.mean(c, j) - TRUE_MEANS[t][j];
                    dist += diff * diff;
                }
                if (dist < bestDist) {
                    bestDist = dist;
                    best = c;
                }
            }
            assertFalse(used[best], "two true components matched fitted component " + best);
            used[best] = true;
            assertEquals(TRUE_WEIGHTS[t], m.weight(best), 0.02, "weight of component " + t);
            for (int j = 0; j < 4; j++) {
                double sigma = TRUE_SIGMAS[t][j];
                assertEquals(TRUE_MEANS[t][j], m.mean(best, j), 0.15 * sigma, "mean " + t + "," + j);
                assertEquals(sigma * sigma, m.variance(best, j), 0.15 * sigma * sigma, "variance " + t + "," + j);
            }
        }
    }

    @Test
    void sameSeedSameModelAndDifferentSeedDifferentStart() {
        int n = 3000;
        int d = 12;
        float[] x = SyntheticDescriptors.generate(5, n, d, 10);
        GmmTrainer.Builder b = GmmTrainer.builder(8).maxIterations(15).threads(2);
        TrainingResult a = b.seed(42).build().fit(x, n, d);
        TrainingResult again = b.seed(42).build().fit(x, n, d);
        TrainingResult other = b.seed(43).build().fit(x, n, d);
        assertEquals(a.model(), again.model());
        assertEquals(a.meanLogLikelihood(), again.meanLogLikelihood());
        assertEquals(a.iterations(), again.iterations());
        assertNotEquals(a.model(), other.model());
    }

    @Test
    void resultDoesNotDependOnTheThreadCount() {
        // 5 chunks of ParallelPasses.CHUNK_ROWS rows and a ragged last one.
        int n = 4 * ParallelPasses.CHUNK_ROWS + 357;
        int d = 9;
        float[] x = SyntheticDescriptors.generate(8, n, d, 7);
        // The scalar kernel is deterministic, so the fixed chunk-order merge makes the
        // result bit-identical, initialisation included.
        TrainingResult[] results = new TrainingResult[3];
        for (int t = 1; t <= 3; t++) {
            results[t - 1] = GmmTrainer.builder(6).seed(1).maxIterations(20).threads(t)
                    .kernel(Kernels.scalar()).build().fit(x, n, d);
        }
        for (int t = 2; t <= 3; t++) {
            assertEquals(results[0].model(), results[t - 1].model(), "threads = " + t);
            assertEquals(results[0].meanLogLikelihood(), results[t - 1].meanLogLikelihood(), "threads = " + t);
            assertEquals(results[0].iterations(), results[t - 1].iterations(), "threads = " + t);
        }
        // With the default kernel (SIMD where available), the documented bound: the kernel's
        // own rounding, nothing from the thread count. Asserted loosely on the log-likelihood.
        double one = GmmTrainer.builder(6).seed(1).maxIterations(20).threads(1).build().fit(x, n, d).meanLogLikelihood();
        double three = GmmTrainer.builder(6).seed(1).maxIterations(20).threads(3).build().fit(x, n, d).meanLogLikelihood();
        assertEquals(one, three, 1e-4 * Math.abs(one));
    }

    @Test
    void stopsAtTheFirstRelativeChangeOfAtMostTheTolerance() {
        // SPEC.md's rule, |L_i - L_(i-1)| <= tol * max(|L_i|, 1); |L| is about 12.6 here, so an
        // absolute rule with the same tol would stop at other iterations.
        int n = 5000;
        int d = 16;
        float[] x = SyntheticDescriptors.generate(21, n, d, 12);
        List<Double> lls = new ArrayList<>();
        // No Lloyd iterations: from the converged k-means of these well-separated clusters EM stops
        // after two iterations, which would not show the rule.
        TrainingResult r = GmmTrainer.builder(10).seed(2).threads(1).kmeansIterations(0)
                .progress((it, ll, elapsed) -> lls.add(ll)).build().fit(x, n, d);
        assertTrue(r.converged(), "converged within " + GmmTrainer.DEFAULT_MAX_ITERATIONS + " iterations");
        assertEquals(0, r.reseededComponents());
        int last = lls.size() - 1;
        assertTrue(last >= 2, "more than two iterations: " + lls);
        double tol = GmmTrainer.DEFAULT_TOLERANCE;
        assertTrue(Math.abs(lls.get(last) - lls.get(last - 1)) <= tol * Math.max(Math.abs(lls.get(last)), 1),
                lls.toString());
        for (int i = 1; i < last; i++) {
            assertTrue(Math.abs(lls.get(i) - lls.get(i - 1)) > tol * Math.max(Math.abs(lls.get(i)), 1),
                    "iteration " + (i + 1) + " changed L by at most the tolerance but EM went on: " + lls);
        }
        assertTrue(Math.abs(lls.get(last)) > 5, "|L| well above 1, so an absolute rule would differ: " + lls);
    }

    @Test
    void logLikelihoodNeverDecreasesAndProgressIsReported() {
        int n = 5000;
        int d = 16;
        float[] x = SyntheticDescriptors.generate(21, n, d, 12);
        List<Double> lls = new ArrayList<>();
        List<Integer> its = new ArrayList<>();
        List<Duration> times = new ArrayList<>();
        TrainingResult r = GmmTrainer.builder(10).seed(2).tolerance(1e-7).maxIterations(60).threads(2)
                .progress((it, ll, elapsed) -> {
                    its.add(it);
                    lls.add(ll);
                    times.add(elapsed);
                }).build().fit(x, n, d);
        assertEquals(0, r.reseededComponents(), "this data should not make a component collapse");
        assertEquals(r.iterations(), its.size());
        for (int i = 0; i < its.size(); i++) {
            assertEquals(i + 1, its.get(i));
            assertTrue(Double.isFinite(lls.get(i)));
            if (i > 0) {
                assertTrue(lls.get(i) >= lls.get(i - 1) - 1e-9 * Math.abs(lls.get(i - 1)),
                        "iteration " + (i + 1) + ": " + lls.get(i) + " < " + lls.get(i - 1));
                assertTrue(times.get(i).compareTo(times.get(i - 1)) >= 0);
            }
        }
        assertEquals(lls.get(lls.size() - 1), r.meanLogLikelihood());
        assertTrue(r.elapsed().compareTo(times.get(times.size() - 1)) >= 0);
        // The returned model (after the last M-step) is at least as good as the last E-step's.
        assertTrue(meanLogLikelihood(r.model(), x, n) >= r.meanLogLikelihood() - 1e-9 * Math.abs(r.meanLogLikelihood()));
    }

    @Test
    void progressIsCalledOnTheCallingThreadAndCanAbort() {
        int n = 2000;
        float[] x = SyntheticDescriptors.generate(3, n, 4, 3);
        Thread caller = Thread.currentThread();
        GmmTrainer trainer = GmmTrainer.builder(3).threads(2).progress((it, ll, elapsed) -> {
            assertEquals(caller, Thread.currentThread());
            if (it == 2) {
                throw new IllegalStateException("stop at 2");
            }
        }).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> trainer.fit(x, n, 4));
        assertEquals("stop at 2", e.getMessage());
    }

    @Test
    void initialisationReportsSeedingAndLloydBeforeTheFirstIteration() {
        // Issue 17, item 1: a long seeding must show progress.
        int n = 3000;
        int d = 8;
        int k = 20;
        float[] x = SyntheticDescriptors.generate(9, n, d, 40);
        Thread caller = Thread.currentThread();
        List<String> events = new ArrayList<>();
        GmmTrainer.builder(k).threads(2).maxIterations(2).kmeansIterations(4).progress(new ProgressListener() {
            @Override
            public void onIteration(int iteration, double meanLogLikelihood, Duration elapsed) {
                events.add("EM " + iteration);
            }

            @Override
            public void onInitialisation(String phase, int done, int total, Duration elapsed) {
                assertEquals(caller, Thread.currentThread());
                assertTrue(done >= 1 && done <= total, phase + " " + done + "/" + total);
                events.add(phase + " " + done + "/" + total);
            }
        }).build().fit(x, n, d);
        // K = 20 on 3000 descriptors: 6 attempts of 20 centers, a report every 15 centers (about 8
        // reports); each Lloyd iteration (the data does not let 4 iterations settle every center); then EM.
        assertEquals(List.of("k-means++ seeding 15/120", "k-means++ seeding 30/120", "k-means++ seeding 45/120",
                "k-means++ seeding 60/120", "k-means++ seeding 75/120", "k-means++ seeding 90/120",
                "k-means++ seeding 105/120", "k-means++ seeding 120/120", "k-means 1/4", "k-means 2/4", "k-means 3/4",
                "k-means 4/4", "EM 1", "EM 2"), events);
        // A random or given start has no initialisation to report.
        events.clear();
        GmmTrainer.builder(k).init(GmmTrainer.Init.RANDOM).maxIterations(1).progress(new ProgressListener() {
            @Override
            public void onIteration(int iteration, double meanLogLikelihood, Duration elapsed) {
                events.add("EM " + iteration);
            }

            @Override
            public void onInitialisation(String phase, int done, int total, Duration elapsed) {
                events.add(phase);
            }
        }).build().fit(x, n, d);
        assertEquals(List.of("EM 1"), events);
    }

    @Test
    void stopsAtMaxIterationsWithZeroTolerance() {
        int n = 2000;
        int d = 6;
        float[] x = SyntheticDescriptors.generate(4, n, d, 8);
        TrainingResult r = GmmTrainer.builder(5).maxIterations(3).tolerance(0).build().fit(x, n, d);
        assertEquals(3, r.iterations());
        assertFalse(r.converged());
        assertValid(r.model());
    }

    @Test
    void startsFromAGivenModel() {
        int n = 3000;
        float[] x = sampleKnownMixture(2, n);
        float[] means = new float[3 * 4];
        for (int c = 0; c < 3; c++) {
            for (int j = 0; j < 4; j++) {
                means[c * 4 + j] = TRUE_MEANS[c][j] + 0.5f;
            }
        }
        float[] vars = new float[12];
        Arrays.fill(vars, 4f);
        DiagonalGmm start = DiagonalGmm.of(new float[] {1 / 3f, 1 / 3f, 1 / 3f}, means, vars);
        TrainingResult r = GmmTrainer.builder(3).initialModel(start).maxIterations(1).build().fit(x, n, 4);
        // one EM step from near the truth keeps component order and lands near the truth
        assertEquals(1, r.iterations());
        for (int c = 0; c < 3; c++) {
            assertEquals(TRUE_MEANS[c][0], r.model().mean(c, 0), 0.3);
        }
        // the first E-step evaluated the given model
        assertEquals(meanLogLikelihood(start, x, n), r.meanLogLikelihood(), 1e-9 * n);
    }

    @Test
    void randomInitialisationGivesAValidModel() {
        int n = 3000;
        int d = 10;
        float[] x = SyntheticDescriptors.generate(6, n, d, 6);
        TrainingResult r = GmmTrainer.builder(6).init(GmmTrainer.Init.RANDOM).seed(9).build().fit(x, n, d);
        assertValid(r.model());
        TrainingResult kpp = GmmTrainer.builder(6).seed(9).build().fit(x, n, d);
        assertNotEquals(r.model(), kpp.model());
    }

    @Test
    void collapsedComponentIsReseeded() {
        int n = 3000;
        float[] x = sampleKnownMixture(7, n);
        // component 3 sits far from every descriptor: its S0 is ~0 after the first E-step
        float[] means = new float[4 * 4];
        for (int c = 0; c < 3; c++) {
            for (int j = 0; j < 4; j++) {
                means[c * 4 + j] = TRUE_MEANS[c][j];
            }
        }
        Arrays.fill(means, 12, 16, 1e4f);
        float[] vars = new float[16];
        Arrays.fill(vars, 1f);
        DiagonalGmm start = DiagonalGmm.of(new float[] {0.25f, 0.25f, 0.25f, 0.25f}, means, vars);
        TrainingResult r = GmmTrainer.builder(4).initialModel(start).maxIterations(30).build().fit(x, n, 4);
        assertTrue(r.reseededComponents() >= 1, r.toString());
        assertValid(r.model());
        for (int j = 0; j < 4; j++) {
            assertTrue(Math.abs(r.model().mean(3, j)) < 100, "re-seeded near the data: " + r.model().mean(3, j));
        }
    }

    // ---- bad input --------------------------------------------------------------------------------

    @Test
    void rejectsNaNAndInfinityNamingTheIndex() {
        int n = 100;
        int d = 5;
        float[] x = SyntheticDescriptors.generate(1, n, d, 3);
        GmmTrainer trainer = GmmTrainer.builder(2).build();
        x[3 * d + 2] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer.fit(x, n, d));
        assertEquals("x[17] = NaN (descriptor 3, dimension 2): every descriptor value must be finite", e.getMessage());
        x[3 * d + 2] = 0;
        x[99 * d + 4] = Float.NEGATIVE_INFINITY;
        e = assertThrows(IllegalArgumentException.class, () -> trainer.fit(x, n, d));
        assertEquals("x[499] = -Infinity (descriptor 99, dimension 4): every descriptor value must be finite", e.getMessage());
        x[99 * d + 4] = 0x1p62f;
        e = assertThrows(IllegalArgumentException.class, () -> trainer.fit(x, n, d));
        assertTrue(e.getMessage().startsWith("x[499] = 4.611686E18 (descriptor 99, dimension 4)"), e.getMessage());
        assertTrue(e.getMessage().contains("magnitude <= 1.0E18"), e.getMessage());
    }

    @Test
    void rejectsFewerDescriptorsThanComponents() {
        float[] x = SyntheticDescriptors.generate(1, 7, 3, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GmmTrainer.builder(8).build().fit(x, 7, 3));
        assertEquals("N = 7 descriptors cannot train K = 8 components: need N >= K", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GmmTrainer.builder(1).build().fit(new float[0], 0, 3));
        assertEquals("N = 0 descriptors cannot train K = 1 components: need N >= K", e.getMessage());
        // N = K exactly is fine
        TrainingResult r = GmmTrainer.builder(7).build().fit(x, 7, 3);
        assertValid(r.model());
    }

    @Test
    void rejectsBadShapesAndOptions() {
        float[] x = new float[10];
        assertEquals("x has length 10, too short for N x D = 4 x 3 = 12",
                assertThrows(IllegalArgumentException.class, () -> GmmTrainer.builder(2).build().fit(x, 4, 3)).getMessage());
        assertEquals("D = 0: descriptors need D >= 1 dimensions",
                assertThrows(IllegalArgumentException.class, () -> GmmTrainer.builder(2).build().fit(x, 4, 0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> GmmTrainer.builder(0));
        assertThrows(IllegalArgumentException.class, () -> GmmTrainer.builder(2).maxIterations(0));
        assertThrows(IllegalArgumentException.class, () -> GmmTrainer.builder(2).tolerance(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> GmmTrainer.builder(2).tolerance(-1));
        assertThrows(IllegalArgumentException.class, () -> GmmTrainer.builder(2).absoluteVarianceFloor(0));
        assertThrows(IllegalArgumentException.class, () -> GmmTrainer.builder(2).relativeVarianceFloor(1.5));
        assertThrows(IllegalArgumentException.class, () -> GmmTrainer.builder(2).kmeansIterations(-1));
        assertThrows(IllegalArgumentException.class, () -> GmmTrainer.builder(2).threads(0));
        DiagonalGmm three = DiagonalGmm.of(new float[] {0.5f, 0.5f}, new float[6], new float[] {1, 1, 1, 1, 1, 1});
        assertEquals("the initial model has K = 2 components, the trainer K = 3",
                assertThrows(IllegalArgumentException.class, () -> GmmTrainer.builder(3).initialModel(three)).getMessage());
        float[] y = SyntheticDescriptors.generate(1, 20, 4, 2);
        assertEquals("the initial model has D = 3 but the descriptors have D = 4",
                assertThrows(IllegalArgumentException.class,
                        () -> GmmTrainer.builder(2).initialModel(three).build().fit(y, 20, 4)).getMessage());
    }

    @Test
    void constantDimensionGetsTheAbsoluteFloor() {
        int n = 2000;
        int d = 5;
        float[] x = SyntheticDescriptors.generate(12, n, d, 4);
        for (int i = 0; i < n; i++) {
            x[i * d + 2] = 7.25f;
        }
        for (GmmTrainer.Init init : GmmTrainer.Init.values()) {
            TrainingResult r = GmmTrainer.builder(4).init(init).build().fit(x, n, d);
            assertValid(r.model());
            for (int c = 0; c < 4; c++) {
                assertEquals(7.25f, r.model().mean(c, 2), 1e-6f);
                assertEquals((float) GmmTrainer.DEFAULT_ABSOLUTE_VARIANCE_FLOOR, r.model().variance(c, 2), 0f);
            }
        }
        float floor = 1e-3f;
        TrainingResult r = GmmTrainer.builder(4).absoluteVarianceFloor(floor).build().fit(x, n, d);
        assertEquals(floor, r.model().variance(0, 2), 0f);
    }

    @Test
    void relativeFloorFollowsEachDimensionsScale() {
        int n = 2000;
        int d = 3;
        float[] x = SyntheticDescriptors.generate(13, n, d, 2);
        for (int i = 0; i < n; i++) {
            x[i * d] *= 1000; // a dimension whose variance is ~1e6 times the others'
        }
        double relative = 0.05;
        TrainingResult r = GmmTrainer.builder(6).relativeVarianceFloor(relative).build().fit(x, n, d);
        assertValid(r.model());
        double mean = 0;
        double sq = 0;
        for (int i = 0; i < n; i++) {
            mean += x[i * d];
        }
        mean /= n;
        for (int i = 0; i < n; i++) {
            sq += (x[i * d] - mean) * (x[i * d] - mean);
        }
        double floor = relative * sq / n;
        for (int c = 0; c < 6; c++) {
            assertTrue(r.model().variance(c, 0) >= (float) floor * (1 - 1e-6), "component " + c);
        }
    }

    @Test
    void duplicatedPointsGiveAValidModel() {
        // 3 distinct points, each repeated: fewer distinct points than K = 5
        float[][] points = {{1, 2}, {-3, 0.5f}, {4, 4}};
        int n = 60;
        float[] x = new float[n * 2];
        for (int i = 0; i < n; i++) {
            System.arraycopy(points[i % 3], 0, x, i * 2, 2);
        }
        for (GmmTrainer.Init init : GmmTrainer.Init.values()) {
            TrainingResult r = GmmTrainer.builder(5).init(init).seed(4).threads(2).build().fit(x, n, 2);
            assertValid(r.model());
            assertTrue(Double.isFinite(r.meanLogLikelihood()));
            // every component sits on one of the three points
            for (int c = 0; c < 5; c++) {
                boolean onAPoint = false;
                for (float[] p : points) {
                    onAPoint |= Math.abs(r.model().mean(c, 0) - p[0]) < 1e-3 && Math.abs(r.model().mean(c, 1) - p[1]) < 1e-3;
                }
                assertTrue(onAPoint, init + ": component " + c + " at " + r.model().mean(c, 0) + ", " + r.model().mean(c, 1));
            }
        }
    }

    @Test
    void identicalPointsGiveAValidModel() {
        int n = 50;
        float[] x = new float[n * 3];
        for (int i = 0; i < n; i++) {
            x[i * 3] = 1;
            x[i * 3 + 1] = -2;
            x[i * 3 + 2] = 3;
        }
        TrainingResult r = GmmTrainer.builder(4).build().fit(x, n, 3);
        assertValid(r.model());
        for (int c = 0; c < 4; c++) {
            assertEquals(-2f, r.model().mean(c, 1), 1e-6f);
            assertEquals((float) GmmTrainer.DEFAULT_ABSOLUTE_VARIANCE_FLOOR, r.model().variance(c, 1), 0f);
        }
    }
}
