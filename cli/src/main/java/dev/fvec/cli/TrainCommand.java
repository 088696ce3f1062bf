package dev.fvec.cli;

import dev.fvec.DiagonalGmm;
import dev.fvec.io.DescriptorFiles;
import dev.fvec.io.Npz;
import dev.fvec.train.GmmTrainer;
import dev.fvec.train.Pca;
import dev.fvec.train.ProgressListener;
import dev.fvec.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fvec train}: EM on all rows of all inputs, written as a scikit-learn style {@code .npz}. */
@Command(name = "train", header = "fit a diagonal Gaussian mixture (the model) to descriptor files",
        customSynopsis = {
            "fvec train --components K [--iterations N] [--tolerance E] [--seed S] [--variance-floor V]",
            "                  [--init kmeans++|random] [--threads T] --out MODEL.npz INPUT.npy...",
            "fvec train --spatial --components K [options above] --out MODEL.npz IMAGE.npz...",
            "fvec train --pca D [--whiten] --components K [options above] --out MODEL.npz INPUT.npy...",
        },
        description = {
            "",
            "Fits a diagonal-covariance Gaussian mixture to all rows of all INPUT.npy files (N x D each, the",
            "same D) by EM, and writes it as MODEL.npz: arrays weights (K), means (K x D) and covariances",
            "(K x D), named as scikit-learn's GaussianMixture(covariance_type='diag') names them, but float32",
            "(scikit-learn's are float64; fvec computes in float32). All rows are held in memory as float32.",
            "",
            "With --spatial the inputs are images with positions (IMAGE.npz: descriptors, positions, image_size);",
            "after EM one more pass sets each component's spatial Gaussian over normalised positions, written as",
            "spatial_means (K, 2) and spatial_variances (K, 2), for fvec encode --spatial.",
            "",
            "With --pca D the descriptors are first projected by PCA to D dimensions (as scikit-learn's PCA), the",
            "mixture is fitted in that space, and the model keeps the projection, so encoding takes raw descriptors.",
        },
        footer = {
            "",
            "Example:",
            "  fvec train --components 256 --seed 1 --out gmm.npz sample1.npy sample2.npy",
            "  fvec train --spatial --components 256 --seed 1 --out gmm.npz img1.npz img2.npz",
            "  fvec train --pca 64 --components 256 --seed 1 --out gmm.npz sift1.npy sift2.npy",
        })
final class TrainCommand extends CommandBase {

    @Option(names = "--components", paramLabel = "K", required = true, converter = Converters.Positive.class,
            description = "number of Gaussian components, >= 1; required")
    int components;

    @Option(names = "--out", paramLabel = "MODEL.npz", required = true,
            description = "where to write the model; required")
    String out;

    @Option(names = "--iterations", paramLabel = "N", converter = Converters.Positive.class,
            description = "maximum EM iterations (default " + GmmTrainer.DEFAULT_MAX_ITERATIONS + ")")
    int iterations = GmmTrainer.DEFAULT_MAX_ITERATIONS;

    @Option(names = "--tolerance", paramLabel = "E", converter = Converters.NonNegative.class,
            description = "stop when the mean log-likelihood changes by at most E, relatively: |change| <= E max(|L|, 1)"
                    + " (default " + GmmTrainer.DEFAULT_TOLERANCE + ")")
    double tolerance = GmmTrainer.DEFAULT_TOLERANCE;

    @Option(names = "--seed", paramLabel = "S", converter = Converters.AnyLong.class,
            description = "seed of the initialisation and re-seeding (default 0)")
    long seed;

    @Option(names = "--variance-floor", paramLabel = "V", converter = Converters.PositiveFloat.class,
            description = "no variance below V, > 0 (default "
                    + GmmTrainer.DEFAULT_ABSOLUTE_VARIANCE_FLOOR + ", sklearn's reg_covar; a floor of "
                    + GmmTrainer.DEFAULT_RELATIVE_VARIANCE_FLOOR + " x the data's variance also applies)")
    double varianceFloor = GmmTrainer.DEFAULT_ABSOLUTE_VARIANCE_FLOOR;

