package dev.fvec.cli;

import dev.fvec.DiagonalGmm;
import dev.fvec.io.Npz;
import dev.fvec.train.GmmTrainer;
import dev.fvec.train.ProgressListener;
import dev.fvec.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** {@code fvec train}: EM on all rows of all inputs, written as a scikit-learn style {@code .npz}. */
final class TrainCommand {

    static final List<Options.Spec> OPTIONS = List.of(
            Options.Spec.value("--components", "K", "number of Gaussian components, >= 1; required"),
            Options.Spec.value("--out", "MODEL.npz", "where to write the model; required"),
            Options.Spec.value("--iterations", "N", "maximum EM iterations (default "
                    + GmmTrainer.DEFAULT_MAX_ITERATIONS + ")"),
            Options.Spec.value("--tolerance", "E", "stop when the mean log-likelihood changes by less than E,"
                    + " relatively (default " + Format.number(GmmTrainer.DEFAULT_TOLERANCE) + ")"),
            Options.Spec.value("--seed", "S", "seed of the initialisation and re-seeding (default 0)"),
            Options.Spec.value("--variance-floor", "V", "no variance below V, > 0 (default "
                    + Format.number(GmmTrainer.DEFAULT_ABSOLUTE_VARIANCE_FLOOR) + ", sklearn's reg_covar; a floor of "
                    + Format.number(GmmTrainer.DEFAULT_RELATIVE_VARIANCE_FLOOR) + " x the data's variance also applies)"),
            Options.Spec.value("--init", "INIT", "kmeans++ (default: k-means++ then Lloyd iterations) or random"),
            Options.Spec.value("--threads", "T", "threads for the E-step (default: all "
                    + Runtime.getRuntime().availableProcessors() + " processors); the result does not depend on it"));

    private TrainCommand() {
    }

    static int run(Options o, Context ctx) throws CliException, IOException {
        int k = o.intValue("--components", 0, 1, Integer.MAX_VALUE);
        o.required("--components");
        Path out = Inputs.outputFile("--out", o.required("--out"));
        int maxIterations = o.intValue("--iterations", GmmTrainer.DEFAULT_MAX_ITERATIONS, 1, Integer.MAX_VALUE);
        GmmTrainer.Builder builder = GmmTrainer.builder(k)
                .maxIterations(maxIterations)
                .tolerance(o.doubleValue("--tolerance", GmmTrainer.DEFAULT_TOLERANCE, 0, false, Double.MAX_VALUE))
                .seed(o.longValue("--seed", 0))
                .absoluteVarianceFloor(o.doubleValue("--variance-floor", GmmTrainer.DEFAULT_ABSOLUTE_VARIANCE_FLOOR,
                        0, true, Float.MAX_VALUE))
                .init("random".equals(o.choice("--init", "kmeans++", "kmeans++", "random"))
                        ? GmmTrainer.Init.RANDOM : GmmTrainer.Init.KMEANS_PP)
                .threads(o.intValue("--threads", Runtime.getRuntime().availableProcessors(), 1, 4096))
                .kernel(ctx.kernel());
        List<Path> inputs = Inputs.paths(o.positionals());

        // Headers first: a 1-D file, a D mismatch or too few rows fail before gigabytes are read.
        long rows = 0;
        Inputs.Shape first = null;
        for (Path p : inputs) {
            Inputs.Shape s = Inputs.shape(p);
            if (first != null && s.cols != first.cols) {
                throw new CliException(p + " has D = " + s.cols + " columns but " + inputs.get(0) + " has D = "
                        + first.cols);
            }
            first = first == null ? s : first;
            rows += s.rows;
        }
        if (rows < k) {
            throw new CliException("--components " + k + " needs at least " + k + " descriptors, but the input"
                    + (inputs.size() == 1 ? " has " : "s have ") + rows);
        }
        ctx.info("fvec train: K = " + k + " components on " + Format.count(rows) + " descriptors of D = "
                + first.cols + " from " + inputs.size() + " file" + (inputs.size() == 1 ? "" : "s") + ", "
                + ctx.kernel().name() + " kernel");

        TrainingResult result = fit(builder, maxIterations, ctx, trainer -> trainer.fit(inputs));
        DiagonalGmm model = result.model();
        Npz.writeModel(out, model); // atomically (dev.fvec.io.AtomicFile)
        ctx.info("fvec train: wrote " + o.value("--out") + " (" + describe(result) + ")");
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
        ProgressListener listener = (iteration, meanLogLikelihood, elapsed) -> {
            String change = Double.isNaN(previous[0]) ? ""
                    : ", relative change " + Format.sci(Math.abs(meanLogLikelihood - previous[0])
                            / Math.max(Math.abs(meanLogLikelihood), 1));
            previous[0] = meanLogLikelihood;
            progress.update(iteration, "mean log-likelihood " + Format.fixed(meanLogLikelihood, 4) + change);
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
