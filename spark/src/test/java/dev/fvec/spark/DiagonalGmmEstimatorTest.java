package dev.fvec.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fvec.DiagonalGmm;
import dev.fvec.GmmStatistics;
import dev.fvec.Kernels;
import dev.fvec.Projection;
import dev.fvec.Sparsity;
import dev.fvec.internal.SyntheticDescriptors;
import dev.fvec.TestModels;
import dev.fvec.io.Npz;
import dev.fvec.train.GmmTrainer;
import dev.fvec.train.Pca;
import dev.fvec.train.TrainingResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiagonalGmmEstimatorTest {

    static final int N = 6000;
    static final int D = 9;
    static final int K = 5;
    static SparkSession spark;
    static float[] x;
    static Dataset<Row> images; // sets of descriptors, array<float> N_i x D, over 4 partitions

    @BeforeAll
    static void setUp() {
        spark = SharedSpark.spark();
        x = SyntheticDescriptors.generate(5, N, D, K);
        List<Row> rows = new ArrayList<>();
        int offset = 0;
        for (int i = 0; offset < N; i++) {
            int n = Math.min(N - offset, 50 + 37 * (i % 7)); // uneven sets
            rows.add(RowFactory.create("img" + i, Arrays.copyOfRange(x, offset * D, (offset + n) * D)));
            offset += n;
        }
        StructType schema = new StructType().add("id", DataTypes.StringType)
                .add("descriptors", DataTypes.createArrayType(DataTypes.FloatType, false));
        images = spark.createDataFrame(rows, schema).coalesce(1).repartition(4).cache();
    }

    /** {@code |a - b| <= rel * max(|a|, |b|, 1e-3 * the largest magnitude in the array)}. */
    static void assertClose(float[] want, float[] got, double rel, String what) {
        assertEquals(want.length, got.length, what);
        double scale = 0;
        for (float v : want) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < want.length; i++) {
            double bound = rel * Math.max(Math.max(Math.abs(want[i]), Math.abs(got[i])), 1e-3 * scale);
            assertTrue(Math.abs(want[i] - got[i]) <= bound,
                    what + "[" + i + "]: " + want[i] + " vs " + got[i] + " (bound " + bound + ")");
        }
    }

    @Test
    void sameModelAsGmmTrainerFromTheSameStart() {
        DiagonalGmm start = TestModels.fromData(x, N, D, K, 3, 1.0);
        TrainingResult single = GmmTrainer.builder(K).initialModel(start).maxIterations(5).tolerance(0).threads(1)
                .seed(9).build().fit(x, N, D);
        List<Double> seen = new ArrayList<>();
        DiagonalGmmModel model = new DiagonalGmmEstimator().setK(K).setInitialModel(start).setMaxIter(5).setTol(0)
                .setSeed(9).setInputCol("descriptors").setDimension(D).setIdCol("id")
                .setProgress((it, ll, t) -> seen.add(ll)).fit(images);
        TrainingResult distributed = model.trainingResult();
        assertEquals(5, single.iterations());
        assertEquals(5, distributed.iterations());
        assertEquals(distributed.iterations(), seen.size());
        assertEquals(single.meanLogLikelihood(), distributed.meanLogLikelihood(),
                1e-6 * Math.abs(single.meanLogLikelihood()));
        DiagonalGmm want = single.model();
        DiagonalGmm got = model.gmm();
        assertClose(want.weights(), got.weights(), 1e-5, "weights");
        assertClose(want.means(), got.means(), 1e-5, "means");
        assertClose(want.variances(), got.variances(), 1e-5, "variances");
    }

    @Test
    void eachPartitioningGivesGmmTrainersModelAndTheSameOneEveryTime() {
        // The input's 4 partitions (numPartitions 0), the default (local[2]: joined into 2) and 3.
        DiagonalGmm start = TestModels.fromData(x, N, D, K, 3, 1.0);
        DiagonalGmm want = GmmTrainer.builder(K).initialModel(start).maxIterations(3).tolerance(0).threads(1)
                .build().fit(x, N, D).model();
        for (int partitions : new int[] {0, -1, 3}) {
            DiagonalGmmEstimator e = new DiagonalGmmEstimator().setK(K).setInitialModel(start).setMaxIter(3).setTol(0)
                    .setInputCol("descriptors").setDimension(D).setNumPartitions(partitions);
            DiagonalGmm got = e.fit(images).gmm();
            assertClose(want.means(), got.means(), 1e-5, "means, numPartitions " + partitions);
            assertClose(want.variances(), got.variances(), 1e-5, "variances, numPartitions " + partitions);
            assertEquals(got, e.fit(images).gmm(), "a second fit, numPartitions " + partitions);
        }
        assertThrows(IllegalArgumentException.class, () -> new DiagonalGmmEstimator().setNumPartitions(-2));
    }

    @Test
    void pcaFromAnInitialModelOrFittedOnASampleAndTheModelCarriesIt() {
        // An initial model with a whitened projection from D = 9 to 4: EM in the projected space,
        // the same model as GmmTrainer on the projected descriptors from the same start.
        Projection p = Pca.fit(x, N, D, 4, true);
        float[] y = new float[N * 4];
        Kernels.provider().createProjection(p).project(x, 0, N, y);
        DiagonalGmm start = TestModels.fromData(y, N, 4, K, 3, 1.0);
        TrainingResult single = GmmTrainer.builder(K).initialModel(start).maxIterations(5).tolerance(0).threads(1)
                .seed(9).build().fit(y, N, 4);
        DiagonalGmm got = new DiagonalGmmEstimator().setK(K).setInitialModel(start.withProjection(p)).setMaxIter(5)
                .setTol(0).setSeed(9).setInputCol("descriptors").setDimension(D).fit(images).gmm();
        assertEquals(p, got.projection().orElseThrow());
        assertEquals(D, got.inputDimension());
        assertClose(single.model().weights(), got.weights(), 1e-5, "weights");
        assertClose(single.model().means(), got.means(), 1e-5, "means");
        assertClose(single.model().variances(), got.variances(), 1e-5, "variances");

        // setPca: the projection fitted on the driver's sample (all N rows here, N < Pca.MAX_ROWS, in
        // partition order) is Pca.fit's up to summation order; encoders of the model take D = 9.
        DiagonalGmmModel fitted = new DiagonalGmmEstimator().setK(K).setPca(4).setWhiten(true).setMaxIter(3)
                .setSeed(2).setInputCol("descriptors").setDimension(D).fit(images);
        Projection q = fitted.gmm().projection().orElseThrow();
        assertEquals(4, q.outputDimension());
        assertTrue(q.whiten());
        assertClose(p.mean(), q.mean(), 1e-5, "pca mean");
        assertClose(p.explainedVariance().orElseThrow(), q.explainedVariance().orElseThrow(), 1e-4, "pca variance");
        for (int j = 0; j < 4; j++) { // each component the same direction (up to sign)
            double dot = 0;
            for (int i = 0; i < D; i++) {
                dot += p.components()[j * D + i] * q.components()[j * D + i];
            }
            assertEquals(1.0, Math.abs(dot), 1e-4, "component " + j);
        }
        Row first = fitted.transform(images).select("fisherVector").first();
        assertEquals(2 * K * 4, ((org.apache.spark.ml.linalg.Vector) first.get(0)).size());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DiagonalGmmEstimator()
                .setK(K).setPca(D + 1).setInputCol("descriptors").setDimension(D).fit(images));
        assertTrue(e.getMessage().contains("pca = 10 needs descriptors of at least that many dimensions"),
                e.getMessage());
    }

    @Test
    void manyPartitionsAreMergedInGroupsToTheSameStatistics() {
        DiagonalGmm model = TestModels.fromData(x, N, D, K, 3, 1.0);
        GmmStatistics want = GmmStatistics.forModel(model);
        Kernels.provider().create(model, Sparsity.threshold(1e-9)).accumulate(x, 0, N, want);
        // 40 partitions > 32: partitions are summed in groups of 7 on the executors first.
        try (DescriptorBlocks blocks = new DescriptorBlocks(images.repartition(40), Descriptors.FLAT, 1, D, -1, "", 0)) {
            assertEquals(N, blocks.n);
            GmmStatistics got = blocks.statistics(model, Sparsity.threshold(1e-9));
            assertEquals(want.count(), got.count());
            assertEquals(want.keptTerms(), got.keptTerms());
            // Other rows share a block than in one pass over x: the kernel's float rounding differs (~1e-7).
            assertEquals(want.logLikelihood(), got.logLikelihood(), 1e-6 * Math.abs(want.logLikelihood()));
            double[][] w = {want.s0(), want.s1(), want.s2()};
            double[][] g = {got.s0(), got.s1(), got.s2()};
            for (int a = 0; a < 3; a++) {
                for (int i = 0; i < w[a].length; i++) {
                    // The SIMD kernel sums kept terms in float windows of up to 128 terms per component
                    // (error up to u * 132 ~ 8e-6 relative, typically far less), and other partitions
                    // fill the windows differently: 1e-6 was exceeded (1.2e-6) once the kernel's 2-FMA
                    // form moved the posteriors' last bits.
                    assertEquals(w[a][i], g[a][i], 1e-5 * Math.max(1, Math.abs(w[a][i])), "S" + a + "[" + i + "]");
                }
            }
            double[] variance = blocks.variance();
            for (int j = 0; j < D; j++) {
                double mean = 0;
                for (int i = 0; i < N; i++) {
                    mean += x[i * D + j];
                }
                mean /= N;
                double v = 0;
                for (int i = 0; i < N; i++) {
                    v += (x[i * D + j] - mean) * (x[i * D + j] - mean);
                }
                assertEquals(v / N, variance[j], 1e-9 * v / N, "variance of dimension " + j);
            }
        }
    }

    @Test
    void lloydIterationsFollowGmmTrainersRuleForKUnlessSet() {
        DiagonalGmmEstimator e = new DiagonalGmmEstimator();
        assertEquals(0, e.lloydIterations(GmmTrainer.FULL_KMEANS_MIN_COMPONENTS - 1));
        assertEquals(GmmTrainer.DEFAULT_KMEANS_ITERATIONS, e.lloydIterations(GmmTrainer.FULL_KMEANS_MIN_COMPONENTS));
        e.setKmeansIterations(2);
        assertEquals(2, e.lloydIterations(16));
        assertEquals(2, e.lloydIterations(1024));
        assertThrows(IllegalArgumentException.class, () -> e.setKmeansIterations(-1));
    }

    @Test
    void kmeansStartIsReproducibleAndPersistenceRoundTrips(@TempDir Path dir) throws Exception {
        DiagonalGmmEstimator estimator = new DiagonalGmmEstimator().setK(K).setMaxIter(5).setSeed(4)
                .setInputCol("descriptors").setDimension(D);
        DiagonalGmmModel a = estimator.fit(images);
        DiagonalGmmModel b = estimator.fit(images);
        assertEquals(a.gmm(), b.gmm(), "two fits with the same seed and partitioning");
        // Close to what the single-JVM trainer reaches from its own k-means++ start on all the data.
        double single = GmmTrainer.builder(K).maxIterations(5).seed(4).build().fit(x, N, D).meanLogLikelihood();
        double distributed = a.trainingResult().meanLogLikelihood();
        assertTrue(Math.abs(single - distributed) <= 0.02 * Math.abs(single), single + " vs " + distributed);

        String saved = dir.resolve("model").toString();
        a.write().save(saved);
        DiagonalGmmModel loaded = DiagonalGmmModel.load(saved);
        assertEquals(a.uid(), loaded.uid());
        assertEquals(a.gmm(), loaded.gmm());
        assertEquals("descriptors", loaded.getOrDefault(loaded.inputCol()));
        String npz = dir.resolve("gmm.npz").toString();
        loaded.toNpz(npz);
        assertEquals(a.gmm(), Npz.readModel(Path.of(npz)));
        // transform: the Fisher vectors of the model.
        assertEquals(images.count(), loaded.transform(images).select("fisherVector").count());

        String est = dir.resolve("estimator").toString();
        estimator.setInitialModel(a.gmm()).write().save(est);
        DiagonalGmmEstimator back = DiagonalGmmEstimator.load(est);
        assertEquals(K, (Integer) back.getOrDefault(back.k()));
        assertEquals(4L, (Long) back.getOrDefault(back.seed()));
        assertNotNull(back.getInitialModel());
        assertEquals(a.gmm(), back.getInitialModel());
    }
}
