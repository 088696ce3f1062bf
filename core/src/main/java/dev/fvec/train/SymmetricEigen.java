package dev.fvec.train;

/**
 * Eigenvalues and eigenvectors of a real symmetric matrix by the cyclic Jacobi method (Golub and
 * Van Loan, "Matrix Computations", section 8.5): each rotation zeroes one off-diagonal pair, sweeps
 * visit every pair in row order, and the off-diagonal mass falls quadratically once it is small.
 * Slower than Householder + QL by a small constant factor, but short, robust, and accurate to
 * working precision for every eigenvalue, which PCA of a 128 x 128 covariance can afford (a few
 * milliseconds).
 */
final class SymmetricEigen {

    /** Sweeps after which it gives up; convergence takes 6 to 10 for the sizes PCA meets. */
    static final int MAX_SWEEPS = 100;

    /** Eigenvalues, descending. */
    final double[] values;
    /** Eigenvectors as rows, {@code vectors[r * n + i]}: row {@code r} belongs to {@code values[r]}. */
    final double[] vectors;
    final int sweeps;

    private SymmetricEigen(double[] values, double[] vectors, int sweeps) {
        this.values = values;
        this.vectors = vectors;
        this.sweeps = sweeps;
    }

    /**
     * Decomposes the symmetric {@code n x n} matrix {@code a} (row-major; only the upper triangle
     * is read, so a matrix filled only there is fine). {@code a} is not modified.
     *
     * @throws IllegalArgumentException if {@code a} is not {@code n x n} or holds NaN or infinity
     * @throws ArithmeticException if it does not converge in {@link #MAX_SWEEPS} sweeps
     */
    static SymmetricEigen of(double[] a, int n) {
        if (n < 1 || a.length != (long) n * n) {
            throw new IllegalArgumentException("a matrix of length " + a.length + " is not n x n for n = " + n);
        }
        double[] m = new double[n * n];
        double norm = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double v = a[i * n + j];
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("matrix element (" + i + ", " + j + ") = " + v + " is not finite");
                }
                m[i * n + j] = v;
                m[j * n + i] = v;
                norm += (i == j ? 1 : 2) * v * v;
            }
        }
        double[] v = new double[n * n]; // columns: the eigenvectors, accumulated rotations
        for (int i = 0; i < n; i++) {
            v[i * n + i] = 1;
        }
        // Stop when the off-diagonal mass is at rounding level of the whole matrix.
        double target = norm * 1e-30; // (1e-15 * ||A||_F)^2
        int sweep = 0;
        while (true) {
            double off = 0;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    off += 2 * m[p * n + q] * m[p * n + q];
                }
            }
            if (off <= target || off == 0) {
                break;
            }
            if (++sweep > MAX_SWEEPS) {
                throw new ArithmeticException("Jacobi eigensolver did not converge in " + MAX_SWEEPS
                        + " sweeps (off-diagonal mass " + off + " of " + norm + ")");
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    rotate(m, v, n, p, q);
                }
            }
        }
        // Sort descending by eigenvalue; eigenvectors become rows.
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(m[y * n + y], m[x * n + x]));
        double[] values = new double[n];
        double[] vectors = new double[n * n];
        for (int r = 0; r < n; r++) {
            int c = order[r];
            values[r] = m[c * n + c];
            for (int i = 0; i < n; i++) {
                vectors[r * n + i] = v[i * n + c];
            }
        }
        return new SymmetricEigen(values, vectors, sweep);
    }

    /**
     * One Jacobi rotation {@code J} in the plane {@code (p, q)}: {@code m <- J^T m J} with the angle
     * that zeroes {@code m[p][q]}, {@code v <- v J}. With {@code theta = (m_qq - m_pp) / (2 m_pq)},
     * {@code t = tan(phi)} is the smaller root of {@code t^2 + 2 theta t - 1 = 0}, so that
     * {@code |phi| <= pi/4} (the choice that makes the method converge).
     */
    private static void rotate(double[] m, double[] v, int n, int p, int q) {
        double apq = m[p * n + q];
        if (apq == 0) {
            return;
        }
        double app = m[p * n + p];
        double aqq = m[q * n + q];
        double theta = (aqq - app) / (2 * apq);
        double t = Math.abs(theta) > 1e150 ? 0.5 / theta
                : Math.copySign(1, theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        double c = 1 / Math.sqrt(t * t + 1);
        double s = t * c;
        for (int k = 0; k < n; k++) { // columns p and q: m J
            double mkp = m[k * n + p];
            double mkq = m[k * n + q];
            m[k * n + p] = c * mkp - s * mkq;
            m[k * n + q] = s * mkp + c * mkq;
        }
        for (int k = 0; k < n; k++) { // rows p and q: J^T (m J)
            double mpk = m[p * n + k];
            double mqk = m[q * n + k];
            m[p * n + k] = c * mpk - s * mqk;
            m[q * n + k] = s * mpk + c * mqk;
        }
        // Exactly zero what the rotation zeroes in exact arithmetic, and keep m symmetric.
        m[p * n + q] = 0;
        m[q * n + p] = 0;
        for (int k = 0; k < n; k++) { // v J
            double vkp = v[k * n + p];
            double vkq = v[k * n + q];
            v[k * n + p] = c * vkp - s * vkq;
            v[k * n + q] = s * vkp + c * vkq;
        }
    }
}
