package dev.fvec.bench;

import dev.fvec.FisherEncoder;
import dev.fvec.Kernels;
import dev.fvec.SpatialEncoder;
import dev.fvec.SpatialModel;
import dev.fvec.Sparsity;
import dev.fvec.spi.KernelProvider;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The spatial layout's cost relative to one plain encode, measured interleaved: each round encodes
 * the same image plain, as the pyramid {@code 1x1,2x2,3x1}, with the spatial block, and with both,
 * one after the other, and the minimum over the rounds is kept for each. On a machine shared with
 * other work this ratio is steadier than separate JMH runs (whose absolute times move with the
 * load); {@link SpatialBench} is the JMH form of the same measurement.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.fvec.bench.SpatialCost [simd|scalar] [rounds]
 * </pre>
 */
public final class SpatialCost {

    private SpatialCost() {
    }

    public static void main(String[] args) {
        String kernel = args.length > 0 ? args[0] : "simd";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        Inputs in = Inputs.of("64x256x1000");
        KernelProvider kp = Kernels.byName(kernel);
        kp.warmUp();
        int n = in.n;
        float[] pos = new float[2 * n];
        SplittableRandom r = new SplittableRandom(15);
        for (int i = 0; i < n; i++) {
            pos[2 * i] = (float) (r.nextDouble() * SpatialBench.WIDTH);
            pos[2 * i + 1] = (float) (r.nextDouble() * SpatialBench.HEIGHT);
        }
        for (String t : new String[] {"1e-6", "0"}) {
            FisherEncoder plain = FisherEncoder.builder(in.model).improved()
                    .sparsity(Sparsity.threshold(Double.parseDouble(t))).kernel(kp).build();
            SpatialModel uniform = SpatialModel.uniform(in.k);
            SpatialEncoder[] encoders = {
                SpatialEncoder.builder(plain).pyramid("1x1,2x2,3x1").build(),
                SpatialEncoder.builder(plain).spatial(uniform).build(),
                SpatialEncoder.builder(plain).pyramid("1x1,2x2,3x1").spatial(uniform).build(),
            };
            float[] out = new float[encoders[2].length()];
            // VLFeat's apps' way: each cell's descriptors gathered and encoded from scratch (8 encodes).
            dev.fvec.PyramidLayout layout = dev.fvec.PyramidLayout.parse("1x1,2x2,3x1");
            float[][] cellX = new float[layout.cells()][];
            int[] cellN = new int[layout.cells()];
            for (int g = 0; g < layout.grids(); g++) {
                for (int i = 0; i < n; i++) {
                    cellN[layout.cellBase(g) + layout.cellInGrid(g, pos[2 * i], pos[2 * i + 1], SpatialBench.WIDTH,
                            SpatialBench.HEIGHT)]++;
                }
            }
            for (int c = 0; c < cellX.length; c++) {
                cellX[c] = new float[cellN[c] * in.d];
                cellN[c] = 0;
            }
            for (int g = 0; g < layout.grids(); g++) {
                for (int i = 0; i < n; i++) {
                    int c = layout.cellBase(g) + layout.cellInGrid(g, pos[2 * i], pos[2 * i + 1], SpatialBench.WIDTH,
                            SpatialBench.HEIGHT);
                    System.arraycopy(in.x, i * in.d, cellX[c], cellN[c]++ * in.d, in.d);
                }
            }
            long[] best = {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE};
            for (int round = 0; round < rounds; round++) {
                long t0 = System.nanoTime();
                plain.encode(in.x, 0, n, out, 0);
                best[0] = Math.min(best[0], System.nanoTime() - t0);
                for (int e = 0; e < encoders.length; e++) {
                    long s = System.nanoTime();
                    encoders[e].encode(in.x, 0, pos, 0, n, SpatialBench.WIDTH, SpatialBench.HEIGHT, out, 0);
                    best[e + 1] = Math.min(best[e + 1], System.nanoTime() - s);
                }
                long s = System.nanoTime();
                for (int c = 0; c < cellX.length; c++) {
                    plain.encode(cellX[c], 0, cellN[c], out, c * plain.length());
                }
                best[4] = Math.min(best[4], System.nanoTime() - s);
            }
            System.out.printf(Locale.ROOT, "%s D64 K256 N1000 vlfeat improved t=%s, min of %d rounds: plain %.0f us,"
                    + " pyramid 1x1,2x2,3x1 %.0f us (%.2fx), spatial %.0f us (%.2fx), both %.0f us (%.2fx);"
                    + " the pyramid as 8 encodes of the cells (VLFeat's apps) %.0f us (%.2fx)%n",
                    kernel, t, rounds, best[0] / 1e3, best[1] / 1e3, (double) best[1] / best[0], best[2] / 1e3,
                    (double) best[2] / best[0], best[3] / 1e3, (double) best[3] / best[0], best[4] / 1e3,
                    (double) best[4] / best[0]);
        }
    }
}