    @Option(names = "--init", paramLabel = "INIT", converter = Converters.Init.class,
            completionCandidates = Converters.Init.class,
            description = "kmeans++ (default: k-means++ then Lloyd iterations) or random")
    String init = "kmeans++";

    @Option(names = "--threads", paramLabel = "T", converter = Converters.Threads.class,
            description = "threads for the E-step (default: all available processors); the result does not"
                    + " depend on it")
    Integer threads;

    @Option(names = "--spatial", description = "inputs are IMAGE.npz with positions; also fit the spatial"
            + " Gaussians (spatial_means, spatial_variances) after EM")
    boolean spatial;

    @Option(names = "--pca", paramLabel = "D", converter = Converters.Positive.class,
            description = "first fit a PCA projection of the descriptors to D dimensions (mean, top eigenvectors of"
                    + " the covariance; on at most " + Pca.MAX_ROWS + " evenly spaced rows), then EM in that space;"
                    + " the model keeps it (pca_mean, pca_components, pca_explained_variance, pca_whiten), so"
                    + " fvec encode takes the raw descriptors")
    Integer pca;

    @Option(names = "--whiten", description = "with --pca: divide each projected dimension by its standard deviation")
    boolean whiten;

    @Mixin
    final InputList inputs = new InputList();

    TrainCommand(CommonOptions rootOptions, Main.Streams streams) {
        super(rootOptions, streams);
    }

    @Override
    int run(Context ctx) throws CliException, IOException {
        int k = components;
        Path out = Inputs.outputFile("--out", Inputs.nonEmpty("--out", this.out));
        int maxIterations = iterations;
        GmmTrainer.Builder builder = GmmTrainer.builder(k)
                .maxIterations(maxIterations)
                .tolerance(tolerance)
                .seed(seed)
                .absoluteVarianceFloor(varianceFloor)
                .init("random".equals(init) ? GmmTrainer.Init.RANDOM : GmmTrainer.Init.KMEANS_PP)
                .threads(threads != null ? threads : Runtime.getRuntime().availableProcessors())
                .kernel(ctx.kernel());
        if (whiten && pca == null) {
            throw new CliException("--whiten needs --pca D");
        }
        if (pca != null) {
            builder.pca(pca, whiten);
        }
        List<Path> inputs = this.inputs.paths(streams().in);
        if (spatial) {
            return trainSpatial(ctx, k, out, maxIterations, builder, inputs);
        }

        // Headers first: a 1-D file, a D mismatch or too few rows fail before gigabytes are read.
        DescriptorFiles.Layout layout;
        try {
            layout = DescriptorFiles.layout(inputs); // the check GmmTrainer.fit(List<Path>) makes again, early
        } catch (IllegalArgumentException e) { // not 2-D, D mismatch, too large; names the file
            throw new CliException(e.getMessage(), e);
        }
        long rows = layout.totalRows();
        if (rows < k) {
            throw new CliException("--components " + k + " needs at least " + k + " descriptors, but the input"
                    + (inputs.size() == 1 ? " has " : "s have ") + rows);
        }
        if (pca != null && pca > layout.dimension()) {
            throw new CliException("--pca " + pca + " needs descriptors of at least " + pca + " dimensions, but the"
                    + " input" + (inputs.size() == 1 ? " has D = " : "s have D = ") + layout.dimension());
        }
        ctx.info("fvec train: K = " + k + " components on " + Format.count(rows) + " descriptors of D = "
                + layout.dimension() + " from " + inputs.size() + " file" + (inputs.size() == 1 ? "" : "s") + ", "
                + (pca != null ? "PCA to D = " + pca + (whiten ? " (whitened)" : "") + ", " : "")
                + ctx.kernel().name() + " kernel");

        TrainingResult result = fit(builder, maxIterations, ctx, trainer -> trainer.fit(inputs));
        DiagonalGmm model = result.model();
        Npz.writeModel(out, model); // atomically (dev.fvec.io.AtomicFile)
        ctx.info("fvec train: wrote " + this.out + " (" + describe(result) + ")");
        return 0;
    }

