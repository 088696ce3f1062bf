package dev.fvec.simd;

import dev.fvec.bench.Inputs;

/**
 * Probe of the pruning continuation's rate: the unpruned block pass ({@code logLikelihoodsBlock})
 * against {@code partialBlock} to {@code D / 4}, {@code continueMasked} to {@code D} with the
 * first {@code n} descriptors of the block in every group (8: the same work as the pass; 4: half
 * of the continuation, 4 chains; 1: a quarter of... one useful chain of 4 padded) and
 * {@code finishBlock}; min over 300 rounds after 100 of warm-up. Not API.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.fvec.simd.KernelShapes 64x256x1000 8
 * </pre>
 */
public final class KernelShapes {
    public static void main(String[] args) {
        Inputs in = Inputs.of(args[0]);
        int masksPerGroup = Integer.parseInt(args[1]); // bits set per group
        PackedModel m = new PackedModel(in.model, VectorLanes.LANES);
        VectorLanes v = VectorLanes.INSTANCE;
        int kpad = m.kpad;
        int d = m.d;
        float[] lp = new float[(SimdKernel.BLOCK + 1) * kpad];
        float[] maxes = new float[SimdKernel.BLOCK];
        float[] xc = new float[(SimdKernel.BLOCK + 1) * d];
        int groups = kpad / m.lanes;
        int[] masks = new int[groups];
        java.util.Arrays.fill(masks, (1 << masksPerGroup) - 1);
        int blocks = in.n / SimdKernel.BLOCK;
        double bestA = 1e30;
        double bestB = 1e30;
        float sink = 0;
        for (int r = 0; r < 400; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < blocks; i++) {
                for (int b = 0; b < SimdKernel.BLOCK; b++) {
                    m.centre(in.x, (i * SimdKernel.BLOCK + b) * d, xc, b * d);
                }
                v.logLikelihoodsBlock(m, xc, lp, maxes);
                sink += maxes[0];
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < blocks; i++) {
                for (int b = 0; b < SimdKernel.BLOCK; b++) {
                    m.centre(in.x, (i * SimdKernel.BLOCK + b) * d, xc, b * d);
                }
                v.partialBlock(m, xc, d / 4, lp);
                v.continueMasked(m, xc, d / 4, d, lp, masks);
                v.finishBlock(m, lp, maxes, null);
                sink += maxes[0];
            }
            long t2 = System.nanoTime();
            if (r > 100) {
                bestA = Math.min(bestA, (t1 - t0) / 1e3);
                bestB = Math.min(bestB, (t2 - t1) / 1e3);
            }
        }
        System.out.printf("%s: pass %.1f us, partial + masked(%d per group) + finish %.1f us (%s)%n", args[0], bestA, masksPerGroup, bestB, sink);
    }
}
