package dev.fvec.spark;

import dev.fvec.Kernels;
import dev.fvec.train.GmmTrainer;
import dev.fvec.train.Pca;
import dev.fvec.train.TrainingResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code fvec-spark train|encode}: {@code fvec train}/{@code fvec encode} on Spark, with the same
 * options plus {@code --master} (default {@code local[*]}; under {@code spark-submit}, the
 * submitter's master). Inputs are {@code .npy} files or Hadoop globs on any file system Spark
 * reads. Errors: one line {@code fvec-spark: message} on stderr, exit status 2.
 */
@Command(name = "fvec-spark", mixinStandardHelpOptions = true, version = "fvec-spark 0.1.0",
        subcommands = {SparkMain.Train.class, SparkMain.Encode.class},
        description = "Fisher vectors and GMM training on Apache Spark.")
public final class SparkMain implements Callable<Integer> {

    /** Exit status of a usage or input error. */
    static final int USAGE = 2;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(new CommandLine(this), "a command is required: train or encode");
    }

    public static void main(String[] args) {
        System.exit(run(args, System.err));
    }

    static int run(String[] args, PrintStream err) {
        CommandLine cl = new CommandLine(new SparkMain());
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            Throwable cause = e;
            // Spark wraps task failures: the innermost message names the file or row.
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            err.println("fvec-spark: " + cause.getMessage());
            if (line.getCommand() instanceof Base && ((Base) line.getCommand()).verbose) {
                e.printStackTrace(err);
            }
            return USAGE;
        });
        cl.setParameterExceptionHandler((e, a) -> {
            err.println("fvec-spark: " + e.getMessage());
            return USAGE;
        });
        return cl.execute(args);
    }

    /** Options every command takes. */
    abstract static class Base implements Callable<Integer> {
        @Option(names = "--master", paramLabel = "URL",
                description = "Spark master (default: spark-submit's, else local[*], or local[T] with --threads T)")
        String master;

        @Option(names = "--threads", paramLabel = "T", description = "with the default master: local[T]")
        Integer threads;

        @Option(names = {"-q", "--quiet"}, description = "no summary on stderr")
        boolean quiet;

        @Option(names = {"-v", "--verbose"}, description = "stack traces on errors")
        boolean verbose;

        @Option(names = "--kernel", paramLabel = "NAME", description = "force a kernel: scalar or simd")
        String kernel;

        @Parameters(paramLabel = "INPUT.npy", arity = "1..*", description = ".npy files or Hadoop globs (N x D each); IMAGE.npz archives with --pyramid/--spatial")
        List<String> inputs;

        SparkSession session(String app) {
            if (kernel != null) {
                System.setProperty(Kernels.PROPERTY, kernel.toLowerCase(Locale.ROOT));
                Kernels.provider(); // an unknown name or an unusable kernel fails here, before Spark starts
            }
            SparkSession.Builder b = SparkSession.builder().appName(app);
            if (verbose) {
                b.config("spark.log.level", "INFO");
            }
            String m = master != null ? master : System.getProperty("spark.master");
            if (m == null) {
                m = threads != null ? "local[" + threads + "]" : "local[*]";
            }
            b.master(m);
            if (m.startsWith("local")) {
                // The executors run in this JVM: warm the kernel up while Spark starts (seconds), so the
                // tasks run the compiled vector code from their first image rather than its scalar twin
                // (on a loaded machine the kernel's own warm-up, started by the first calls, ran out of
                // budget and the twin encoded most of 10,000 images).
                Thread warm = new Thread(() -> {
                    try {
                        Kernels.warmUp();
                    } catch (RuntimeException e) {
                        // optional: the kernel's own warm-up still runs on first use
                    }
                }, "fvec-spark-warm-up");
                warm.setDaemon(true);
                warm.start();
            }
            if (m.startsWith("local") && System.getProperty("spark.ui.enabled") == null) {
                // A local run that ends with its job has little use for the web UI, whose start costs
                // about a second of CPU time; -Dspark.ui.enabled=true (or spark-submit's --conf) keeps it.
                b.config("spark.ui.enabled", "false");
            }
            if (kernel != null) {
                b.config("spark.executor.extraJavaOptions", "-D" + Kernels.PROPERTY + "=" + kernel);
            }
            created = SparkSession.getDefaultSession().isEmpty();
            return b.getOrCreate();
        }

        /** Whether {@link #session} started Spark (in a JVM that already runs it, it is reused, not stopped). */
        boolean created;

        void stop(SparkSession spark) {
            if (created) {
                spark.stop();
            }
        }

        void info(String line) {
            if (!quiet) {
                System.err.println(line);
            }
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Fits a diagonal GMM to all rows of all inputs by EM (E-step on the executors) and writes"
                    + " MODEL.npz as scikit-learn would.")
    static final class Train extends Base {
        @Option(names = "--components", paramLabel = "K", required = true, description = "number of components")
        int components;

        @Option(names = "--out", paramLabel = "MODEL.npz", required = true,
                description = "the model (any Hadoop path)")
        String out;

        @Option(names = "--iterations", paramLabel = "N", description = "maximum EM iterations (default 100)")
        int iterations = GmmTrainer.DEFAULT_MAX_ITERATIONS;

        @Option(names = "--tolerance", paramLabel = "E", description = "stop when the mean log-likelihood changes by at most E, relatively: |change| <= E max(|L|, 1) (default 1e-5)")
        double tolerance = GmmTrainer.DEFAULT_TOLERANCE;

        @Option(names = "--seed", paramLabel = "S", description = "seed (default 0)")
        long seed;

        @Option(names = "--variance-floor", paramLabel = "V", description = "absolute variance floor (default 1e-6)")
        double varianceFloor = GmmTrainer.DEFAULT_ABSOLUTE_VARIANCE_FLOOR;

        @Option(names = "--init", paramLabel = "INIT", description = "kmeans++ (default) or random")
        String init = "kmeans++";

        @Option(names = "--pca", paramLabel = "D",
                description = "first fit a PCA projection of the descriptors to D dimensions (on at most "
                        + Pca.MAX_ROWS + " rows sampled to the driver), then EM in that space; the model keeps it,"
                        + " so encode takes the raw descriptors")
        Integer pca;

        @Option(names = "--whiten", description = "with --pca: divide each projected dimension by its standard deviation")
        boolean whiten;

        @Option(names = "--spatial", description = "inputs are IMAGE.npz with positions; also fit the spatial"
                + " Gaussians (spatial_means, spatial_variances) after EM")
        boolean spatial;

        @Override
        public Integer call() {
            if (whiten && pca == null) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--whiten needs --pca D");
            }
            DiagonalGmmEstimator estimator = new DiagonalGmmEstimator().setK(components).setMaxIter(iterations)
                    .setTol(tolerance).setSeed(seed).setAbsoluteVarianceFloor(varianceFloor).setInit(init)
                    .setPca(pca == null ? 0 : pca).setWhiten(whiten);
            SparkSession spark = session("fvec-spark train");
            try {
                Dataset<Row> files = spatial ? ImageFiles.read(spark, inputs) : NpyFiles.read(spark, inputs);
                if (spatial) {
                    estimator.setSpatial(true).setPositionsCol("positions").setImageSizeCol("image_size");
                }
                int d = files.select("dimension").distinct().count() == 1
                        ? files.select("dimension").first().getInt(0) : -1;
                if (d < 1) {
                    throw new IllegalArgumentException("the inputs do not all have the same D");
                }
                DiagonalGmmModel model = estimator.setInputCol("descriptors").setDimension(d).setIdCol("path")
                        .setProgress((it, ll, t) -> info("fvec-spark train: iteration " + it + ", mean log-likelihood "
                                + String.format(Locale.ROOT, "%.4f", ll)))
                        .fit(files);
                model.toNpz(out);
                TrainingResult r = model.trainingResult();
                info("fvec-spark train: wrote " + out + (spatial ? " with spatial Gaussians" : "") + " ("
                        + r.iterations() + " iterations, "
                        + (r.converged() ? "converged" : "stopped at the iteration limit") + ", mean log-likelihood "
                        + String.format(Locale.ROOT, "%.4f", r.meanLogLikelihood()) + ")");
                return 0;
            } finally {
                stop(spark);
            }
        }
    }

    @Command(name = "encode", mixinStandardHelpOptions = true,
            description = "One Fisher vector per input file: OUT.npy (rows in input order, through the driver)"
                    + " or, for any other OUT, a Parquet directory of (path, vector).")
    static final class Encode extends Base {
        @Option(names = "--model", paramLabel = "MODEL.npz", required = true, description = "the GMM (any Hadoop path)")
        String model;

        @Option(names = "--out", paramLabel = "OUT", required = true,
                description = "OUT.npy (local, float32, one row per input) or a Parquet directory (any Hadoop path)")
        String out;

        @Option(names = "--form", paramLabel = "FORM", description = "vlfeat (default), gist or skimage")
        String form = "vlfeat";

        @Option(names = "--improved", description = "power 0.5 then L2")
        boolean improved;

        @Option(names = "--power", paramLabel = "A", description = "power normalisation exponent in (0, 1]")
        Double power;

        @Option(names = "--l2", description = "L2 normalisation")
        boolean l2;

        @Option(names = "--threshold", paramLabel = "T", description = "drop posteriors below T (default: 1e-6 for vlfeat, 0 (exact) for gist and skimage)")
        Double threshold;

        @Option(names = "--hard", description = "hard assignment")
        boolean hard;

        @Option(names = "--pyramid", paramLabel = "GRIDS",
                description = "spatial pyramid: grids RxC (R rows by C columns), comma-separated, e.g. 1x1,2x2,3x1;"
                        + " one block per cell, each normalised alone (inputs: IMAGE.npz)")
        String pyramid;

        @Option(names = "--spatial", description = "append the spatial Fisher vector block, 4K per block (inputs:"
                + " IMAGE.npz)")
        boolean spatial;

        @Override
        public Integer call() throws Exception {
            if (improved && (power != null || l2)) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "--improved is --power 0.5 --l2; give one or the other");
            }
            FisherVectorTransformer t = new FisherVectorTransformer().setModelPath(model).setForm(form)
                    .setOutputCol("vector").setHard(hard);
            if (improved) {
                t.setImproved();
            }
            if (power != null) {
                t.setPower(power);
            }
            t.setL2(l2 || improved);
            if (threshold != null) {
                t.setThreshold(threshold);
            }
            if (pyramid != null) {
                try {
                    t.setPyramid(pyramid);
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(new CommandLine(this), "--pyramid: " + e.getMessage());
                }
            }
            t.setSpatial(spatial);
            if (out.endsWith(".npy")) {
                t.setOutputType("array"); // float32 as written: no double vector to build and narrow again
            }
            SparkSession spark = session("fvec-spark encode");
            try {
                if (out.endsWith(".npy")) {
                    // Each file read and encoded in one step; locally the executors write the rows in place.
                    long rows = t.transformFilesToNpy(spark, inputs, Path.of(out));
                    info("fvec-spark encode: wrote " + out + " (" + rows + " vectors)");
                } else {
                    t.transformFiles(spark, inputs).select("path", "vector").write().parquet(out);
                    info("fvec-spark encode: wrote " + out + " (Parquet: path, vector)");
                }
                return 0;
            } finally {
                stop(spark);
            }
        }
    }
}
