package dev.fvec.train;

import dev.fvec.internal.SyntheticDescriptors;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Issue 12, item 3 (a harness, not a test): held-out mean log-likelihood per descriptor and CPU
 * seconds of {@code fit} with the k-means++ initialisation, over several seeds, on
 * {@link dev.fvec.internal.SyntheticDescriptors} data with {@code CLUSTERS} underlying clusters (far more
 * than K gives many overlapping clusters, the hard case). Used to choose the seeding's sample size
 * and attempts by measurement. Run by hand (see {@link InitTiming} for the class path):
 * {@code java ... dev.fvec.train.InitQuality N_TRAIN N_TEST D K CLUSTERS ITERATIONS SEEDS}.
 */
public final class InitQuality {

    private InitQuality() {
    }

    public static void main(String[] args) {
        int nTrain = Integer.parseInt(args[0]);
        int nTest = Integer.parseInt(args[1]);
        int d = Integer.parseInt(args[2]);
        int k = Integer.parseInt(args[3]);
        int clusters = Integer.parseInt(args[4]);
        int iterations = Integer.parseInt(args[5]);
        int seeds = Integer.parseInt(args[6]);
        int lloyd = args.length > 7 ? Integer.parseInt(args[7]) : GmmTrainer.DEFAULT_KMEANS_ITERATIONS;
        double sum = 0;
        double sumSq = 0;
        double cpuSum = 0;
        StringBuilder each = new StringBuilder();
        for (int s = 1; s <= seeds; s++) {
            float[][] split = QualityData.split(100 + s, nTrain, nTest, d, clusters);
            double cpu0 = cpu();
            TrainingResult r = GmmTrainer.builder(k).seed(s).threads(1).maxIterations(iterations).kmeansIterations(lloyd).build()
                    .fit(split[0], nTrain, d);
            double cpu = cpu() - cpu0;
            double ll = GmmTrainerTest.meanLogLikelihood(r.model(), split[1], nTest);
            sum += ll;
            sumSq += ll * ll;
            cpuSum += cpu;
            each.append(String.format(Locale.ROOT, " %.4f (%d it, %.2f s)", ll, r.iterations(), cpu));
        }
        double mean = sum / seeds;
        double sd = Math.sqrt(Math.max(0, sumSq / seeds - mean * mean));
        System.out.printf(Locale.ROOT, "%d x %d, K %d, clusters %d, max %d iterations, %d Lloyd: held-out mean %.4f (sd %.4f),"
                + " cpu %.2f s per fit;%s%n", nTrain, d, k, clusters, iterations, lloyd, mean, sd, cpuSum / seeds, each);
    }

    private static double cpu() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1e9;
    }
}
