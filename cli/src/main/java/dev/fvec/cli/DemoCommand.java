package dev.fvec.cli;

import dev.fvec.DiagonalGmm;
import dev.fvec.FisherEncoder;
import dev.fvec.GmmStatistics;
import dev.fvec.Kernels;
import dev.fvec.internal.SyntheticDescriptors;
import dev.fvec.spi.KernelProvider;
import dev.fvec.train.GmmTrainer;
import dev.fvec.train.TrainingResult;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fvec demo}: the whole job on seeded synthetic data, with the SIMD kernel checked against
 * the scalar reference. The report goes to stdout; progress to stderr.
 */
@Command(name = "demo", header = "train and encode a synthetic data set, check SIMD against scalar",
        customSynopsis = "fvec demo [--small] [--seed S]",
        description = {
            "",
            "Makes a seeded, descriptor-like synthetic data set, trains a GMM on it, encodes a batch of",
            "\"images\" with the SIMD kernel and with the scalar reference, checks that they agree, and",
            "prints what it did and how fast. Writes no files. Exits with 1 if the kernels disagree.",
        })
final class DemoCommand extends CommandBase {

    @Option(names = "--small", description = "a much smaller run (a second or two), for smoke tests")
    boolean small;

    @Option(names = "--seed", paramLabel = "S", converter = Converters.AnyLong.class,
            description = "seed of the data and of the training (default 42)")
    long seed = 42;

    DemoCommand(CommonOptions rootOptions, Main.Streams streams) {
        super(rootOptions, streams);
    }

    /**
     * Largest accepted {@code max_i |simd_i - scalar_i| / max_i |scalar_i|} over the unnormalised
     * vectors. The SIMD kernel computes log-likelihoods and statistics in float (relative rounding
     * ~1e-6 to 1e-5 for these sizes, see Tolerances.FLOAT_KERNEL in the core tests); 1e-4 leaves a
     * 10x margin and is still far below what a wrong formula or a lost descriptor does. The
     * normalised (improved) vectors are not compared element-wise: the square root amplifies any
     * rounding near zero, whichever kernel made it.
     */
    static final double TOLERANCE = 1e-4;

    /** The sizes of one run. */
    private static final class Size {
        final int d;
        final int clusters;
        final int trainRows;
        final int k;
        final int iterations;
        final int images;
        final int perImage;

        Size(int d, int clusters, int trainRows, int k, int iterations, int images, int perImage) {
            this.d = d;
            this.clusters = clusters;
            this.trainRows = trainRows;
            this.k = k;
            this.iterations = iterations;
            this.images = images;
            this.perImage = perImage;
        }
    }

    // About 10 s on two cores with the SIMD kernel (most of it the scalar encode, for comparison).
    private static final Size FULL = new Size(64, 48, 30_000, 128, 20, 100, 1000);
    private static final Size SMALL = new Size(16, 8, 2_000, 16, 5, 10, 200);

    /** The vectors and timing of one kernel over the batch. */
    private static final class Batch {
        final String kernel;
        final float[] improved;
        final float[] raw;
        long nanos;
        long keptTerms;

        Batch(String kernel, int images, int length) {
            this.kernel = kernel;
            this.improved = new float[images * length];
            this.raw = new float[images * length];
        }
    }

    @Override
    int run(Context ctx) throws CliException, IOException {
        Size size = small ? SMALL : FULL;
        PrintStream out = ctx.out;

        String simdMissing = ctx.simdUnavailableReason();
        KernelProvider kernel = ctx.kernel();
        out.println("fvec demo: seeded synthetic data, EM training, Fisher vectors, SIMD check");
        out.println("  Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + "), "
                + Runtime.getRuntime().availableProcessors() + " processors");
        out.println("  kernel: " + kernel.name() + (ctx.kernelForced() ? " (forced by --kernel)" : ""));
        if (simdMissing != null) {
            out.println("  SIMD kernel not available: " + SimdHint.explain(simdMissing));
        }

        // 1. Data: one draw, so the "images" come from the same distribution as the training set.
        long t0 = System.nanoTime();
        int imageRows = size.images * size.perImage;
        float[] all = SyntheticDescriptors.generate(seed, size.trainRows + imageRows, size.d, size.clusters);
        out.println();
        out.println("data:   " + Format.count(size.trainRows) + " training descriptors + " + size.images
                + " images x " + Format.count(size.perImage) + " descriptors, D = " + size.d + ", from "
                + size.clusters + " rotated anisotropic clusters (seed " + seed + "), made in "
                + Format.seconds(System.nanoTime() - t0));

        // 2. Training.
        GmmTrainer.Builder trainer = GmmTrainer.builder(size.k).seed(seed).maxIterations(size.iterations)
                .kernel(kernel);
        TrainingResult trained = TrainCommand.fit(trainer, size.iterations, ctx,
                t -> t.fit(all, size.trainRows, size.d));
        DiagonalGmm model = trained.model();
        out.println("train:  K = " + size.k + ", k-means++ init, " + TrainCommand.describe(trained) + ", "
                + kernel.name() + " kernel, " + Runtime.getRuntime().availableProcessors() + " threads");

