package dev.fvec.spark;

import dev.fvec.DiagonalGmm;
import dev.fvec.FisherEncoder;
import dev.fvec.GmmStatistics;
import dev.fvec.Kernels;
import dev.fvec.Sparsity;
import dev.fvec.internal.SyntheticDescriptors;
import dev.fvec.io.AtomicFile;
import dev.fvec.io.Npy;
import dev.fvec.io.NpyBuffer;
import dev.fvec.io.Npz;
import dev.fvec.train.GmmTrainer;
import dev.fvec.train.ProgressListener;
import dev.fvec.train.TrainingResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.ml.clustering.GaussianMixture;
import org.apache.spark.ml.clustering.GaussianMixtureModel;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.stat.distribution.MultivariateGaussian;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Issue 14's benchmark, one run (not a JMH harness: Spark jobs take seconds), on {@code local[2]},
 * 64-dimensional synthetic descriptors. Stages (first argument, comma-separated):
 *
 * <ul>
 *   <li>{@code em}: {@code N x 64}, {@code K} components: fvec-spark's {@link DiagonalGmmEstimator}
 *       ({@code IT} iterations) vs Spark MLlib's {@link GaussianMixture} (full covariance, its only
 *       kind; {@code MLLIB_IT} iterations, it is slow) vs the single-JVM {@link GmmTrainer} with 2
 *       threads: seconds per EM iteration and held-out log-likelihoods.
 *   <li>{@code budget}: MLlib at {@code K = 16}, {@code IT} iterations, timed; then fvec-spark
 *       ({@code IT} iterations, k-means++ start) at {@code K = 32, 64, 128, ...} until a fit takes
 *       longer than MLlib did: the largest {@code K} trained within MLlib's time, and every held-out
 *       log-likelihood.
 *   <li>{@code scale}: the overhead target at {@code SCALE_N x 64} (at least 1,000,000):
 *       fvec-spark's EM per iteration vs {@link GmmTrainer} with 2 threads ({@code K}, {@code
 *       SCALE_IT} iterations); alternated, three EM fits each, the first not counted (the JIT
 *       compiling Spark's code and the trainer's). Writes its model for {@code encode}.
 *   <li>{@code encode}: the encoding overhead target: {@code IMAGES} {@code .npy} files of
 *       1,000 x 64 (10,000 by default: 10,000,000 descriptors), the model {@code K} (stage
 *       {@code scale}'s), improved Fisher vectors. The same work on each side, in this one process
 *       (the JVM and the Spark session already up, so neither start is timed): every file read,
 *       encoded, and its vector written as row {@code i} of one float32 {@code .npy}, made
 *       atomically (forced, then moved), the file list given (one JVM: the paths; Spark: the glob,
 *       listed inside the timed call, as {@code fvec-spark encode} lists it). One JVM
 *       ({@link #encodeFiles}): 2 threads take files one at a time and write each row in place as it
 *       is done ({@code fvec encode --threads 2} streams rows to its writer as they are done);
 *       fvec-spark: {@link FisherVectorTransformer#transformFilesToNpy} ({@code fvec-spark encode}'s
 *       path: on {@code local[2]} the executors write their rows in place), and, for comparison,
 *       the DataFrame route ({@code transform(NpyFiles.read(...))}, then {@link NpyFiles#writeNpy},
 *       which brings the vectors through the driver). Five rounds, alternated, the first not counted;
 *       a full GC before each timed call (untimed), so no side pays for the garbage of the one before.
 *       Medians (minima) of wall and process CPU seconds; the ratio is throughput, one JVM's time
 *       over fvec-spark's. All three outputs are compared bit for bit.
 * </ul>
 *
 * <p><b>Held-out scoring</b>: every model is scored by one double-precision scorer
 * ({@link Mixture}): the mean over 20,000 held-out descriptors (drawn with the training data) of
 * {@code log sum_c w_c N(x; mu_c, Sigma_c)}, by log-sum-exp. MLlib's full covariances enter
 * through their Cholesky factors ({@code log|Sigma| = 2 sum log L_jj}, the Mahalanobis term by a
 * triangular solve), fvec's diagonal ones directly; the scorer is checked against MLlib's own
 * {@link MultivariateGaussian#logpdf} and fvec's kernel, and both differences are printed.
 *
 * <p>Run by {@code spark/bench.sh}; arguments {@code STAGES N K IT MLLIB_IT SCALE_N SCALE_IT IMAGES DIR}.
 */
public final class SparkBench {

    static final int D = 64;
    static final int HELD_OUT = 20_000;
    static final int PARTITIONS = 8;

    /** The one-JVM encoder's 2 threads (kept, so that their CPU time can be read after a run). */
    static final ExecutorService POOL = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "one-jvm-encode");
        t.setDaemon(true);
        return t;
    });

    public static void main(String[] args) throws Exception {
        List<String> stages = Arrays.asList(args[0].split(","));
        int n = Integer.parseInt(args[1]);
        int k = Integer.parseInt(args[2]);
        int iterations = Integer.parseInt(args[3]);
        int mllibIterations = Integer.parseInt(args[4]);
        int scaleN = Integer.parseInt(args[5]);
        int scaleIterations = Integer.parseInt(args[6]);
        int images = Integer.parseInt(args[7]);
        Path dir = Path.of(args[8]);
        Files.createDirectories(dir);
        SparkSession spark = SparkSession.builder().master("local[2]").appName("fvec-spark bench")
                .config("spark.ui.enabled", "false").config("spark.driver.memory", "4g").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        // Before anything is timed, as a long-running job would have it: the SIMD kernel's warm-up (its
        // twin, the scalar lanes, serves calls until the Vector API code is compiled, which takes
        // seconds on a loaded machine and would be charged to whichever fit runs first).
        long w0 = System.nanoTime();
        Kernels.warmUp();
        System.out.printf(Locale.ROOT, "kernel warm-up: %.2f s%n", seconds(w0));
        System.out.printf(Locale.ROOT, "local[2], D = %d, kernel %s, Java %s, %d processors, load %s%n", D,
                Kernels.provider().name(), System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), load());
        if (stages.contains("em") || stages.contains("budget")) {
            float[] all = SyntheticDescriptors.generate(2026, n + HELD_OUT, D, 2 * k);
            float[] x = Arrays.copyOf(all, n * D);
            float[] heldOut = Arrays.copyOfRange(all, n * D, (n + HELD_OUT) * D);
            Dataset<Row> sets = descriptorSets(spark, x, n);
            Dataset<Row> vectors = mllibVectors(spark, x, n);
            if (stages.contains("em")) {
                em(sets, vectors, x, n, heldOut, k, iterations, mllibIterations);
            }
            if (stages.contains("budget")) {
                budget(sets, vectors, heldOut, iterations);
            }
            sets.unpersist();
            vectors.unpersist();
        }
        if (stages.contains("scale")) {
            scale(spark, scaleN, k, scaleIterations, dir);
        }
        if (stages.contains("encode")) {
            encode(spark, k, images, dir);
        }
        spark.stop();
    }

    /** Stage {@code em}: one table of EM at {@code K}. */
    static void em(Dataset<Row> sets, Dataset<Row> vectors, float[] x, int n, float[] heldOut, int k,
            int iterations, int mllibIterations) {
        System.out.printf(Locale.ROOT, "%n## EM, %d x %d, K = %d (held-out: %d descriptors)%n%n", n, D, k, HELD_OUT);
        System.out.println("| trainer | iterations | total s | s / iteration | held-out LL | load |");
        System.out.println("|---|---:|---:|---:|---:|---|");
        Timed single = timedTrainer(k, iterations, x, n);
        row("GmmTrainer (one JVM, 2 threads)", single.iterations, single.total, single.perIteration,
                Mixture.of(single.model).score(heldOut));
        Timed fs = timedSpark(sets, k, iterations);
        Mixture fsScore = Mixture.of(fs.model);
        row("fvec-spark DiagonalGmmEstimator", fs.iterations, fs.total, fs.perIteration, fsScore.score(heldOut));
        long t0 = System.nanoTime();
        GaussianMixtureModel mllib = new GaussianMixture().setK(k).setSeed(1).setMaxIter(mllibIterations).setTol(0)
                .fit(vectors);
        double mllibS = seconds(t0);
        int mllibIters = mllib.summary().numIter();
        Mixture mllibScore = Mixture.of(mllib);
        row("Spark MLlib GaussianMixture (full covariance)", mllibIters, mllibS, mllibS / Math.max(1, mllibIters),
                mllibScore.score(heldOut));
        System.out.printf(Locale.ROOT, "%nfvec-spark per iteration: %.0fx faster than MLlib's (MLlib's total / its"
                + " iterations, its initialisation included)%n", mllibS / Math.max(1, mllibIters) / fs.perIteration);
        System.out.printf(Locale.ROOT, "MLlib: %d of at most %d iterations; its own training log-likelihood (a sum): %s%n",
                mllibIters, mllibIterations, mllib.summary().logLikelihood());
        checkScorer(fs.model, fsScore, mllib, mllibScore, heldOut);
    }

    /** Stage {@code budget}: in MLlib's wall-clock time for K = 16, the largest K fvec-spark trains. */
    static void budget(Dataset<Row> sets, Dataset<Row> vectors, float[] heldOut, int iterations) {
        System.out.printf(Locale.ROOT, "%n## In MLlib's time for K = 16 (%d iterations each, same data)%n%n", iterations);
        System.out.println("| trainer | K | iterations | wall-clock s | held-out LL | load |");
        System.out.println("|---|---:|---:|---:|---:|---|");
        long t0 = System.nanoTime();
        GaussianMixtureModel mllib = new GaussianMixture().setK(16).setSeed(1).setMaxIter(iterations).setTol(0)
                .fit(vectors);
        double budget = seconds(t0);
        double mllibLl = Mixture.of(mllib).score(heldOut);
        System.out.printf(Locale.ROOT, "| Spark MLlib GaussianMixture | 16 | %d | %.1f | %.4f | %s |%n",
                mllib.summary().numIter(), budget, mllibLl, load());
        int best = 0;
        double bestLl = Double.NaN;
        for (int k = 32; ; k *= 2) {
            Timed t = timedSpark(sets, k, iterations);
            double ll = Mixture.of(t.model).score(heldOut);
            System.out.printf(Locale.ROOT, "| fvec-spark DiagonalGmmEstimator | %d | %d | %.1f | %.4f | %s |%n", k,
                    t.iterations, t.total, ll, load());
            if (t.total > budget) {
                break;
            }
            best = k;
            bestLl = ll;
        }
        System.out.printf(Locale.ROOT, "%nMLlib: %d of at most %d iterations; its own training log-likelihood (a sum): %s%n",
                mllib.summary().numIter(), iterations, mllib.summary().logLikelihood());
        System.out.printf(Locale.ROOT, "Within MLlib's %.1f s (K = 16, held-out %.4f): fvec-spark trained K = %d, held-out"
                + " %.4f (%s)%n", budget, mllibLl, best, bestLl, bestLl > mllibLl ? "higher: target met" : "NOT higher");
    }

    /**
     * Stage {@code scale}: fvec-spark's EM against one JVM with 2 threads at N >= 1,000,000; writes
     * the model to {@code DIR/gmm.npz} for stage {@code encode}.
     */
    static void scale(SparkSession spark, int n, int k, int iterations, Path dir) throws Exception {
        float[] x = SyntheticDescriptors.generate(2027, n, D, 2 * k);
        // As fvec-spark train reads them: .npy files of 1,000 descriptors, parsed on the executors, the
        // descriptors cached by the estimator alone. (A DataFrame made on the driver from local rows
        // keeps every row in its plan and its cache: three more copies of the data on the heap, which
        // the collector marks during the iterations of both sides.)
        Path files = dir.resolve("scale");
        Files.createDirectories(files);
        try (var old = Files.newDirectoryStream(files, "part*.npy")) {
            for (Path f : old) {
                Files.delete(f);
            }
        }
        for (int r = 0; r * 1000 < n; r++) {
            int rows = Math.min(1000, n - r * 1000);
            Npy.write(files.resolve(String.format(Locale.ROOT, "part%05d.npy", r)),
                    Arrays.copyOfRange(x, r * 1000 * D, (r * 1000 + rows) * D), rows, D);
        }
        Dataset<Row> sets = NpyFiles.read(spark, List.of(files + "/part*.npy"));
        int emPartitions = Integer.getInteger("bench.emPartitions", -1);
        System.out.printf(Locale.ROOT, "%n## Overhead: EM on %,d x %d, K = %d, %d iterations (%,d .npy files in %d"
                + " partitions; EM on %s; after one untimed fit of each side)%n%n", n, D, k, iterations, (n + 999) / 1000, sets.rdd().getNumPartitions(),
                emPartitions < 0 ? "Spark's default parallelism, " + spark.sparkContext().defaultParallelism()
                        + " partitions" : emPartitions == 0 ? "the input's partitions" : emPartitions + " partitions");
        header();
        // Alternated, so both see the machine's load alike; the first fit of each side is not counted
        // (as in stage encode): it is where the JIT compiles Spark's own serialisation and closure code
        // (0.1-1 s of compilation per E-step at first, JFR) and the trainer's, which a long job pays once.
        Timed[] single = new Timed[3];
        Timed[] fs = new Timed[3];
        for (int rep = 0; rep < 3; rep++) {
            double c0 = cpuSeconds();
            java.util.Map<String, Double> before = threadCpu();
            single[rep] = timedTrainer(k, iterations, x, n);
            report("GmmTrainer fit", rep, before, c0);
            c0 = cpuSeconds();
            before = threadCpu();
            fs[rep] = timedSpark(sets, k, iterations, emPartitions);
            report("fvec-spark fit", rep, before, c0);
        }
        List<Double> sw = new ArrayList<>();
        List<Double> sc = new ArrayList<>();
        List<Double> fw = new ArrayList<>();
        List<Double> fc = new ArrayList<>();
        for (int rep = 1; rep < 3; rep++) {
            sw.addAll(single[rep].wallIntervals);
            sc.addAll(single[rep].cpuIntervals);
            fw.addAll(fs[rep].wallIntervals);
            fc.addAll(fs[rep].cpuIntervals);
        }
        throughputRow("EM, s per iteration, wall: median (min) of " + sw.size(), sw, fw);
        throughputRow("EM, s per iteration, process CPU: median (min) of " + sc.size(), sc, fc);
        Npz.writeModel(dir.resolve("gmm.npz"), fs[2].model);
    }


    /**
     * Stage {@code encode}: {@code IMAGES} files of 1,000 x 64 (written to {@code DIR/images}) encoded
     * with {@code DIR/gmm.npz} (stage {@code scale}'s model; without one, a K-component model is
     * trained on 100,000 descriptors) by the transformer and by {@link FisherEncoder} on 2 threads.
     */
    static void encode(SparkSession spark, int k, int images, Path dir) throws Exception {
        System.out.printf(Locale.ROOT, "%n## Overhead: encoding %,d files of 1,000 x %d (%,d descriptors), K = %d%n%n",
                images, D, images * 1000L, k);
        header();
        Path imgs = dir.resolve("images");
        Files.createDirectories(imgs);
        try (var old = Files.newDirectoryStream(imgs, "img*.npy")) { // a former run's, maybe more of them
            for (Path f : old) {
                Files.delete(f);
            }
        }
        float[] source = SyntheticDescriptors.generate(2028, 100_000, D, 2 * k);
        float[] img = new float[1000 * D];
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            System.arraycopy(source, (i * 997 % 99_000) * D, img, 0, img.length);
            Path f = imgs.resolve(String.format(Locale.ROOT, "img%05d.npy", i));
            Npy.write(f, img, 1000, D);
            files.add(f);
        }
        Path npz = dir.resolve("gmm.npz");
        if (!Files.exists(npz)) {
            Npz.writeModel(npz, GmmTrainer.builder(k).seed(1).maxIterations(5).threads(2).build()
                    .fit(source, 100_000, D).model());
        }
        DiagonalGmm model = Npz.readModel(npz);
        if (model.components() != k || model.dimension() != D) {
            throw new IllegalArgumentException(npz + " has K = " + model.components() + ", D = " + model.dimension()
                    + "; expected K = " + k + ", D = " + D + " (delete it, or run stage scale first)");
        }
        FisherEncoder encoder = FisherEncoder.builder(model).improved().build();
        List<Double> ow = new ArrayList<>();
        List<Double> oc = new ArrayList<>();
        List<Double> tw = new ArrayList<>(); // the transformer on NpyFiles.read's DataFrame
        List<Double> tc = new ArrayList<>();
        List<Double> fw = new ArrayList<>(); // transformFilesToNpy: each file read, encoded and written in one step
        List<Double> fc = new ArrayList<>();
        for (int rep = 0; rep < 5; rep++) { // alternated; the first of each (the JIT warming up) is not counted
            System.gc(); // untimed: each side starts with the heap collected
            long t0 = System.nanoTime();
            double c0 = cpuSeconds();
            java.util.Map<String, Double> before = threadCpu();
            encodeFiles(encoder, files, dir.resolve("fv-one-jvm.npy"));
            report("one JVM", rep, before, c0);
            if (rep > 0) {
                ow.add(seconds(t0));
                oc.add(cpuSeconds() - c0);
            }
            // array<float> out, as fvec-spark encode --out X.npy asks for.
            System.gc();
            t0 = System.nanoTime();
            c0 = cpuSeconds();
            before = threadCpu();
            Dataset<Row> fv = new FisherVectorTransformer().setModel(model).setInputCol("descriptors")
                    .setImproved().setOutputCol("fv").setOutputType("array")
                    .transform(NpyFiles.read(spark, List.of(imgs + "/*.npy")));
            NpyFiles.writeNpy(fv, "fv", "index", dir.resolve("fv-spark.npy"));
            report("transform", rep, before, c0);
            if (rep > 0) {
                tw.add(seconds(t0));
                tc.add(cpuSeconds() - c0);
            }
            System.gc();
            t0 = System.nanoTime();
            c0 = cpuSeconds();
            before = threadCpu();
            new FisherVectorTransformer().setModel(model).setImproved()
                    .transformFilesToNpy(spark, List.of(imgs + "/*.npy"), dir.resolve("fv-spark-files.npy"));
            report("transformFilesToNpy", rep, before, c0);
            if (rep > 0) {
                fw.add(seconds(t0));
                fc.add(cpuSeconds() - c0);
            }
        }
        throughputRow("encode --improved, transform(NpyFiles.read(...)) then writeNpy, s, wall: median (min) of "
                + ow.size(), ow, tw);
        throughputRow("the same, process CPU s", oc, tc);
        throughputRow("encode --improved, transformFilesToNpy (fvec-spark encode's path), s, wall", ow, fw);
        throughputRow("the same, process CPU s", oc, fc);
        System.out.println(Arrays.equals(Npy.read(dir.resolve("fv-spark.npy")).data(),
                Npy.read(dir.resolve("fv-spark-files.npy")).data()) ? "both Spark paths give the same vectors"
                        : "the Spark paths DIFFER");
        System.out.println(Arrays.equals(Npy.read(dir.resolve("fv-one-jvm.npy")).data(),
                Npy.read(dir.resolve("fv-spark.npy")).data()) ? "encoded vectors bitwise equal"
                        : "encoded vectors DIFFER");
    }

    /** A row of times (lower is better) and the throughput ratio of the medians, single / spark. */
    static void throughputRow(String job, List<Double> single, List<Double> spark) {
        System.out.printf(Locale.ROOT, "| %s | %.3f (%.3f) | %.3f (%.3f) | %.2fx | %s |%n", job, median(single),
                min(single), median(spark), min(spark), median(single) / median(spark), load());
    }

    static void header() {
        System.out.println("| job | one JVM, 2 threads | fvec-spark, local[2] | ratio (throughput) | load |");
        System.out.println("|---|---:|---:|---:|---|");
    }

    /**
     * As {@code fvec encode --threads 2} does in-process: 2 threads take the files one at a time
     * (a shared counter), read and encode each, and write its row into one {@code .npy} while the
     * others are encoded ({@code fvec encode} hands rows to its writer in order as they are done;
     * here each thread writes its row in place, positional writes on one channel, as fvec-spark's
     * local executors do), the file made atomically (forced to disk, then moved) as both do.
     */
    static void encodeFiles(FisherEncoder encoder, List<Path> files, Path out) throws Exception {
        int length = encoder.length();
        byte[] header = Npy.header2d(files.size(), length);
        AtomicFile.write(out, ch -> {
            ch.write(java.nio.ByteBuffer.wrap(header), 0);
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                done.add(POOL.submit(() -> {
                    NpyBuffer buffer = new NpyBuffer();
                    float[] fv = new float[length];
                    java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocateDirect(4 * length)
                            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
                    for (int i; (i = next.getAndIncrement()) < files.size(); ) {
                        Npy.readInto(files.get(i), buffer);
                        encoder.encode(buffer.data(), 0, buffer.rows(), fv, 0);
                        bytes.clear();
                        bytes.asFloatBuffer().put(fv);
                        long at = header.length + 4L * length * i;
                        while (bytes.hasRemaining()) {
                            ch.write(bytes, at + bytes.position());
                        }
                    }
                    return null;
                }));
            }
            try {
                for (Future<?> f : done) {
                    f.get();
                }
            } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
                throw new java.io.IOException(e);
            }
            ch.position(header.length + 4L * length * files.size());
        });
    }

    /** A fit, its total time, and its seconds per EM iteration after the first. */
    record Timed(DiagonalGmm model, int iterations, double total, double perIteration, double cpuPerIteration,
            List<Double> wallIntervals, List<Double> cpuIntervals) {
    }

    static Timed timedTrainer(int k, int iterations, float[] x, int n) {
        List<Double> stamps = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        long t0 = System.nanoTime();
        TrainingResult r = GmmTrainer.builder(k).seed(1).maxIterations(iterations).tolerance(0).threads(2)
                .progress(stamper(stamps, cpu)).build().fit(x, n, D);
        return new Timed(r.model(), r.iterations(), seconds(t0), perIteration(stamps), perIteration(cpu),
                intervals(stamps), intervals(cpu));
    }

    static Timed timedSpark(Dataset<Row> sets, int k, int iterations) {
        return timedSpark(sets, k, iterations, 0);
    }

    static Timed timedSpark(Dataset<Row> sets, int k, int iterations, int partitions) {
        List<Double> stamps = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        long t0 = System.nanoTime();
        DiagonalGmmModel m = new DiagonalGmmEstimator().setK(k).setSeed(1).setMaxIter(iterations).setTol(0)
                .setInputCol("descriptors").setDimension(D).setNumPartitions(partitions)
                .setProgress(stamper(stamps, cpu)).fit(sets);
        return new Timed(m.gmm(), m.trainingResult().iterations(), seconds(t0), perIteration(stamps),
                perIteration(cpu), intervals(stamps), intervals(cpu));
    }

    /** Records each iteration's wall-clock time since the start and the process's CPU time. */
    static ProgressListener stamper(List<Double> stamps, List<Double> cpu) {
        return (it, ll, elapsed) -> {
            stamps.add(elapsed.toNanos() / 1e9);
            cpu.add(cpuSeconds());
        };
    }

    /** With -Dbench.threads=true: where the process's CPU time went since {@code before}. */
    static void report(String what, int rep, java.util.Map<String, Double> before, double c0) {
        if (Boolean.getBoolean("bench.threads")) {
            System.out.println(what + " run " + rep + ": " + cpuDelta(before, threadCpu(), cpuSeconds() - c0));
        }
    }

    /** CPU seconds of every live Java thread, summed by name with digits dropped. */
    static java.util.Map<String, Double> threadCpu() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        java.util.Map<String, Double> byName = new java.util.TreeMap<>();
        for (java.lang.management.ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t != null) {
                long ns = mx.getThreadCpuTime(t.getThreadId());
                if (ns > 0) {
                    byName.merge(t.getThreadName().replaceAll("[0-9]+", "N"), ns / 1e9, Double::sum);
                }
            }
        }
        return byName;
    }

    /** Where the CPU went between two {@link #threadCpu()} readings; the rest of {@code process} is non-Java threads (GC, JIT). */
    static String cpuDelta(java.util.Map<String, Double> before, java.util.Map<String, Double> after, double process) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "process %.2f s:", process));
        double java = 0;
        for (var e : after.entrySet()) {
            double d = e.getValue() - before.getOrDefault(e.getKey(), 0.0);
            java += d;
            if (d >= 0.02) {
                b.append(String.format(Locale.ROOT, " %s %.2f,", e.getKey(), d));
            }
        }
        return b.append(String.format(Locale.ROOT, " non-Java threads %.2f", process - java)).toString();
    }

    /** CPU time of this whole process (every thread: Spark's, the trainer's, the JIT's and the GC's). */
    static double cpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    /** Times between consecutive iteration reports. */
    static List<Double> intervals(List<Double> stamps) {
        List<Double> out = new ArrayList<>();
        for (int i = 1; i < stamps.size(); i++) {
            out.add(stamps.get(i) - stamps.get(i - 1));
        }
        return out;
    }

    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length == 0 ? Double.NaN : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    /** Mean time between iteration reports: the E-steps (and M-steps) without the initialisation. */
    static double perIteration(List<Double> stamps) {
        return stamps.size() < 2 ? Double.NaN
                : (stamps.get(stamps.size() - 1) - stamps.get(0)) / (stamps.size() - 1);
    }

    /**
     * Rows of 1,000 descriptors ({@code array<float>}, N x 64 row-major), cached, in {@link #PARTITIONS}
     * partitions: 4 per core, as {@link NpyFiles#read} makes them (and as Spark advises), so that a
     * task slowed by other work on the machine does not hold up the whole pass.
     */
    static Dataset<Row> descriptorSets(SparkSession spark, float[] x, int n) {
        StructType schema = new StructType().add("descriptors", DataTypes.createArrayType(DataTypes.FloatType, false));
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r * 1000 < n; r++) {
            rows.add(RowFactory.create((Object) Arrays.copyOfRange(x, r * 1000 * D, Math.min(n, (r + 1) * 1000) * D)));
        }
        Dataset<Row> sets = spark.createDataFrame(rows, schema).repartition(PARTITIONS).cache();
        sets.count();
        return sets;
    }

    /** The same descriptors as MLlib's input: one {@code vector} per row, {@link #PARTITIONS} partitions, cached. */
    static Dataset<Row> mllibVectors(SparkSession spark, float[] x, int n) {
        StructType vschema = new StructType().add("features", SQLDataTypes.VectorType());
        List<Row> vrows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double[] v = new double[D];
            for (int j = 0; j < D; j++) {
                v[j] = x[i * D + j];
            }
            vrows.add(RowFactory.create(Vectors.dense(v)));
        }
        Dataset<Row> vectors = spark.createDataFrame(vrows, vschema).repartition(PARTITIONS).cache();
        vectors.count();
        return vectors;
    }

    static void row(String name, int iterations, double total, double perIteration, double ll) {
        System.out.printf(Locale.ROOT, "| %s | %d | %.2f | %.4f | %.4f | %s |%n", name, iterations, total, perIteration,
                ll, load());
    }

    /** The scorer against each model's own log-density, on the first 2,000 held-out descriptors. */
    static void checkScorer(DiagonalGmm fvec, Mixture fvecScore, GaussianMixtureModel mllib, Mixture mllibScore,
            float[] heldOut) {
        float[] part = Arrays.copyOf(heldOut, 2000 * D);
        GmmStatistics s = GmmStatistics.forModel(fvec);
        Kernels.provider().create(fvec, Sparsity.none()).accumulate(part, 0, 2000, s);
        double kernel = s.logLikelihood() / s.count();
        double own = 0;
        double[] lp = new double[mllib.weights().length];
        for (int i = 0; i < 2000; i++) {
            double[] v = new double[D];
            for (int j = 0; j < D; j++) {
                v[j] = part[i * D + j];
            }
            for (int c = 0; c < lp.length; c++) {
                lp[c] = Math.log(mllib.weights()[c]) + mllib.gaussians()[c].logpdf(Vectors.dense(v));
            }
            own += logSumExp(lp);
        }
        own /= 2000;
        System.out.printf(Locale.ROOT, "scorer check on 2,000 held-out descriptors: fvec model %.6f (fvec's kernel %.6f),"
                + " MLlib model %.6f (MLlib's logpdf %.6f)%n", fvecScore.score(part), kernel, mllibScore.score(part), own);
    }

    static double logSumExp(double[] a) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : a) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : a) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum);
    }

    /**
     * A Gaussian mixture as the held-out scorer sees it: per component, {@code log w_c - (D log 2 pi
     * + log|Sigma_c|) / 2}, the mean, and the lower Cholesky factor of {@code Sigma_c} (row-major,
     * {@code D x D}) or, for a diagonal model, the standard deviations.
     */
    record Mixture(double[] constant, double[][] mean, double[][] cholesky, double[][] sd) {

        static Mixture of(DiagonalGmm m) {
            int k = m.components();
            double[] c = new double[k];
            double[][] mu = new double[k][D];
            double[][] sd = new double[k][D];
            float[] w = m.weights();
            float[] means = m.means();
            float[] var = m.variances();
            for (int i = 0; i < k; i++) {
                double logDet = 0;
                for (int j = 0; j < D; j++) {
                    mu[i][j] = means[i * D + j];
                    sd[i][j] = Math.sqrt(var[i * D + j]);
                    logDet += Math.log(var[i * D + j]);
                }
                c[i] = Math.log(w[i]) - 0.5 * (D * Math.log(2 * Math.PI) + logDet);
            }
            return new Mixture(c, mu, null, sd);
        }

        static Mixture of(GaussianMixtureModel m) {
            int k = m.weights().length;
            double[] c = new double[k];
            double[][] mu = new double[k][];
            double[][] chol = new double[k][];
            for (int i = 0; i < k; i++) {
                MultivariateGaussian g = m.gaussians()[i];
                mu[i] = g.mean().toArray();
                Matrix cov = g.cov();
                double[] l = new double[D * D];
                double logDet = 0;
                for (int r = 0; r < D; r++) { // Cholesky-Banachiewicz
                    for (int col = 0; col <= r; col++) {
                        double s = cov.apply(r, col);
                        for (int t = 0; t < col; t++) {
                            s -= l[r * D + t] * l[col * D + t];
                        }
                        if (r == col) {
                            if (!(s > 0)) {
                                throw new IllegalStateException("MLlib component " + i + ": covariance not positive definite");
                            }
                            l[r * D + r] = Math.sqrt(s);
                            logDet += 2 * Math.log(l[r * D + r]);
                        } else {
                            l[r * D + col] = s / l[col * D + col];
                        }
                    }
                }
                chol[i] = l;
                c[i] = Math.log(m.weights()[i]) - 0.5 * (D * Math.log(2 * Math.PI) + logDet);
            }
            return new Mixture(c, mu, chol, null);
        }

        /** Mean over the rows of {@code x} (N x D) of the mixture's log-density. */
        double score(float[] x) {
            int n = x.length / D;
            int k = constant.length;
            double[] lp = new double[k];
            double[] z = new double[D];
            double total = 0;
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < k; c++) {
                    double q = 0;
                    if (cholesky == null) {
                        for (int j = 0; j < D; j++) {
                            double t = (x[i * D + j] - mean[c][j]) / sd[c][j];
                            q += t * t;
                        }
                    } else { // z = L^-1 (x - mu), forward substitution; q = |z|^2
                        double[] l = cholesky[c];
                        for (int r = 0; r < D; r++) {
                            double s = x[i * D + r] - mean[c][r];
                            for (int t = 0; t < r; t++) {
                                s -= l[r * D + t] * z[t];
                            }
                            z[r] = s / l[r * D + r];
                            q += z[r] * z[r];
                        }
                    }
                    lp[c] = constant[c] - 0.5 * q;
                }
                total += logSumExp(lp);
            }
            return total / n;
        }
    }

    static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
