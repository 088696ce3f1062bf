package dev.fvec.simd;

import dev.fvec.DiagonalGmm;
import dev.fvec.FisherEncoder;
import dev.fvec.FisherForm;
import dev.fvec.Kernels;
import dev.fvec.Sparsity;
import dev.fvec.internal.SyntheticDescriptors;
import dev.fvec.TestModels;
import dev.fvec.spi.KernelProvider;
import java.lang.management.ManagementFactory;

/**
 * A throwaway timing harness (not JMH, not a test): warms up, then times one-thread encodes of the
 * improved VLFEAT form with t = 1e-6 for the scalar and the simd kernel. Run with
 * {@code java --add-modules jdk.incubator.vector -cp ... dev.fvec.simd.QuickTiming [reps [shape index]]}.
 */
public final class QuickTiming {

    private QuickTiming() {
    }

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        System.out.println("simd provider: " + KernelProvider.installed("simd") + "; java " + System.getProperty("java.version"));
        int[][] shapes = {{64, 256, 1000}, {128, 64, 2000}, {64, 1024, 1000}};
        for (int i = 0; i < shapes.length; i++) {
            if (args.length < 2 || Integer.parseInt(args[1]) == i) {
                run(shapes[i][0], shapes[i][1], shapes[i][2], reps);
            }
        }
    }

    static void run(int d, int k, int n, int reps) {
        float[] x = SyntheticDescriptors.generate(42, n, d, 32);
        DiagonalGmm model = TestModels.fromData(x, n, d, k, 7, 0.5);
        float[] out = new float[FisherForm.VLFEAT.length(k, d)];
        double scalarMs = time(Kernels.scalar(), model, x, n, out, Math.max(3, reps / 20), false);
        double simdMs = time(Kernels.byName("simd"), model, x, n, out, reps, true);
        System.out.printf("D=%d K=%d N=%d  scalar %.3f ms  simd %.3f ms  speed-up %.1fx%n",
                d, k, n, scalarMs, simdMs, scalarMs / simdMs);
    }

    static double time(KernelProvider p, DiagonalGmm model, float[] x, int n, float[] out, int reps, boolean alloc) {
        FisherEncoder enc = FisherEncoder.builder(model).kernel(p).form(FisherForm.VLFEAT).improved()
                .sparsity(Sparsity.threshold(1e-6)).build();
        for (int i = 0; i < reps; i++) { // warm-up
            enc.encode(x, 0, n, out, 0);
        }
        com.sun.management.ThreadMXBean tb = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        double best = Double.MAX_VALUE;
        long bytes = 0;
        for (int round = 0; round < 5; round++) {
            long a0 = tb.getThreadAllocatedBytes(tid);
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                enc.encode(x, 0, n, out, 0);
            }
            long t1 = System.nanoTime();
            bytes = tb.getThreadAllocatedBytes(tid) - a0;
            best = Math.min(best, (t1 - t0) / 1e6 / reps);
        }
        if (alloc) {
            System.out.printf("  %s: best of 5 rounds of %d: %.3f ms/encode, %d B/encode allocated%n", p.name(), reps, best, bytes / reps);
        }
        return best;
    }
}
