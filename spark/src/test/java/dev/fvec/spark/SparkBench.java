package dev.fvec.spark;

import dev.fvec.DiagonalGmm;
import dev.fvec.GmmStatistics;
import dev.fvec.Kernels;
import dev.fvec.Sparsity;
import dev.fvec.internal.SyntheticDescriptors;
import dev.fvec.io.Npy;
import dev.fvec.io.Npz;
import dev.fvec.train.GmmTrainer;
import dev.fvec.train.TrainingResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.clustering.GaussianMixture;
import org.apache.spark.ml.clustering.GaussianMixtureModel;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Issue 14's benchmark, one run (not a JMH harness: Spark jobs take seconds): EM on
 * {@code N x 64} synthetic descriptors with {@code K} components on {@code local[2]}, by
 * fvec-spark's {@link DiagonalGmmEstimator}, by Spark MLlib's {@link GaussianMixture} (full
 * covariance, its only kind) and by the single-JVM {@link GmmTrainer} with 2 threads; held-out
 * log-likelihoods of all three; then Fisher-vector encoding of {@code IMAGES} {@code .npy} files of
 * 1,000 x 64 with {@link FisherVectorTransformer} (the shell script compares {@code fvec encode}).
 * Run by {@code spark/bench.sh}; arguments {@code N K EM_ITERATIONS MLLIB_ITERATIONS IMAGES DIR}.
 */
public final class SparkBench {

    static final int D = 64;

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        int k = Integer.parseInt(args[1]);
        int iterations = Integer.parseInt(args[2]);
        int mllibIterations = Integer.parseInt(args[3]);
        int images = Integer.parseInt(args[4]);
        Path dir = Path.of(args[5]);
        Files.createDirectories(dir);
        int heldOutN = 20_000;
        float[] all = SyntheticDescriptors.generate(2026, n + heldOutN, D, 2 * k);
        float[] x = Arrays.copyOf(all, n * D);
        float[] heldOut = Arrays.copyOfRange(all, n * D, (n + heldOutN) * D);
        SparkSession spark = SparkSession.builder().master("local[2]").appName("fvec-spark bench")
                .config("spark.ui.enabled", "false").config("spark.driver.memory", "4g").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        System.out.printf(Locale.ROOT, "data: %d x %d train, %d held out, K = %d, kernel %s, Java %s%n", n, D,
                heldOutN, k, Kernels.provider().name(), System.getProperty("java.version"));

        // Single JVM, 2 threads.
        long t0 = System.nanoTime();
        TrainingResult single = GmmTrainer.builder(k).seed(1).maxIterations(iterations).tolerance(0).threads(2)
                .build().fit(x, n, D);
        double singleS = seconds(t0);
        List<Double> singleIterationTimes = new ArrayList<>();

