package dev.fvec.cli;

import dev.fvec.DiagonalGmm;
import dev.fvec.FisherEncoder;
import dev.fvec.FisherForm;
import dev.fvec.Sparsity;
import dev.fvec.io.AtomicFile;
import dev.fvec.io.NpyRowWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fvec encode}: one Fisher vector per input file, as rows of one {@code .npy}. */
@Command(name = "encode", header = "encode descriptor files into Fisher vectors, one row per file",
        customSynopsis = {
            "fvec encode --model MODEL.npz [--form vlfeat|gist|skimage] [--improved | --power A | --l2]",
            "                   [--threshold T | --hard] [--threads T] --out OUT.npy INPUT.npy...",
            "fvec encode --model MODEL.npz [--pyramid GRIDS] [--spatial] [options above] --out OUT.npy IMAGE.npz...",
        },
        description = {
            "",
            "Encodes each INPUT.npy (N x D descriptors of one image) into one Fisher vector and writes them",
            "to OUT.npy as a float32 array with one row per input, in argument order. Row length: 2KD for",
            "vlfeat, K + 2KD for gist and skimage. An input with no rows gives a zero vector.",
            "",
            "With --pyramid or --spatial the inputs are images with positions: IMAGE.npz archives of descriptors",
            "(N, D), positions (N, 2; x, y in pixels, origin top-left) and image_size (W, H). --pyramid gives one",
            "block per cell of each grid, each normalised alone; --spatial appends 4K spatial entries per block",
            "(the model's spatial_means and spatial_variances, or the uniform square's moments without them).",
        },
        footer = {
            "",
            "Examples:",
            "  fvec encode --model gmm.npz --improved --out fv.npy img1.npy img2.npy",
            "  fvec encode --model gmm.npz --form skimage --threshold 0 --out fv.npy img*.npy",
            "  find imgs -name '*.npy' | fvec encode --model gmm.npz --out fv.npy --inputs-from -",
            "  fvec encode --model gmm.npz --improved --pyramid 1x1,2x2,3x1 --out fv.npy img1.npz img2.npz",
            "  fvec encode --model gmm.npz --improved --spatial --out fv.npy img*.npz",
        })
final class EncodeCommand extends CommandBase {

    @Option(names = "--model", paramLabel = "MODEL.npz", required = true,
            description = "the GMM (weights, means, covariances); required")
    String model;

    @Option(names = "--out", paramLabel = "OUT.npy", required = true,
            description = "where to write the vectors, one float32 row per input; required")
    String out;

    @Option(names = "--form", paramLabel = "FORM", converter = Converters.Form.class,
            completionCandidates = Converters.Form.class,
            description = "vlfeat (default; 2KD), gist or skimage (K + 2KD)")
    FisherForm form = FisherForm.VLFEAT;

    @Option(names = "--improved", description = "power 0.5 then L2: the improved Fisher vector")
    boolean improved;

    @Option(names = "--power", paramLabel = "A", converter = Converters.Exponent.class,
            description = "power normalisation sign(z)|z|^A, A in (0, 1]")
    Double power;

    @Option(names = "--l2", description = "L2 normalisation (after --power when both are given)")
    boolean l2;

    @Option(names = "--threshold", paramLabel = "T", converter = Converters.Fraction.class,
            description = "drop posteriors below T, in [0, 1] (default: 1e-6 for vlfeat, 0 (exact) for gist and"
                    + " skimage)")
    Double threshold;

    @Option(names = "--hard", description = "hard assignment: each descriptor to its top component only")
    boolean hard;