        // 3. Encoding, with every available kernel: SIMD first, then the scalar reference.
        int offset = size.trainRows * size.d;
        Batch fast = null;
        if (simdMissing == null) {
            fast = encode(Kernels.byName("simd"), model, all, offset, size);
        }
        Batch reference = encode(Kernels.scalar(), model, all, offset, size);
        int length = reference.raw.length / size.images;
        out.println("encode: " + size.images + " images, vlfeat improved (power 0.5 + L2), threshold 1e-6, length "
                + Format.count(length) + "; posterior terms kept: "
                + Format.fixed((double) reference.keptTerms / imageRows, 2) + " per descriptor of K = " + size.k);
        for (Batch b : fast == null ? List.of(reference) : List.of(fast, reference)) {
            out.println(String.format(Locale.ROOT, "  %-6s  %9s per image  %7s images/s  %10s descriptors/s",
                    b.kernel, Format.fixed(b.nanos / 1e6 / size.images, 2) + " ms",
                    Format.fixed(size.images / (b.nanos / 1e9), 1),
                    Format.count(Math.round(imageRows / (b.nanos / 1e9)))));
        }

        // 4. The check.
        if (fast == null) {
            out.println("check:  skipped, the SIMD kernel is not available (see above)");
            return 0;
        }
        double speedUp = (double) reference.nanos / fast.nanos;
        out.println("  simd speed-up over scalar: " + Format.fixed(speedUp, 1) + "x" + speedUpNote(speedUp));
        double worst = maxRelativeDifference(fast.raw, reference.raw, size.images, length);
        boolean ok = worst <= TOLERANCE && fast.keptTerms > 0;
        out.println("check:  simd vs scalar, max_i |simd - scalar| / max_i |scalar| over each unnormalised vector: "
                + Format.sci(worst) + " (tolerance " + Format.sci(TOLERANCE) + "): " + (ok ? "OK" : "FAILED"));
        if (!ok) {
            throw new CliException("demo: the SIMD kernel disagrees with the scalar reference: max relative difference "
                    + Format.sci(worst) + " > " + Format.sci(TOLERANCE), null, CliException.CHECK_FAILED);
        }
        return 0;
    }

    /** Why a speed-up may be small: a tiny run times the JIT, not the kernels. */
    private String speedUpNote(double speedUp) {
        if (small) {
            return " (a run this small mostly times JIT compilation and warm-up, not the kernels; the full"
                    + " 'fvec demo' measures the speed-up)";
        }
        return speedUp < 1.5 ? " (lower than usual: other load on the machine or a JIT still compiling skews"
                + " short timings; run again on a quiet machine)" : "";
    }

    /**
     * Encodes a tenth of the images untimed (so the JIT has compiled the hot loop), then all of them
     * timed. The
     * statistics are accumulated once per image and turned into both the improved vector and the
     * raw one the check compares.
     */
    private static Batch encode(KernelProvider kernel, DiagonalGmm model, float[] x, int offset, Size size) {
        FisherEncoder improved = FisherEncoder.builder(model).improved().kernel(kernel).build();
        FisherEncoder raw = FisherEncoder.builder(model).kernel(kernel).build();
        int length = improved.length();
        Batch b = new Batch(kernel.name(), size.images, length);
        GmmStatistics stats = improved.newStatistics();
        for (int pass = 0; pass < 2; pass++) {
            long kept = 0;
            long start = System.nanoTime();
            // The warm-up pass: a tenth of the images is enough for C2 to compile the kernel.
            int images = pass == 0 ? Math.max(1, size.images / 10) : size.images;
            for (int i = 0; i < images; i++) {
                stats.reset();
                improved.accumulate(x, offset + i * size.perImage * size.d, size.perImage, stats);
                improved.encode(stats, b.improved, i * length);
                raw.encode(stats, b.raw, i * length);
                kept += stats.keptTerms();
            }
            b.nanos = System.nanoTime() - start;
            b.keptTerms = kept;
        }
        return b;
    }

    /** The largest, over the images, of {@code max_i |a_i - b_i| / max_i |b_i|}. */
    static double maxRelativeDifference(float[] a, float[] b, int images, int length) {
        double worst = 0;
        for (int img = 0; img < images; img++) {
            double diff = 0;
            double scale = 0;
            for (int i = img * length; i < (img + 1) * length; i++) {
                diff = Math.max(diff, Math.abs((double) a[i] - b[i]));
                scale = Math.max(scale, Math.abs((double) b[i]));
            }
            // NaN-safe: a NaN difference must fail the check, not pass it.
            double rel = scale == 0 ? diff : diff / scale;
            if (!(rel <= worst)) {
                worst = Double.isNaN(rel) ? Double.POSITIVE_INFINITY : rel;
            }
        }
        return worst;
    }
}
