package dev.fvec.train;

import dev.fvec.DiagonalGmm;
import dev.fvec.Kernels;
import dev.fvec.internal.SyntheticDescriptors;
import dev.fvec.TestModels;
import java.util.Locale;

/**
 * Issue 5, item 4 (a quick harness, not a benchmark: one warm-up, then a couple of timed runs):
 * 100 000 x 64 descriptors, K = 256, 10 EM iterations from a given initial model, with 1 and 2
 * threads. Targets: at most 2 s with one thread, 1.2 s with two. Not a test: run it by hand with
 * the SIMD kernel on the class path,
 *
 * <pre>
 * mvn -q -pl simd -am test-compile
 * java --add-modules jdk.incubator.vector \
 *     -cp core/target/classes:core/target/test-classes:simd/target/classes dev.fvec.train.TrainingTiming
 * </pre>
 *
 * Optional arguments: {@code N D K ITERATIONS REPEATS}.
 */
public final class TrainingTiming {

    private TrainingTiming() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int d = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int k = args.length > 2 ? Integer.parseInt(args[2]) : 256;
        int iterations = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        int repeats = args.length > 4 ? Integer.parseInt(args[4]) : 2;

        float[] x = SyntheticDescriptors.generate(2024, n, d, 2 * k);
        DiagonalGmm start = TestModels.fromData(x, n, d, k, 7, 1.0);
        System.out.printf(Locale.ROOT, "kernel %s, %d x %d, K = %d, %d iterations from a given model, %s, %d cores%n",
                Kernels.provider().name(), n, d, k, iterations, System.getProperty("java.vm.version"),
                Runtime.getRuntime().availableProcessors());

        // warm-up: both thread counts, a few iterations
        for (int threads = 1; threads <= 2; threads++) {
            trainer(k, start, 3, threads).build().fit(x, n, d);
        }
        for (int threads = 1; threads <= 2; threads++) {
            double[] seconds = new double[repeats];
            double[] iterationSeconds = new double[iterations];
            TrainingResult r = null;
            for (int rep = 0; rep < repeats; rep++) {
                long t0 = System.nanoTime();
                r = trainer(k, start, iterations, threads)
                        .progress((it, ll, elapsed) -> iterationSeconds[it - 1] = elapsed.toNanos() / 1e9)
                        .build().fit(x, n, d);
                seconds[rep] = (System.nanoTime() - t0) / 1e9;
            }
            System.out.printf(Locale.ROOT, "threads %d: runs %s s, mean log-likelihood %.4f after %d iterations,"
                    + " %d re-seedings; last run, elapsed at each E-step's end: %s%n", threads, format(seconds),
                    r.meanLogLikelihood(), r.iterations(), r.reseededComponents(), format(iterationSeconds));
        }
    }

    private static GmmTrainer.Builder trainer(int k, DiagonalGmm start, int iterations, int threads) {
        return GmmTrainer.builder(k).initialModel(start).maxIterations(iterations).tolerance(0).threads(threads);
    }

    private static String format(double[] seconds) {
        StringBuilder sb = new StringBuilder("[");
        for (double s : seconds) {
            sb.append(sb.length() > 1 ? ", " : "").append(String.format(Locale.ROOT, "%.2f", s));
        }
        return sb.append(']').toString();
    }
}
