package dev.fvec.train;

import dev.fvec.io.Npy;
import dev.fvec.io.NpyArray;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Issue 12, item 3 (a harness, not a test): held-out mean log-likelihood per descriptor and CPU
 * seconds of {@code fit} with the defaults, seeds {@code 0 .. SEEDS-1}, on a training and a
 * held-out {@code .npy} file (the end-to-end benchmark's {@code train-small.npy} and
 * {@code heldout.npy}, say). In-process, so many seeds are cheap: at K = 64 one run's held-out score
 * moves by 1-2 nats with the seed, so a mean needs dozens of them. Run by hand (see
 * {@link InitTiming} for the class path):
 * {@code java [-Dpca=D] [-DfirstSeed=S] ... dev.fvec.train.NpyQuality TRAIN.npy HELDOUT.npy K SEEDS
 * [LLOYD_ITERATIONS]} ({@code -Dpca=64}: {@code fvec train --pca 64}, scored through the model's projection).
 */
public final class NpyQuality {

    private NpyQuality() {
    }

    public static void main(String[] args) throws IOException {
        NpyArray train = Npy.read(Path.of(args[0]));
        NpyArray test = Npy.read(Path.of(args[1]));
        int k = Integer.parseInt(args[2]);
        int seeds = Integer.parseInt(args[3]);
        int lloyd = args.length > 4 ? Integer.parseInt(args[4]) : GmmTrainer.DEFAULT_KMEANS_ITERATIONS;
        int pca = Integer.getInteger("pca", 0);
        int firstSeed = Integer.getInteger("firstSeed", 0);
        int d = train.shape()[1];
        int n = train.shape()[0];
        int nTest = test.shape()[0];
        double sum = 0;
        double sumSq = 0;
        double cpuSum = 0;
        int itSum = 0;
        StringBuilder each = new StringBuilder();
        for (int s = firstSeed; s < firstSeed + seeds; s++) {
            double cpu0 = cpu();
            TrainingResult r = GmmTrainer.builder(k).seed(s).threads(1).kmeansIterations(lloyd).pca(pca, false).build()
                    .fit(train.data(), n, d);
            double cpu = cpu() - cpu0;
            dev.fvec.DiagonalGmm model = r.model();
            float[] scored = test.data();
            if (model.projection().isPresent()) {
                scored = new float[nTest * model.dimension()];
                model.projection().get().project(test.data(), 0, nTest, scored, 0);
                model = dev.fvec.DiagonalGmm.of(k, model.dimension(), model.weights(), model.means(), model.variances());
            }
            double ll = GmmTrainerTest.meanLogLikelihood(model, scored, nTest);
            sum += ll;
            sumSq += ll * ll;
            cpuSum += cpu;
            itSum += r.iterations();
            each.append(String.format(Locale.ROOT, " %.3f", ll));
        }
        double mean = sum / seeds;
        double sd = Math.sqrt(Math.max(0, (sumSq - seeds * mean * mean) / (seeds - 1)));
        System.out.printf(Locale.ROOT, "%s, K %d, %d seeds, %d Lloyd: held-out mean %.4f (sd %.3f, se %.3f),"
                + " EM iterations %.1f, cpu %.3f s per fit;%s%n", args[0], k, seeds, lloyd, mean, sd,
                sd / Math.sqrt(seeds), (double) itSum / seeds, cpuSum / seeds, each);
    }

    private static double cpu() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1e9;
    }
}
