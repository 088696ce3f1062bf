package dev.fvec.simd;

import dev.fvec.DiagonalGmm;
import dev.fvec.FisherEncoder;
import dev.fvec.FisherForm;
import dev.fvec.Kernels;
import dev.fvec.Sparsity;
import dev.fvec.internal.SyntheticDescriptors;
import dev.fvec.TestModels;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * A throwaway harness (not a test): in a fresh JVM, optionally calls {@link Kernels#warmUp()} and
 * reports its cost (wall, process CPU, heap), then times the first 100 encodes of 1000 x 64
 * descriptors against K = 256 (improved VLFEAT, t = 1e-6) and 400 more, and prints the first call,
 * the p99 of the first 100 and the steady-state median (of the last 200). Run with
 * {@code java --add-modules jdk.incubator.vector -cp ... dev.fvec.simd.WarmUpHarness [warm|cold]}.
 */
public final class WarmUpHarness {

    private WarmUpHarness() {
    }

    public static void main(String[] args) {
        boolean warm = args.length == 0 || args[0].equals("warm");
        int d = 64;
        int k = 256;
        int n = 1000;
        float[] x = SyntheticDescriptors.generate(42, n, d, 32);
        DiagonalGmm model = TestModels.fromData(x, n, d, k, 7, 0.5);
        FisherEncoder enc = FisherEncoder.builder(model).form(FisherForm.VLFEAT).improved()
                .sparsity(Sparsity.threshold(1e-6)).build();
        float[] out = new float[enc.length()];
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Runtime rt = Runtime.getRuntime();
        if (warm) {
            // Let the JIT finish compiling the set-up code (the test model's training), so that its
            // work is not counted as the warm-up's.
            try {
                Thread.sleep(Long.getLong("fvec.harness.settle", 1000));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            System.gc();
            long jit0 = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
            long garbage0 = ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
            long cpu0 = os.getProcessCpuTime();
            long heap0 = rt.totalMemory() - rt.freeMemory();
            long t0 = System.nanoTime();
            Kernels.warmUp();
            long t1 = System.nanoTime();
            long cpu1 = os.getProcessCpuTime();
            long jit1 = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
            long garbage = ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes() - garbage0;
            long committed = rt.totalMemory();
            System.gc();
            long heap1 = rt.totalMemory() - rt.freeMemory();
            System.out.printf("warmUp: %.0f ms wall, %.0f ms process CPU (JIT compiling %d ms), allocated %.0f MB (heap committed %.0f MB), retained heap +%.1f MB, %d rounds (%.0f ms in the warm-up loop)%n",
                    (t1 - t0) / 1e6, (cpu1 - cpu0) / 1e6, jit1 - jit0, garbage / 1e6, committed / 1e6, (heap1 - heap0) / 1e6, VectorWarmUp.rounds,
                    VectorWarmUp.spentNanos / 1e6);
        }
        int total = 500;
        double[] ms = new double[total];
        double[] cpuMs = new double[total];
        com.sun.management.ThreadMXBean tb = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long a0 = tb.getThreadAllocatedBytes(tid);
        long a100 = 0;
        for (int i = 0; i < total; i++) {
            long c0 = tb.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            enc.encode(x, 0, n, out, 0);
            ms[i] = (System.nanoTime() - t0) / 1e6;
            cpuMs[i] = (tb.getCurrentThreadCpuTime() - c0) / 1e6;
            if (i < 100 && Boolean.getBoolean("fvec.harness.slow")) {
                System.out.println("call " + i + " done");
            }
            if (i == 99) {
                a100 = tb.getThreadAllocatedBytes(tid) - a0;
            }
        }
        long aRest = tb.getThreadAllocatedBytes(tid) - a0 - a100;
        System.out.printf("allocated: %d B in the first 100 calls, %d B in the next 400%n", a100, aRest);
        if (Boolean.getBoolean("fvec.harness.slow")) {
            for (int i = 0; i < 100; i++) {
                if (ms[i] > 2 * ms[total - 1]) {
                    System.out.printf("slow call %d: %.2f ms%n", i, ms[i]);
                }
            }
        }
        double[] first100 = Arrays.copyOf(ms, 100);
        Arrays.sort(first100);
        double[] steady = Arrays.copyOfRange(ms, total - 200, total);
        Arrays.sort(steady);
        double median = steady[100];
        System.out.printf("%s: first %.2f ms, calls 2-5 %.2f %.2f %.2f %.2f ms, p99(first 100) %.2f ms, steady median %.3f ms;"
                        + " first/median %.1f, p99/median %.1f; vector lanes warm: %s%n",
                Kernels.provider(), ms[0], ms[1], ms[2], ms[3], ms[4], first100[98], median, ms[0] / median,
                first100[98] / median, VectorWarmUp.isWarm());
        double[] cpuFirst100 = Arrays.copyOf(cpuMs, 100);
        Arrays.sort(cpuFirst100);
        double[] cpuSteady = Arrays.copyOfRange(cpuMs, total - 200, total);
        Arrays.sort(cpuSteady);
        System.out.printf("thread CPU: first %.2f ms, p99(first 100) %.2f ms, steady median %.3f ms; first/median %.1f, p99/median %.1f%n",
                cpuMs[0], cpuFirst100[98], cpuSteady[100], cpuMs[0] / cpuSteady[100], cpuFirst100[98] / cpuSteady[100]);
    }
}
