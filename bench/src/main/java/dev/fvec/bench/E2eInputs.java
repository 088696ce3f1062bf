package dev.fvec.bench;

import dev.fvec.DiagonalGmm;
import dev.fvec.internal.SyntheticDescriptors;
import dev.fvec.io.Npy;
import dev.fvec.io.Npz;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Writes the inputs of the end-to-end benchmark ({@code bench/e2e/run.sh}), the same bits on every
 * run and JVM: one seeded {@link SyntheticDescriptors} stream (D = 64, 256 anisotropic, rotated
 * clusters with a decaying spectrum, so descriptor-like rather than uniform noise) cut into
 * disjoint parts, in this order:
 *
 * <ol>
 *   <li>{@value #MODEL_ROWS} rows from which the encoding model is derived as in {@link Inputs}
 *       (K = 256 rows as means, half the data's per-dimension variance, uniform weights):
 *       {@code model.npz} (weights, means, covariances, as scikit-learn's export names them) and
 *       the same three arrays as {@code model/*.npy} for the C program;</li>
 *   <li>{@code --files} files of {@code --rows} descriptors each, {@code enc/f000.npy}, ...;</li>
 *   <li>{@code train-small.npy} ({@code --train-small} rows), {@code train-large.npy}
 *       ({@code --train-large} rows) and {@code heldout.npy} ({@code --heldout} rows), on which
 *       trained models are scored.</li>
 * </ol>
 *
 * All files are float32 {@code .npy}, {@code N x 64}.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.fvec.bench.E2eInputs --out DIR [--files 300] [--rows 1000]
 *      [--train-small 12000] [--train-large 100000] [--heldout 20000]
 * </pre>
 */
public final class E2eInputs {

    static final long SEED = 0xE2E_5EEDL;
    static final int D = 64;
    static final int K = 256;
    static final int CLUSTERS = 256;
    static final int MODEL_ROWS = 10_000;

    private E2eInputs() {
    }

    public static void main(String[] args) throws IOException {
        Path out = null;
        int files = 300;
        int rows = 1000;
        int trainSmall = 12_000;
        int trainLarge = 100_000;
        int heldout = 20_000;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i++]) {
                case "--out" -> out = Path.of(value);
                case "--files" -> files = positive(args[i - 1], value);
                case "--rows" -> rows = positive(args[i - 1], value);
                case "--train-small" -> trainSmall = positive(args[i - 1], value);
                case "--train-large" -> trainLarge = positive(args[i - 1], value);
                case "--heldout" -> heldout = positive(args[i - 1], value);
                default -> throw new IllegalArgumentException("unknown option " + args[i - 1]);
            }
        }
        if (out == null) {
            throw new IllegalArgumentException("--out DIR is required");
        }
        long total = (long) MODEL_ROWS + (long) files * rows + trainSmall + trainLarge + heldout;
        if (total > Integer.MAX_VALUE / D) {
            throw new IllegalArgumentException(total + " rows in all are too many for one array");
        }
        float[] all = SyntheticDescriptors.generate(SEED, (int) total, D, CLUSTERS);

        Files.createDirectories(out.resolve("model"));
        Files.createDirectories(out.resolve("enc"));
        DiagonalGmm model = Inputs.deriveModel(all, MODEL_ROWS, D, K, SEED);
        Npz.writeModel(out.resolve("model.npz"), model);
        Npy.write1d(out.resolve("model/weights.npy"), model.weights());
        Npy.write(out.resolve("model/means.npy"), model.means(), K, D);
        Npy.write(out.resolve("model/covariances.npy"), model.variances(), K, D);

        int row = MODEL_ROWS;
        for (int f = 0; f < files; f++) {
            write(out.resolve(String.format(Locale.ROOT, "enc/f%03d.npy", f)), all, row, rows);
            row += rows;
        }
        write(out.resolve("train-small.npy"), all, row, trainSmall);
        row += trainSmall;
        write(out.resolve("train-large.npy"), all, row, trainLarge);
        row += trainLarge;
        write(out.resolve("heldout.npy"), all, row, heldout);
        System.out.printf(Locale.ROOT, "wrote %s: model K = %d, %d files of %d x %d, train %d and %d rows, heldout %d%n",
                out, K, files, rows, D, trainSmall, trainLarge, heldout);
    }

    private static void write(Path file, float[] all, int firstRow, int rows) throws IOException {
        Npy.write(file, Arrays.copyOfRange(all, firstRow * D, (firstRow + rows) * D), rows, D);
    }

    private static int positive(String option, String value) {
        try {
            int v = Integer.parseInt(value);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " needs a positive integer, got '" + value + "'");
    }
}
