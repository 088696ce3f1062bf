package dev.fvec.simd;

import dev.fvec.DiagonalGmm;
import dev.fvec.GmmStatistics;
import dev.fvec.Sparsity;
import dev.fvec.StatisticsKernel;
import dev.fvec.SyntheticDescriptors;

/** Throwaway: kernel-only time per sparsity, and kept terms per descriptor. */
public final class QuickBreakdown {
    private QuickBreakdown() {
    }

    public static void main(String[] args) {
        int d = Integer.parseInt(args[0]);
        int k = Integer.parseInt(args[1]);
        int n = Integer.parseInt(args[2]);
        float[] x = SyntheticDescriptors.generate(42, n, d, 32);
        DiagonalGmm model = QuickTiming.model(x, n, d, k, 7);
        for (Sparsity s : new Sparsity[] {Sparsity.hard(), Sparsity.threshold(1e-6), Sparsity.none(), Sparsity.hard(), Sparsity.threshold(1e-6)}) {
            StatisticsKernel kern = new SimdKernel(model, s);
            GmmStatistics st = GmmStatistics.forModel(model);
            int reps = 200;
            double best = 1e9;
            com.sun.management.ThreadMXBean tb = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            long bytes = 0;
            for (int r = 0; r < 6; r++) {
                long a0 = tb.getThreadAllocatedBytes(Thread.currentThread().getId());
                long t0 = System.nanoTime();
                for (int i = 0; i < reps; i++) {
                    st.reset();
                    kern.accumulate(x, 0, n, st);
                }
                best = Math.min(best, (System.nanoTime() - t0) / 1e6 / reps);
                bytes = (tb.getThreadAllocatedBytes(Thread.currentThread().getId()) - a0) / reps;
            }
            System.out.printf("%s: %.3f ms, kept/desc %.2f, %d B/call%n", s, best, (double) st.keptTerms() / n, bytes);
        }
    }
}
