package dev.fvec.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fvec.spi.CellRows;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The pyramid cells' rows in Vector API lanes ({@link VectorCellRows}) give bitwise what their twin,
 * {@code CellRows.scalar(LANES)}, gives: every output and the sum of squares, at the width this JVM
 * runs ({@code -Dfvec.simd.bits}), for rows shorter and longer than the lanes, with and without the
 * square root, with zeros of both signs, tiny and huge values.
 */
class CellRowsTwinTest {

    @Test
    void lanesAreBitwiseTheTwin() {
        SplittableRandom r = new SplittableRandom(1515);
        CellRows vector = new VectorCellRows();
        CellRows twin = CellRows.scalar(VectorCellRows.LANES);
        int[] dims = {1, 2, 3, VectorCellRows.LANES - 1, VectorCellRows.LANES, VectorCellRows.LANES + 1, 13, 24, 64, 70, 130};
        for (int trial = 0; trial < 3000; trial++) {
            int d = dims[r.nextInt(dims.length)];
            int k = 1 + r.nextInt(3);
            int kd = k * d;
            double[] s1 = values(r, kd);
            double[] s2 = values(r, kd);
            double[] mu = values(r, kd);
            double[] c = values(r, kd);
            double[] us = values(r, kd);
            double[] vs = values(r, kd);
            if (trial % 7 == 0) {
                java.util.Arrays.fill(s1, 0); // u = (0 - s0 mu) * scale; with mu = 0 a signed zero
                java.util.Arrays.fill(mu, 0);
            }
            int at = r.nextInt(k) * d;
            double invN = 1.0 / (1 + r.nextInt(1000));
            double s0k = trial % 5 == 0 ? 0 : r.nextDouble();
            double vZero = r.nextBoolean() ? 0.0 : -0.0;
            boolean root = r.nextBoolean();
            double[] a = new double[2 * kd + 3];
            double[] b = new double[2 * kd + 3];
            int uAt = 1 + r.nextInt(2);
            int vAt = uAt + kd;
            double sa = vector.row(s1, s2, at, d, invN, s0k, mu, c, us, vs, vZero, root, a, uAt, vAt);
            double sb = twin.row(s1, s2, at, d, invN, s0k, mu, c, us, vs, vZero, root, b, uAt, vAt);
            String what = "trial " + trial + " d=" + d + " root=" + root;
            assertEquals(Double.doubleToRawLongBits(sb), Double.doubleToRawLongBits(sa), what + ": sum " + sa + " vs " + sb);
            for (int i = 0; i < a.length; i++) {
                assertEquals(Double.doubleToRawLongBits(b[i]), Double.doubleToRawLongBits(a[i]), what + ": element " + i);
            }
        }
    }

    private static double[] values(SplittableRandom r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(8)) {
                case 0:
                    v[i] = 0.0;
                    break;
                case 1:
                    v[i] = -0.0;
                    break;
                case 2:
                    v[i] = r.nextGaussian() * 1e-300;
                    break;
                case 3:
                    v[i] = r.nextGaussian() * 1e150;
                    break;
                default:
                    v[i] = r.nextGaussian() * 10;
                    break;
            }
        }
        return v;
    }
}
