package dev.fvec.simd;

import dev.fvec.spi.CellRows;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link CellRows} in Vector API lanes of doubles at the kernel's width (512 bits: 8 lanes): the
 * pyramid cells' rows. Each lane computes exactly what {@link CellRows#scalar(int)} computes for its
 * elements (lane-wise IEEE operations, no fused multiply-add, the sign copied bit for bit) and keeps
 * its own partial sum of squares, added in lane order at the end, then the tail in order: so
 * {@code CellRows.scalar(LANES)}, the twin, gives the same bits, and {@link Rows} serves calls on the
 * twin until the kernel's vector code is compiled.
 *
 * <p>Not thread-safe (scratch for the lanes' sums).
 */
final class VectorCellRows implements CellRows {

    static final VectorSpecies<Double> SPECIES =
            VectorSpecies.of(double.class, VectorShape.forBitSize(VectorLanes.SPECIES.vectorBitSize()));
    static final int LANES = SPECIES.length();
    private static final long SIGN = 0x8000_0000_0000_0000L;

    private final double[] sums = new double[LANES];

    @Override
    public double row(double[] s1, double[] s2, int at, int d, double invN, double s0k, double[] mu, double[] c,
            double[] uScale, double[] vScale, double vZero, boolean root, double[] fv, int uAt, int vAt) {
        VectorSpecies<Double> sp = SPECIES;
        DoubleVector n = DoubleVector.broadcast(sp, invN);
        DoubleVector s0 = DoubleVector.broadcast(sp, s0k);
        DoubleVector zero = DoubleVector.broadcast(sp, vZero);
        DoubleVector acc = DoubleVector.zero(sp);
        int main = d - d % LANES;
        int j = 0;
        for (; j < main; j += LANES) {
            int i = at + j;
            DoubleVector m1 = DoubleVector.fromArray(sp, s1, i).mul(n);
            DoubleVector m2 = DoubleVector.fromArray(sp, s2, i).mul(n);
            DoubleVector m = DoubleVector.fromArray(sp, mu, i);
            DoubleVector u = m1.sub(s0.mul(m)).mul(DoubleVector.fromArray(sp, uScale, i));
            DoubleVector v = m2.sub(m.mul(2.0).mul(m1)).add(DoubleVector.fromArray(sp, c, i).mul(s0))
                    .mul(DoubleVector.fromArray(sp, vScale, i)).add(zero);
            if (root) {
                u = signedRoot(u);
                v = signedRoot(v);
            }
            u.intoArray(fv, uAt + j);
            v.intoArray(fv, vAt + j);
            acc = acc.add(u.mul(u));
            acc = acc.add(v.mul(v));
        }
        double tail = 0;
        for (; j < d; j++) {
            int i = at + j;
            double m1 = s1[i] * invN;
            double m2 = s2[i] * invN;
            double m = mu[i];
            double u = (m1 - s0k * m) * uScale[i];
            double v = ((m2 - (2 * m) * m1) + c[i] * s0k) * vScale[i] + vZero;
            if (root) {
                u = Math.copySign(Math.sqrt(Math.abs(u)), u);
                v = Math.copySign(Math.sqrt(Math.abs(v)), v);
            }
            fv[uAt + j] = u;
            fv[vAt + j] = v;
            tail = tail + u * u;
            tail = tail + v * v;
        }
        acc.intoArray(sums, 0);
        double sum = 0;
        for (int l = 0; l < LANES; l++) {
            sum += sums[l];
        }
        return sum + tail;
    }

    /** {@code copySign(sqrt(|z|), z)} per lane: the root's sign bit is 0, so OR-ing in z's sign bit copies it. */
    private static DoubleVector signedRoot(DoubleVector z) {
        DoubleVector r = z.abs().sqrt();
        return r.reinterpretAsLongs().or(z.reinterpretAsLongs().and(SIGN)).reinterpretAsDoubles();
    }

    /**
     * The rows an encoder of the SIMD kernel uses: the twin ({@code CellRows.scalar(LANES)}) until
     * the kernel's vector code is compiled, then the lanes; bitwise the same either way.
     */
    static final class Rows implements CellRows {
        private final CellRows twin = CellRows.scalar(LANES);
        private VectorCellRows vector; // made on first use after the warm-up

        @Override
        public double row(double[] s1, double[] s2, int at, int d, double invN, double s0k, double[] mu, double[] c,
                double[] uScale, double[] vScale, double vZero, boolean root, double[] fv, int uAt, int vAt) {
            if (!VectorWarmUp.isWarm()) {
                return twin.row(s1, s2, at, d, invN, s0k, mu, c, uScale, vScale, vZero, root, fv, uAt, vAt);
            }
            if (vector == null) {
                vector = new VectorCellRows();
            }
            return vector.row(s1, s2, at, d, invN, s0k, mu, c, uScale, vScale, vZero, root, fv, uAt, vAt);
        }
    }
}
