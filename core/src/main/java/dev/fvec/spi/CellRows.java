package dev.fvec.spi;

/**
 * One component's rows of a spatial-pyramid cell's vector (SPEC.md, "Fisher-vector forms" and
 * "Spatial layout"), the arithmetic a pyramid repeats for every cell. {@code SpatialEncoder} asks
 * the kernel's provider for one ({@link KernelProvider#createCellRows()}) so that a vector kernel can
 * do it in its lanes. For {@code j < d}, with {@code i = at + j}:
 *
 * <pre>
 *   m1 = s1[i] * invN;   m2 = s2[i] * invN
 *   u  = (m1 - s0k * mu[i]) * uScale[i]
 *   v  = ((m2 - (2 * mu[i]) * m1) + c[i] * s0k) * vScale[i] + vZero
 *   if root:  u = copySign(sqrt(|u|), u);  v = copySign(sqrt(|v|), v)
 *   fv[uAt + j] = u;  fv[vAt + j] = v
 * </pre>
 *
 * each operation rounded as written (no fused multiply-add), and returns the sum of {@code u^2 + v^2}
 * over the row, added in an order of the implementation's choosing that is the same on every call.
 *
 * <p>Not thread-safe (an implementation may keep scratch space): one per thread.
 */
public interface CellRows {

    /**
     * Computes one row pair (see the interface comment).
     *
     * @param s1 the cell's {@code S1}
     * @param s2 the cell's {@code S2}
     * @param at index of the component's first value in {@code s1}, {@code s2}, {@code mu}, {@code c}
     *     and the scales
     * @param d the row length
     * @param invN {@code 1 / N} of the cell
     * @param s0k {@code S0_k / N}
     * @param mu means
     * @param c {@code mu^2 - var}
     * @param uScale the factor of {@code u}
     * @param vScale the factor of {@code v}
     * @param vZero added to {@code v} ({@code +0.0} or {@code -0.0}: the sign of a zero)
     * @param root whether to take signed square roots (power normalisation 0.5)
     * @param fv the output
     * @param uAt where {@code u}'s row starts in {@code fv}
     * @param vAt where {@code v}'s row starts in {@code fv}
     * @return the sum of squares of the row's {@code 2d} outputs
     */
    double row(double[] s1, double[] s2, int at, int d, double invN, double s0k, double[] mu, double[] c,
            double[] uScale, double[] vScale, double vZero, boolean root, double[] fv, int uAt, int vAt);

    /**
     * The plain Java rows: lanes of {@code lanes} partial sums of squares, added in lane order, then
     * the row's tail (its last {@code d mod lanes} values, summed in order); a vector kernel of that
     * many lanes can give the same bits.
     *
     * @param lanes the number of partial sums, {@code >= 1}
     * @return a new instance
     */
    static CellRows scalar(int lanes) {
        return new ScalarCellRows(lanes);
    }
}