    @Option(names = "--threads", paramLabel = "T", converter = Converters.Threads.class,
            description = "files encoded in parallel (default: all available processors); the output does not"
                    + " depend on it")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--pyramid", paramLabel = "GRIDS",
            description = "spatial pyramid: grids RxC (R rows by C columns), comma-separated, e.g. 1x1,2x2,3x1;"
                    + " one block per cell, each normalised alone (inputs: IMAGE.npz)")
    String pyramid;

    @Option(names = "--spatial", description = "append the spatial Fisher vector block, 4K per block (inputs:"
            + " IMAGE.npz)")
    boolean spatial;

    @Mixin
    final InputList inputs = new InputList();

    /** How often plain (non-terminal) progress lines are printed. */
    private static final long PLAIN_PROGRESS_MILLIS = 2000;

    EncodeCommand(CommonOptions rootOptions, Main.Streams streams) {
        super(rootOptions, streams);
    }

    @Override
    boolean choosesKernelLater() {
        return true;
    }

    static String describe(Sparsity s) {
        return s.isHard() ? "hard assignment" : s.threshold() == 0 ? "exact (threshold 0)"
                : "threshold " + Format.number(s.threshold());
    }

    @Override
    int run(Context ctx) throws CliException, IOException {
        // Options first, all of them, before any file is read.
        Path modelPath = Path.of(Inputs.nonEmpty("--model", this.model));
        Path out = Inputs.outputFile("--out", Inputs.nonEmpty("--out", this.out));
        exclusive("--improved", improved, "--power", power != null);
        exclusive("--improved", improved, "--l2", l2);
        exclusive("--threshold", threshold != null, "--hard", hard);
        double exponent = improved ? 0.5 : power != null ? power : 0;
        boolean normalise = improved || l2;
        boolean spatialLayout = pyramid != null || spatial;
        dev.fvec.PyramidLayout layout = SpatialCli.layout(pyramid); // an option error before any file is read

        // Then the model and every file's header, so a mismatch in the last file fails before any work is done.
        DiagonalGmm model = Inputs.readModel(modelPath);
        List<Path> inputs = this.inputs.paths(streams().in);
        List<Inputs.Shape> shapes = new ArrayList<>();
        for (Path input : spatialLayout ? List.<Path>of() : inputs) { // images are checked as they are read
            Inputs.Shape shape = Inputs.shape(input);
            if (shape.cols != model.inputDimension()) {
                throw new CliException(input + " has D = " + shape.cols + " columns but the model "
                        + (model.projection().isPresent() ? "takes Din = " + model.inputDimension() + " (its "
                                + model.projection().get() + ")" : "has D = " + model.dimension())
                        + " (" + modelPath + ")");
            }
            shapes.add(shape);
        }

        if (!spatialLayout) {
            WarmUpPolicy.forJob(shapes, model.components(), model.dimension(), ctx);
        }

        ctx.chooseKernel(); // here, after the model and the headers are read (see Context)
        FisherEncoder.Builder builder = FisherEncoder.builder(model)
                .form(form).power(exponent).l2(normalise).kernel(ctx.kernel());
        if (hard) {
            builder.sparsity(Sparsity.hard());
        } else if (threshold != null) {
            builder.sparsity(Sparsity.threshold(threshold));
        } // else the library's default for the form (SPEC.md, Posteriors)
        FisherEncoder encoder = builder.build();
        if (spatialLayout) {
            long start = System.nanoTime();
            int length = SpatialCli.encode(encoder, layout, spatial, modelPath, inputs, out, threads, ctx);
            ctx.info("fvec encode: wrote " + inputs.size() + " x " + length + " to " + this.out + " (pyramid " + layout
                    + (spatial ? ", spatial block" : "") + ", " + Format.seconds(System.nanoTime() - start) + ", "
                    + encoder.implementationName() + " kernel)");
            return 0;
        }
        ctx.debug("fvec encode: " + model + ", " + form.name().toLowerCase(Locale.ROOT) + " (length "
                + encoder.length() + "), power " + (exponent == 0 ? "off" : exponent) + ", l2 " + (normalise ? "on" : "off")
                + ", " + describe(encoder.sparsity()) + ", " + encoder.implementationName() + " kernel, " + threads + " thread"
                + (threads == 1 ? "" : "s"));

        long start = System.nanoTime();
        long descriptors = 0;
        long keptTerms = 0;
        Progress progress = ctx.progress("encode", inputs.size(), "files", PLAIN_PROGRESS_MILLIS);
        try {
            long[] count = new long[2]; // descriptors, kept posterior terms
            EncodePipeline pipeline = new EncodePipeline(encoder, inputs, shapes, threads);
            AtomicFile.write(out, ch -> {
                NpyRowWriter writer = new NpyRowWriter(ch, encoder.length());
                pipeline.run((i, row, rows, kept) -> {
                    writer.writeRow(row);
                    count[0] += rows;
                    count[1] += kept;
                    progress.update(i + 1, inputs.get(i).getFileName().toString());
                });
                writer.finish();
            });
            descriptors = count[0];
            keptTerms = count[1];
        } finally {
            progress.close();
        }
        long nanos = System.nanoTime() - start;
        ctx.info("fvec encode: wrote " + inputs.size() + " x " + encoder.length() + " to " + this.out + " ("
                + Format.count(descriptors) + " descriptors, " + Format.seconds(nanos) + ", "
                + encoder.implementationName() + " kernel)");
        ctx.debug("fvec encode: " + Format.count(keptTerms) + " posterior terms kept, "
                + (descriptors == 0 ? "none" : Format.fixed((double) keptTerms / descriptors, 2))
                + " per descriptor of K = " + model.components());
        return 0;
    }

    private static void exclusive(String a, boolean hasA, String b, boolean hasB) throws CliException {
        if (hasA && hasB) {
            throw new CliException(a + " and " + b + " cannot be combined");
        }
    }
}
