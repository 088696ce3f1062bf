package dev.fvec.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * Issue 5, item 3: on held-out descriptor-like data, fvec's mean log-likelihood per descriptor is
 * no worse than scikit-learn's {@code GaussianMixture(covariance_type='diag')} with the same K by
 * more than {@link #MARGIN} nats. The reference numbers are {@code train/sklearn_reference.csv},
 * written by {@code bench/scripts/sklearn_quality.py} (scikit-learn 1.2.1); each row is one data
 * set (generator seed) and one initialisation seed, and fvec trains with that seed.
 *
 * <ul>
 *   <li>{@code compare=per_seed} (the generator has K clusters): every row must pass;</li>
 *   <li>{@code compare=mean} (far more clusters than K, overlapping): the mean over the
 *       configuration's rows must pass. One run's score there moves by 0.5 to 1.5 nats with the
 *       initialisation seed (local optima), for scikit-learn and fvec alike, so a per-row test
 *       at 0.05 nats would test luck. Per-row numbers are printed.</li>
 * </ul>
 */
class SklearnQualityTest {

    /** Allowed shortfall of fvec's held-out mean log-likelihood, in nats per descriptor. */
    static final double MARGIN = 0.05;

    @Test
    void heldOutLogLikelihoodIsNoWorseThanScikitLearns() throws IOException {
        List<String[]> rows = readReference();
        assertFalse(rows.isEmpty());
        StringBuilder report = new StringBuilder();
        List<String> failures = new ArrayList<>();
        Map<String, double[]> means = new LinkedHashMap<>(); // config -> {sum fvec, sum sklearn, count}
        Map<String, float[][]> data = new HashMap<>();
        for (String[] r : rows) {
            long dataSeed = Long.parseLong(r[0]);
            int d = Integer.parseInt(r[1]);
            int clusters = Integer.parseInt(r[2]);
            int k = Integer.parseInt(r[3]);
            int nTrain = Integer.parseInt(r[4]);
            int nTest = Integer.parseInt(r[5]);
            long initSeed = Long.parseLong(r[6]);
            double sklearn = Double.parseDouble(r[7]);
            String compare = r[8];
            float[][] split = data.computeIfAbsent(String.join(",", Arrays.copyOf(r, 6)),
                    key -> QualityData.split(dataSeed, nTrain, nTest, d, clusters));
            TrainingResult fit = GmmTrainer.builder(k).seed(initSeed).threads(2).build().fit(split[0], nTrain, d);
            double fvec = GmmTrainerTest.meanLogLikelihood(fit.model(), split[1], nTest);
            String line = String.format(Locale.ROOT,
                    "D %d, K %d, clusters %d, data seed %d, init seed %d: fvec %.4f, sklearn %.4f, diff %+.4f (%d iterations)%n",
                    d, k, clusters, dataSeed, initSeed, fvec, sklearn, fvec - sklearn, fit.iterations());
            report.append(line);
            if (compare.equals("per_seed")) {
                if (!(fvec >= sklearn - MARGIN)) {
                    failures.add(line.trim());
                }
            } else {
                assertEquals("mean", compare, "unknown comparison");
                double[] m = means.computeIfAbsent("D " + d + ", K " + k + ", clusters " + clusters, key -> new double[3]);
                m[0] += fvec;
                m[1] += sklearn;
                m[2]++;
            }
        }
        for (Map.Entry<String, double[]> e : means.entrySet()) {
            double fvec = e.getValue()[0] / e.getValue()[2];
            double sklearn = e.getValue()[1] / e.getValue()[2];
            String line = String.format(Locale.ROOT, "%s, mean of %d runs: fvec %.4f, sklearn %.4f, diff %+.4f%n",
                    e.getKey(), (int) e.getValue()[2], fvec, sklearn, fvec - sklearn);
            report.append(line);
            if (!(fvec >= sklearn - MARGIN)) {
                failures.add(line.trim());
            }
        }
        System.out.print(report);
        assertTrue(failures.isEmpty(), "fvec's held-out mean log-likelihood is more than " + MARGIN
                + " nats below scikit-learn's: " + failures);
    }

    /** Data rows (header and comments skipped), columns as the header says. */
    static List<String[]> readReference() throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (InputStream in = Objects.requireNonNull(SklearnQualityTest.class.getResourceAsStream(
                "/train/sklearn_reference.csv"), "train/sklearn_reference.csv is missing");
                BufferedReader br = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String header = null;
            for (String line; (line = br.readLine()) != null; ) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                if (header == null) {
                    header = line;
                    assertEquals("data_seed,d,clusters,k,n_train,n_test,sklearn_random_state,sklearn_heldout_mean_ll,compare",
                            String.join(",", Arrays.copyOf(line.split(","), 9)), "unexpected CSV columns");
                    continue;
                }
                rows.add(line.split(","));
            }
        }
        return rows;
    }
}
