package dev.fvec.cli;

import dev.fvec.DiagonalGmm;
import dev.fvec.FisherEncoder;
import dev.fvec.FisherForm;
import dev.fvec.Sparsity;
import dev.fvec.io.AtomicFile;
import dev.fvec.io.NpyArray;
import dev.fvec.io.NpyRowWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code fvec encode}: one Fisher vector per input file, as rows of one {@code .npy}. */
final class EncodeCommand {

    static final List<Options.Spec> OPTIONS = List.of(
            Options.Spec.value("--model", "MODEL.npz", "the GMM (weights, means, covariances); required"),
            Options.Spec.value("--out", "OUT.npy", "where to write the vectors, one float32 row per input; required"),
            Options.Spec.value("--form", "FORM", "vlfeat (default; 2KD), gist or skimage (K + 2KD)"),
            Options.Spec.flag("--improved", "power 0.5 then L2: the improved Fisher vector"),
            Options.Spec.value("--power", "A", "power normalisation sign(z)|z|^A, A in (0, 1]"),
            Options.Spec.flag("--l2", "L2 normalisation (after --power when both are given)"),
            Options.Spec.value("--threshold", "T", "drop posteriors below T, in [0, 1] (default 1e-6; 0 = exact)"),
            Options.Spec.flag("--hard", "hard assignment: each descriptor to its top component only"));

    /** How often plain (non-terminal) progress lines are printed. */
    private static final long PLAIN_PROGRESS_MILLIS = 2000;

    private EncodeCommand() {
    }

    static String describe(Sparsity s) {
        return s.isHard() ? "hard assignment" : s.threshold() == 0 ? "exact (threshold 0)"
                : "threshold " + Format.number(s.threshold());
    }

    static int run(Options o, Context ctx) throws CliException, IOException {
        // Options first, all of them, before any file is read.
        Path modelPath = Path.of(o.required("--model"));
        Path out = Inputs.outputFile("--out", o.required("--out"));
        FisherForm form = FisherForm.valueOf(
                o.choice("--form", "vlfeat", "vlfeat", "gist", "skimage").toUpperCase(Locale.ROOT));
        o.exclusive("--improved", "--power");
        o.exclusive("--improved", "--l2");
        o.exclusive("--threshold", "--hard");
        boolean improved = o.has("--improved");
        double power = improved ? 0.5 : o.doubleValue("--power", 0, 0, true, 1);
        boolean l2 = improved || o.has("--l2");
        Sparsity sparsity = o.has("--hard")
                ? Sparsity.hard()
                : Sparsity.threshold(o.doubleValue("--threshold", Sparsity.DEFAULT.threshold(), 0, false, 1));

        // Then the model and every file's header, so a mismatch in the last file fails before any work is done.
        DiagonalGmm model = Inputs.readModel(modelPath);
        List<Path> inputs = Inputs.paths(o.positionals());
        List<Inputs.Shape> shapes = new ArrayList<>();
        for (Path input : inputs) {
            Inputs.Shape shape = Inputs.shape(input);
            if (shape.cols != model.dimension()) {
                throw new CliException(input + " has D = " + shape.cols + " columns but the model has D = "
                        + model.dimension() + " (" + modelPath + ")");
            }
            shapes.add(shape);
        }

        FisherEncoder encoder = FisherEncoder.builder(model)
                .form(form).power(power).l2(l2).sparsity(sparsity).kernel(ctx.kernel())
                .build();
        ctx.debug("fvec encode: " + model + ", " + form.name().toLowerCase(Locale.ROOT) + " (length "
                + encoder.length() + "), power " + (power == 0 ? "off" : power) + ", l2 " + (l2 ? "on" : "off")
                + ", " + describe(sparsity) + ", " + encoder.implementationName() + " kernel");

        long start = System.nanoTime();
        long descriptors = 0;
        Progress progress = ctx.progress("encode", inputs.size(), "files", PLAIN_PROGRESS_MILLIS);
        try {
            long[] count = new long[1];
            AtomicFile.write(out, ch -> {
                NpyRowWriter writer = new NpyRowWriter(ch, encoder.length());
                for (int i = 0; i < inputs.size(); i++) {
                    Path input = inputs.get(i);
                    NpyArray x = Inputs.read(input, shapes.get(i));
                    float[] fv;
                    try {
                        fv = encoder.encode(x.data(), x.rows());
                    } catch (IllegalArgumentException | ArithmeticException e) { // bad values, float overflow
                        throw new CliException(input + ": " + e.getMessage(), e);
                    }
                    writer.writeRow(fv);
                    count[0] += x.rows();
                    progress.update(i + 1, input.getFileName().toString());
                }
                writer.finish();
            });
            descriptors = count[0];
        } finally {
            progress.close();
        }
        long nanos = System.nanoTime() - start;
        ctx.info("fvec encode: wrote " + inputs.size() + " x " + encoder.length() + " to " + o.value("--out") + " ("
                + Format.count(descriptors) + " descriptors, " + Format.seconds(nanos) + ", "
                + encoder.implementationName() + " kernel)");
        return 0;
    }
}
