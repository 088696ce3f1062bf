package dev.fvec.train;

import dev.fvec.Kernels;
import dev.fvec.internal.SyntheticDescriptors;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Locale;

/**
 * Issue 12, item 3 (a harness, not a benchmark): the cost of the k-means++ initialisation against
 * that of an EM iteration, as {@code fvec train} runs it: one cold {@code fit} per JVM, K-means++
 * then {@code ITERATIONS} EM iterations, and the elapsed time at the end of each E-step. The first
 * E-step ends after initialisation plus one E-step; later gaps are one iteration each. Run by hand:
 *
 * <pre>
 * mvn -q -pl simd -am test-compile
 * taskset -c 0 java --add-modules jdk.incubator.vector \
 *     -cp core/target/classes:core/target/test-classes:simd/target/classes dev.fvec.train.InitTiming
 * </pre>
 *
 * Arguments: {@code N D K ITERATIONS THREADS CLUSTERS} (defaults 100000 64 256 10 1 512).
 */
public final class InitTiming {

    private InitTiming() {
    }

    /** CPU seconds of the calling thread (a fairer clock than wall time on a shared machine). */
    private static double cpu() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1e9;
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int d = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int k = args.length > 2 ? Integer.parseInt(args[2]) : 256;
        int iterations = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        int clusters = args.length > 5 ? Integer.parseInt(args[5]) : 2 * k;
        float[] x = SyntheticDescriptors.generate(2024, n, d, clusters);
        double[] at = new double[iterations];
        StringBuilder phases = new StringBuilder();
        long t0 = System.nanoTime();
        double cpu0 = cpu();
        TrainingResult r = GmmTrainer.builder(k).maxIterations(iterations).tolerance(0).threads(threads)
                .progress(new ProgressListener() {
                    @Override
                    public void onIteration(int it, double ll, Duration elapsed) {
                        at[it - 1] = elapsed.toNanos() / 1e9;
                        phases.append(String.format(Locale.ROOT, " EM %d %.2f s (cpu %.2f s);", it,
                                elapsed.toNanos() / 1e9, cpu() - cpu0));
                    }

                    @Override
                    public void onInitialisation(String phase, int done, int total, Duration elapsed) {
                        phases.append(String.format(Locale.ROOT, " %s %d/%d %.2f s (cpu %.2f s);", phase, done, total,
                                elapsed.toNanos() / 1e9, cpu() - cpu0));
                    }
                })
                .build().fit(x, n, d);
        double total = (System.nanoTime() - t0) / 1e9;
        double perIteration = iterations > 1 ? (at[iterations - 1] - at[0]) / (iterations - 1) : Double.NaN;
        System.out.printf(Locale.ROOT, "kernel %s, %d x %d, K = %d, %d threads: fit %.2f s, first E-step ends at"
                + " %.2f s, later iterations %.3f s each, so initialisation ~ %.2f s; mean log-likelihood %.4f%n",
                Kernels.provider().name(), n, d, k, threads, total, at[0], perIteration, at[0] - perIteration,
                r.meanLogLikelihood());
        System.out.println("timeline:" + phases.toString().replace(";", ";\n "));
    }
}
