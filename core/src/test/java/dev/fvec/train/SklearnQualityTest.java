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
 *   <li>{@code compare=mean} (far more clusters than K, overlapping): the likelihood has many
 *       local optima and one run's held-out score moves by 0.5 to 1.5 nats with the
 *       initialisation seed, for scikit-learn and fvec alike; even the mean over the 15 runs of a
 *       configuration moves by about 0.15 nats when only the seeds change. A fixed 0.05-nat bar
 *       on it would pass or fail by luck, so this is a non-inferiority check: it fails when fvec's
 *       mean paired difference is below {@code -MARGIN} by more than two standard errors, i.e.
 *       when the runs show fvec significantly worse than the margin. It catches a systematic
 *       shortfall of about 0.3 nats and more, not 0.05. Every row's numbers are printed.</li>
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
        Map<String, List<double[]>> pairs = new LinkedHashMap<>(); // config -> {fvec, sklearn} per run
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
                pairs.computeIfAbsent("D " + d + ", K " + k + ", clusters " + clusters, key -> new ArrayList<>())
                        .add(new double[] {fvec, sklearn});
            }
        }
        for (Map.Entry<String, List<double[]>> e : pairs.entrySet()) {
            List<double[]> runs = e.getValue();
            int m = runs.size();
            double fvec = 0;
            double sklearn = 0;
            for (double[] p : runs) {
                fvec += p[0] / m;
                sklearn += p[1] / m;
            }
            double diff = fvec - sklearn;
            double ss = 0;
            for (double[] p : runs) {
                ss += (p[0] - p[1] - diff) * (p[0] - p[1] - diff);
            }
            double stderr = Math.sqrt(ss / (m - 1) / m);
            String line = String.format(Locale.ROOT,
                    "%s, mean of %d runs: fvec %.4f, sklearn %.4f, diff %+.4f, standard error %.4f%n",
                    e.getKey(), m, fvec, sklearn, diff, stderr);
            report.append(line);
            if (!(diff + 2 * stderr >= -MARGIN)) {
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
