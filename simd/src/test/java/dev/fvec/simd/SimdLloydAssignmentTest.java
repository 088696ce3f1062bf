package dev.fvec.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fvec.DiagonalGmm;
import dev.fvec.GmmStatistics;
import dev.fvec.Kernels;
import dev.fvec.Sparsity;
import dev.fvec.spi.StatisticsKernel;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The trainer's Lloyd iterations are hard-assignment passes of the kernel on a model with equal
 * weights and one variance everywhere (issue 12, item 3): on the SIMD kernel too, that assignment
 * is the nearest center, whenever the two nearest are not within float rounding of each other,
 * and exact ties go to the lowest index.
 */
class SimdLloydAssignmentTest {

    private static DiagonalGmm lloydModel(float[] centers, int k, int d, float v) {
        float[] weights = new float[k];
        Arrays.fill(weights, 1f / k);
        float[] variances = new float[k * d];
        Arrays.fill(variances, v);
        return DiagonalGmm.of(k, d, weights, centers, variances);
    }

    private static int assignment(StatisticsKernel kernel, DiagonalGmm model, float[] x, int i) {
        GmmStatistics stats = GmmStatistics.forModel(model);
        kernel.accumulate(x, i * model.dimension(), 1, stats);
        double[] s0 = stats.s0();
        for (int c = 0; c < s0.length; c++) {
            if (s0[c] == 1) {
                return c;
            }
        }
        throw new AssertionError("no component for descriptor " + i + ": " + Arrays.toString(s0));
    }

    @Test
    void hardAssignmentIsTheNearestCenter() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int[] shape : new int[][] {{64, 256}, {19, 17}, {5, 33}}) {
            int d = shape[0];
            int k = shape[1];
            int n = 400;
            float[] x = new float[n * d];
            float[] centers = new float[k * d];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (rnd.nextDouble() * 4 - 2);
            }
            for (int i = 0; i < centers.length; i++) {
                centers[i] = (float) (rnd.nextDouble() * 4 - 2);
            }
            DiagonalGmm model = lloydModel(centers, k, d, 1.3f);
            StatisticsKernel kernel = Kernels.byName("simd").create(model, Sparsity.hard());
            int checked = 0;
            for (int i = 0; i < n; i++) {
                double best = Double.POSITIVE_INFINITY;
                double second = Double.POSITIVE_INFINITY;
                int arg = -1;
                for (int c = 0; c < k; c++) {
                    double s = 0;
                    for (int j = 0; j < d; j++) {
                        double e = (double) x[i * d + j] - centers[c * d + j];
                        s += e * e;
                    }
                    if (s < best) {
                        second = best;
                        best = s;
                        arg = c;
                    } else if (s < second) {
                        second = s;
                    }
                }
                if (second - best > 1e-4 * best) { // clear of float rounding in the kernel
                    assertEquals(arg, assignment(kernel, model, x, i), "D " + d + ", K " + k + ", descriptor " + i);
                    checked++;
                }
            }
            assertTrue(checked > n * 9 / 10, "too few clear cases: " + checked);
        }
    }

    @Test
    void exactTiesGoToTheLowestIndex() {
        float[] centers = {10, 0, 10, 20};
        float[] x = {5, 15, 10};
        DiagonalGmm model = lloydModel(centers, 4, 1, 7f);
        StatisticsKernel kernel = Kernels.byName("simd").create(model, Sparsity.hard());
        for (int i = 0; i < 3; i++) {
            assertEquals(0, assignment(kernel, model, x, i), "x = " + x[i]);
        }
    }
}