    /** {@code --spatial}: EM on the images' descriptors, then the spatial pass, written with the model. */
    private int trainSpatial(Context ctx, int k, Path out, int maxIterations, GmmTrainer.Builder builder,
            List<Path> inputs) throws CliException, IOException {
        SpatialCli.TrainingImages images = SpatialCli.readTraining(inputs);
        if (images.rows < k) {
            throw new CliException("--components " + k + " needs at least " + k + " descriptors, but the input"
                    + (inputs.size() == 1 ? " has " : "s have ") + images.rows);
        }
        if (pca != null && pca > images.dimension) {
            throw new CliException("--pca " + pca + " needs descriptors of at least " + pca + " dimensions, but the"
                    + " input" + (inputs.size() == 1 ? " has D = " : "s have D = ") + images.dimension);
        }
        ctx.info("fvec train: K = " + k + " components on " + Format.count(images.rows) + " descriptors of D = "
                + images.dimension + " from " + inputs.size() + " image" + (inputs.size() == 1 ? "" : "s")
                + " with positions, " + (pca != null ? "PCA to D = " + pca + (whiten ? " (whitened)" : "") + ", " : "")
                + ctx.kernel().name() + " kernel");
        TrainingResult result = fit(builder, maxIterations, ctx,
                trainer -> trainer.fit(images.stacked, images.rows, images.dimension));
        DiagonalGmm model = result.model();
        SpatialCli.writeModel(out, model, SpatialCli.fitSpatial(model, images, ctx)); // atomically
        ctx.info("fvec train: wrote " + this.out + " with spatial Gaussians (" + describe(result) + ")");
        return 0;
    }

    /** One line about a finished training: iterations, convergence, log-likelihood, time. */
    static String describe(TrainingResult r) {
        return r.iterations() + " iteration" + (r.iterations() == 1 ? "" : "s") + ", "
                + (r.converged() ? "converged" : "stopped at the iteration limit")
                + ", mean log-likelihood " + Format.fixed(r.meanLogLikelihood(), 4)
                + (r.reseededComponents() > 0 ? ", " + r.reseededComponents() + " component re-seedings" : "")
                + ", " + Format.seconds(r.elapsed().toNanos());
    }

    /** One call of a trainer's {@code fit}. */
    interface Fit {
        TrainingResult run(GmmTrainer trainer) throws IOException;
    }

    /**
     * Runs {@code fit} on {@code builder}'s trainer with a per-iteration progress display; turns the
     * trainer's input errors (NaN, too few rows; their messages name the file) into
     * {@link CliException}s.
     */
    static TrainingResult fit(GmmTrainer.Builder builder, int maxIterations, Context ctx, Fit fit)
            throws CliException, IOException {
        Progress progress = ctx.progress("train", maxIterations, "iterations", 0);
        double[] previous = {Double.NaN};
        ProgressListener listener = new ProgressListener() {
            @Override
            public void onIteration(int iteration, double meanLogLikelihood, Duration elapsed) {
                String change = Double.isNaN(previous[0]) ? ""
                        : ", relative change " + Format.sci(Math.abs(meanLogLikelihood - previous[0])
                                / Math.max(Math.abs(meanLogLikelihood), 1));
                previous[0] = meanLogLikelihood;
                progress.update(iteration, "mean log-likelihood " + Format.fixed(meanLogLikelihood, 4) + change);
            }

            @Override
            public void onInitialisation(String phase, int done, int total, Duration elapsed) {
                progress.update(0, phase + " " + done + "/" + total); // before iteration 1
            }
        };
        try {
            return fit.run(builder.progress(listener).build());
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), e);
        } finally {
            progress.close();
        }
    }
}
