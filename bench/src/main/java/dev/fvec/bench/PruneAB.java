package dev.fvec.bench;

import dev.fvec.GmmStatistics;
import dev.fvec.simd.KernelProbe;
import dev.fvec.spi.StatisticsKernel;

/**
 * A/B timing of the statistics kernel with seeded pruning off and on, interleaved in one JVM (the
 * machine is shared: alternation in the same seconds, then the minimum of each side's blocks).
 * Not a JMH benchmark: a quick probe for layout decisions; JMH's EncodeBench gives the figures.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.fvec.bench.PruneAB \
 *     64x256x1000 vlfeat-improved-t1e-6 [vector|twin|ll] [rounds]
 * </pre>
 * {@code ll}: the log-likelihood passes alone (vector lanes); {@code -Dpruneab.aa=true}: both sides
 * unpruned (an A/A check of the probe). Prints the allocation of one call per side, then the
 * figures.
 */
public final class PruneAB {

    private PruneAB() {
    }

    static float sink;

    static void run(StatisticsKernel k, Inputs in, GmmStatistics s, boolean llOnly) {
        if (llOnly) {
            sink += KernelProbe.logLikelihoodsOnly(k, in.x, in.n);
        } else {
            k.accumulate(in.x, 0, in.n, s);
        }
    }

    public static void main(String[] args) {
        Inputs in = Inputs.of(args[0]);
        Variant v = Variant.parse(args[1]);
        boolean twin = args.length > 2 && args[2].equals("twin");
        boolean llOnly = args.length > 2 && args[2].equals("ll");
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        StatisticsKernel off = KernelProbe.kernel(in.model, v.sparsity, twin, false);
        StatisticsKernel on = KernelProbe.kernel(in.model, v.sparsity, twin, !Boolean.getBoolean("pruneab.aa"));
        GmmStatistics s = GmmStatistics.forModel(in.model);
        // Warm-up by time (C2 compiles late on a loaded machine): both sides, 10 s.
        for (long end = System.nanoTime() + 6_000_000_000L; System.nanoTime() < end; ) {
            run(off, in, s, llOnly);
            run(on, in, s, llOnly);
            s.reset();
        }
        int calls = 3;
        long prunedBefore = KernelProbe.prunedGroups(on);
        double bestOff = Double.MAX_VALUE;
        double bestOn = Double.MAX_VALUE;
        double[] offs = new double[rounds];
        double[] ons = new double[rounds];
        for (int r = 0; r < rounds + 20; r++) {
            // ABBA: each side first in every other round.
            StatisticsKernel first = r % 2 == 0 ? off : on;
            StatisticsKernel second = r % 2 == 0 ? on : off;
            long t0 = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                run(first, in, s, llOnly);
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                run(second, in, s, llOnly);
            }
            long t2 = System.nanoTime();
            s.reset();
            if (r >= 20) {
                double a = (t1 - t0) / 1e3 / calls;
                double b = (t2 - t1) / 1e3 / calls;
                offs[r - 20] = r % 2 == 0 ? a : b;
                ons[r - 20] = r % 2 == 0 ? b : a;
                bestOff = Math.min(bestOff, offs[r - 20]);
                bestOn = Math.min(bestOn, ons[r - 20]);
            }
        }
        long pruned = KernelProbe.prunedGroups(on) - prunedBefore;
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long a0 = mx.getThreadAllocatedBytes(id);
        run(off, in, s, llOnly);
        long a1 = mx.getThreadAllocatedBytes(id);
        run(on, in, s, llOnly);
        long a2 = mx.getThreadAllocatedBytes(id);
        System.out.printf("allocated per call: off %d B, on %d B%n", a1 - a0, a2 - a1);
        java.util.Arrays.sort(offs);
        java.util.Arrays.sort(ons);
        KernelProbe shape = new KernelProbe(in.model, "vector");
        long groups = in.n / KernelProbe.block() * KernelProbe.block() * (long) (shape.kpad() / shape.lanes());
        System.out.printf("%s %s %s %d-bit: off min %.1f med %.1f us, on min %.1f med %.1f us (on/off min %.3f med %.3f); skipped %.1f%% of the (descriptor, group) pairs%n",
                args[0], args[1], llOnly ? "ll-only" : twin ? "twin" : "vector", KernelProbe.bits(), bestOff, offs[rounds / 2], bestOn, ons[rounds / 2],
                bestOn / bestOff, ons[rounds / 2] / offs[rounds / 2],
                100.0 * pruned / ((rounds + 20) * (double) calls * groups));
    }
}
