package dev.fvec.simd;

import dev.fvec.DiagonalGmm;
import dev.fvec.GmmStatistics;
import dev.fvec.GoldenCases;
import dev.fvec.Sparsity;
import dev.fvec.TestModels;
import dev.fvec.internal.SyntheticDescriptors;
import dev.fvec.io.NpyArray;

/**
 * A throwaway timing harness (not JMH, not a test): the steady-state cost of one
 * {@code accumulate} of N descriptors on the twin and on the vector lanes, golden case a
 * (D64 K256 N1000) and synthetic 64 x 256 x 1000. Run with
 * {@code java --add-modules jdk.incubator.vector -cp ... dev.fvec.simd.TwinTiming [reps [twin|vector|both] [golden|synthetic|both] [t]]}.
 */
public final class TwinTiming {

    static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    private TwinTiming() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("cold")) {
            cold(Integer.parseInt(args[1]));
            return;
        }
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        String which = args.length > 1 ? args[1] : "both";
        String inputs = args.length > 2 ? args[2] : "both";
        double t = args.length > 3 ? Double.parseDouble(args[3]) : 1e-6;
        Sparsity sp = t < 0 ? Sparsity.hard() : Sparsity.threshold(t);
        if (!inputs.equals("synthetic")) {
            DiagonalGmm model = GoldenCases.model("a_D64_K256_N1000");
            NpyArray x = GoldenCases.descriptors("a_D64_K256_N1000");
            run("golden", model, x.data(), x.rows(), sp, reps, which);
        }
        if (!inputs.equals("golden")) {
            int n = 1000;
            int d = 64;
            float[] x = SyntheticDescriptors.generate(42, n, d, 32);
            DiagonalGmm model = TestModels.fromData(x, n, d, 256, 7, 0.5);
            run("synthetic", model, x, n, sp, reps, which);
        }
    }

    /**
     * A short job from a fresh JVM: {@code calls} accumulates of 1000 x 64 synthetic descriptors
     * (a new set per call, as files are) against K = 256 on the twin, t = 1e-6; prints the process
     * CPU time (the JIT's threads included) and the wall time of the calls.
     */
    static void cold(int calls) {
        long cpu0 = processCpu();
        long t0 = System.nanoTime();
        int n = 1000;
        int d = 64;
        float[] x = SyntheticDescriptors.generate(42, n * 8, d, 32);
        DiagonalGmm model = TestModels.fromData(x, n, d, 256, 7, 0.5);
        SimdKernel k = SimdKernel.twin(model, Sparsity.threshold(1e-6));
        GmmStatistics stats = new GmmStatistics(256, d);
        long cpu1 = processCpu();
        long t1 = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            stats.reset();
            k.accumulate(x, (i % 8) * n * d, n, stats);
        }
        long cpu2 = processCpu();
        long t2 = System.nanoTime();
        System.out.printf("cold %d calls: process CPU %.0f ms, wall %.0f ms (set-up %.0f ms CPU)%n", calls,
                (cpu2 - cpu1) / 1e6, (t2 - t1) / 1e6, (cpu1 - cpu0) / 1e6);
    }

    static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static void run(String name, DiagonalGmm model, float[] x, int n, Sparsity sp, int reps, String which) {
        for (String w : new String[] {"twin", "vector"}) {
            if (!which.equals("both") && !which.equals(w)) {
                continue;
            }
            SimdKernel k = w.equals("twin") ? SimdKernel.twin(model, sp) : SimdKernel.vector(model, sp);
            GmmStatistics stats = new GmmStatistics(model.components(), model.dimension());
            for (int i = 0; i < reps; i++) {
                stats.reset();
                k.accumulate(x, 0, n, stats);
            }
            double best = Double.MAX_VALUE;
            for (int round = 0; round < 7; round++) {
                long t0 = CPU.getCurrentThreadCpuTime();
                for (int i = 0; i < reps; i++) {
                    stats.reset();
                    k.accumulate(x, 0, n, stats);
                }
                best = Math.min(best, (CPU.getCurrentThreadCpuTime() - t0) / 1e6 / reps);
            }
            System.out.printf("%s %s %s: %.3f ms/accumulate (thread CPU, best of 7 rounds of %d)%n", name, sp, w, best, reps);
        }
    }
}