        // fvec-spark: 100 rows of 1,000 descriptors, 2 partitions.
        StructType schema = new StructType().add("descriptors", DataTypes.createArrayType(DataTypes.FloatType, false));
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r * 1000 < n; r++) {
            rows.add(RowFactory.create((Object) Arrays.copyOfRange(x, r * 1000 * D, Math.min(n, (r + 1) * 1000) * D)));
        }
        Dataset<Row> sets = spark.createDataFrame(rows, schema).repartition(2).cache();
        sets.count();
        List<Double> stamps = new ArrayList<>();
        t0 = System.nanoTime();
        DiagonalGmmModel fs = new DiagonalGmmEstimator().setK(k).setSeed(1).setMaxIter(iterations).setTol(0)
                .setInputCol("descriptors").setDimension(D)
                .setProgress((it, ll, elapsed) -> stamps.add(elapsed.toNanos() / 1e9)).fit(sets);
        double sparkS = seconds(t0);
        double sparkIter = (stamps.get(stamps.size() - 1) - stamps.get(0)) / (stamps.size() - 1);

        // MLlib GaussianMixture on the same descriptors as vectors.
        StructType vschema = new StructType().add("features", SQLDataTypes.VectorType());
        List<Row> vrows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double[] v = new double[D];
            for (int j = 0; j < D; j++) {
                v[j] = x[i * D + j];
            }
            vrows.add(RowFactory.create(Vectors.dense(v)));
        }
        Dataset<Row> vectors = spark.createDataFrame(vrows, vschema).repartition(2).cache();
        vectors.count();
        t0 = System.nanoTime();
        GaussianMixtureModel mllib = new GaussianMixture().setK(k).setSeed(1).setMaxIter(mllibIterations).setTol(0)
                .fit(vectors);
        double mllibS = seconds(t0);
        int mllibIters = mllib.summary().numIter();

        System.out.printf(Locale.ROOT, "%-34s %10s %12s %14s%n", "EM, local[2]", "total s", "s/iteration",
                "held-out LL");
        System.out.printf(Locale.ROOT, "%-34s %10.2f %12s %14.4f%n", "GmmTrainer (1 JVM, 2 threads), " + single.iterations() + " it",
                singleS, "-", heldOutLl(single.model(), heldOut));
        System.out.printf(Locale.ROOT, "%-34s %10.2f %12.4f %14.4f%n", "fvec-spark, " + fs.trainingResult().iterations() + " it",
                sparkS, sparkIter, heldOutLl(fs.gmm(), heldOut));
        System.out.printf(Locale.ROOT, "%-34s %10.2f %12.4f %14.4f%n", "MLlib GaussianMixture, " + mllibIters + " it",
                mllibS, mllibS / Math.max(1, mllibIters), mllibHeldOutLl(mllib, heldOut));

        // Encoding: IMAGES files of 1,000 x 64.
        Path imgs = dir.resolve("images");
        Files.createDirectories(imgs);
        float[] img = new float[1000 * D];
        for (int i = 0; i < images; i++) {
            System.arraycopy(all, (i * 997 % (n - 1000)) * D, img, 0, img.length);
            Npy.write(imgs.resolve(String.format(Locale.ROOT, "img%05d.npy", i)), img, 1000, D);
        }
        Npz.writeModel(dir.resolve("gmm.npz"), fs.gmm());
        for (int rep = 0; rep < 2; rep++) { // the first run includes the JIT warming up
            t0 = System.nanoTime();
            Dataset<Row> fv = new FisherVectorTransformer().setModel(fs.gmm()).setInputCol("descriptors")
                    .setImproved().setOutputCol("fv")
                    .transform(NpyFiles.read(spark, List.of(imgs + "/*.npy")));
            long written = NpyFiles.writeNpy(fv, "fv", "index", dir.resolve("fv-spark.npy"));
            double s = seconds(t0);
            System.out.printf(Locale.ROOT, "transformer (in-process, run %d): %d images in %.2f s = %.1f images/s%n",
                    rep + 1, written, s, written / s);
        }
        spark.stop();
    }

    static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    static double heldOutLl(DiagonalGmm model, float[] x) {
        GmmStatistics s = GmmStatistics.forModel(model);
        Kernels.provider().create(model, Sparsity.none()).accumulate(x, 0, x.length / D, s);
        return s.logLikelihood() / s.count();
    }

    static double mllibHeldOutLl(GaussianMixtureModel m, float[] x) {
        double total = 0;
        int n = x.length / D;
        double[] w = m.weights();
        double[] lp = new double[w.length];
        for (int i = 0; i < n; i++) {
            double[] v = new double[D];
            for (int j = 0; j < D; j++) {
                v[j] = x[i * D + j];
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < w.length; c++) {
                lp[c] = Math.log(w[c]) + m.gaussians()[c].logpdf(Vectors.dense(v));
                max = Math.max(max, lp[c]);
            }
            double sum = 0;
            for (double l : lp) {
                sum += Math.exp(l - max);
            }
            total += max + Math.log(sum);
        }
        return total / n;
    }
}
