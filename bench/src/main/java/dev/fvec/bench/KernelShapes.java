package dev.fvec.bench;

import dev.fvec.simd.KernelProbe;

/**
 * Probe of the pruning continuation's rate ({@link KernelProbe#prunedStages}): the unpruned block
 * pass ({@code logLikelihoodsBlock}) against {@code partialBlock} to {@code D / 4},
 * {@code continueMasked} to {@code D} with the first {@code n} descriptors of the block in every
 * group (8: as much arithmetic as the pass; 4: half of it, 4 chains; 1: one useful descriptor per
 * group) and {@code finishBlock}; min over 300 rounds after 100 of warm-up. Not API.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.fvec.bench.KernelShapes 64x256x1000 8
 * </pre>
 */
public final class KernelShapes {
    private KernelShapes() {
    }

    public static void main(String[] args) {
        Inputs in = Inputs.of(args[0]);
        int perGroup = Integer.parseInt(args[1]); // descriptors continued per group
        KernelProbe probe = new KernelProbe(in.model, "vector");
        double bestA = 1e30;
        double bestB = 1e30;
        float sink = 0;
        for (int r = 0; r < 400; r++) {
            long t0 = System.nanoTime();
            sink += probe.logLikelihoods(in.x, in.n);
            long t1 = System.nanoTime();
            sink += probe.prunedStages(in.x, in.n, perGroup);
            long t2 = System.nanoTime();
            if (r > 100) {
                bestA = Math.min(bestA, (t1 - t0) / 1e3);
                bestB = Math.min(bestB, (t2 - t1) / 1e3);
            }
        }
        System.out.printf("%s: pass %.1f us, partial + masked(%d per group) + finish %.1f us (%s)%n", args[0], bestA, perGroup, bestB, sink);
    }
}
