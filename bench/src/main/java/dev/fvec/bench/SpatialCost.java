package dev.fvec.bench;

import dev.fvec.FisherEncoder;
import dev.fvec.Kernels;
import dev.fvec.PyramidLayout;
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
 * <p>Then, separately (interleaved, its calls of varied sizes would change what the JIT makes of the
 * kernel for the others), VLFeat's apps' way: the descriptors of each of the 8 cells gathered and
 * encoded on their own.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.fvec.bench.SpatialCost [simd|scalar] [rounds]
 * </pre>
 */
public final class SpatialCost {

    private static final String[] THRESHOLDS = {"1e-6", "0"};

    private SpatialCost() {
    }

    public static void main(String[] args) {
        String kernel = args.length > 0 ? args[0] : "simd";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        Inputs in = Inputs.of("64x256x1000");
        KernelProvider kp = Kernels.byName(kernel);
        kp.warmUp();
        int n = in.n;
        int w = SpatialBench.WIDTH;
        int h = SpatialBench.HEIGHT;
        float[] pos = new float[2 * n];
        SplittableRandom r = new SplittableRandom(15);
        for (int i = 0; i < n; i++) {
            pos[2 * i] = (float) (r.nextDouble() * w);
            pos[2 * i + 1] = (float) (r.nextDouble() * h);
        }
        long[][] best = new long[THRESHOLDS.length][5];
        FisherEncoder[] plains = new FisherEncoder[THRESHOLDS.length];
        for (int ti = 0; ti < THRESHOLDS.length; ti++) {
            FisherEncoder plain = FisherEncoder.builder(in.model).improved()
                    .sparsity(Sparsity.threshold(Double.parseDouble(THRESHOLDS[ti]))).kernel(kp).build();
            plains[ti] = plain;
            SpatialModel uniform = SpatialModel.uniform(in.k);
            SpatialEncoder[] encoders = {
                SpatialEncoder.builder(plain).pyramid("1x1,2x2,3x1").build(),
                SpatialEncoder.builder(plain).spatial(uniform).build(),
                SpatialEncoder.builder(plain).pyramid("1x1,2x2,3x1").spatial(uniform).build(),
            };
            float[] out = new float[encoders[2].length()];
            java.util.Arrays.fill(best[ti], Long.MAX_VALUE);
            for (int round = 0; round < rounds; round++) {
                long t0 = System.nanoTime();
                plain.encode(in.x, 0, n, out, 0);
                best[ti][0] = Math.min(best[ti][0], System.nanoTime() - t0);
                for (int e = 0; e < encoders.length; e++) {
                    long s = System.nanoTime();
                    encoders[e].encode(in.x, 0, pos, 0, n, w, h, out, 0);
                    best[ti][e + 1] = Math.min(best[ti][e + 1], System.nanoTime() - s);
                }
            }
        }
        // VLFeat's apps' way, after the rest: the cells' descriptors gathered, then 8 plain encodes.
        PyramidLayout layout = PyramidLayout.parse("1x1,2x2,3x1");
        float[][] cellX = new float[layout.cells()][];
        int[] cellN = new int[layout.cells()];
        for (int pass = 0; pass < 2; pass++) {
            for (int g = 0; g < layout.grids(); g++) {
                for (int i = 0; i < n; i++) {
                    int c = layout.cellBase(g) + layout.cellInGrid(g, pos[2 * i], pos[2 * i + 1], w, h);
                    if (pass == 1) {
                        System.arraycopy(in.x, i * in.d, cellX[c], cellN[c] * in.d, in.d);
                    }
                    cellN[c]++;
                }
            }
            for (int c = 0; pass == 0 && c < cellX.length; c++) {
                cellX[c] = new float[cellN[c] * in.d];
            }
            if (pass == 0) {
                java.util.Arrays.fill(cellN, 0);
            }
        }
        for (int ti = 0; ti < THRESHOLDS.length; ti++) {
            float[] out = new float[layout.cells() * plains[ti].length()];
            for (int round = 0; round < rounds; round++) {
                long s = System.nanoTime();
                for (int c = 0; c < cellX.length; c++) {
                    plains[ti].encode(cellX[c], 0, cellN[c], out, c * plains[ti].length());
                }
                best[ti][4] = Math.min(best[ti][4], System.nanoTime() - s);
            }
        }
        for (int ti = 0; ti < THRESHOLDS.length; ti++) {
            long[] b = best[ti];
            System.out.printf(Locale.ROOT, "%s D64 K256 N1000 vlfeat improved t=%s, min of %d rounds: plain %.0f us,"
                    + " pyramid 1x1,2x2,3x1 %.0f us (%.2fx), spatial %.0f us (%.2fx), both %.0f us (%.2fx);"
                    + " the pyramid as 8 encodes of the cells (VLFeat's apps) %.0f us (%.2fx)%n",
                    kernel, THRESHOLDS[ti], rounds, b[0] / 1e3, b[1] / 1e3, (double) b[1] / b[0], b[2] / 1e3,
                    (double) b[2] / b[0], b[3] / 1e3, (double) b[3] / b[0], b[4] / 1e3, (double) b[4] / b[0]);
        }
    }
}
