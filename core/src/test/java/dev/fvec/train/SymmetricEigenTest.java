package dev.fvec.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fvec.GoldenCases;
import org.junit.jupiter.api.Test;

/** {@link SymmetricEigen} against NumPy's {@code eigh} (fixtures of core/src/test/python/make_pca_fixtures.py). */
class SymmetricEigenTest {

    @Test
    void matchesNumpyEighOnASmallIndefiniteMatrix() {
        check("small", 9, 1e-12);
    }

    @Test
    void matchesNumpyEighOnTheCovarianceOfSiftLikeRows() {
        check("sift128", 128, 1e-9);
    }

    /**
     * Eigenvalues within {@code 1e-12} of the largest magnitude (Jacobi and LAPACK both reach
     * working precision); eigenvectors up to sign, within {@code tol / gap}, where {@code gap} is the
     * distance to the nearest other eigenvalue relative to the largest (the conditioning of an
     * eigenvector; the fixtures' smallest relative gaps are about 1e-4).
     */
    private static void check(String name, int n, double tol) {
        double[] a = GoldenCases.readDoubles("pca/eigh_" + name + "_matrix.npy");
        double[] values = GoldenCases.readDoubles("pca/eigh_" + name + "_values.npy");
        double[] vectors = GoldenCases.readDoubles("pca/eigh_" + name + "_vectors.npy");
        SymmetricEigen e = SymmetricEigen.of(a, n);
        double scale = Math.max(Math.abs(values[0]), Math.abs(values[n - 1]));
        for (int r = 0; r < n; r++) {
            assertEquals(values[r], e.values[r], 1e-12 * scale, "eigenvalue " + r);
        }
        for (int r = 0; r < n; r++) {
            double gap = Double.POSITIVE_INFINITY;
            for (int s = 0; s < n; s++) {
                if (s != r) {
                    gap = Math.min(gap, Math.abs(values[s] - values[r]) / scale);
                }
            }
            double dot = 0;
            for (int i = 0; i < n; i++) {
                dot += vectors[r * n + i] * e.vectors[r * n + i];
            }
            double sign = Math.signum(dot);
            double bound = tol / Math.max(gap, 1e-300);
            for (int i = 0; i < n; i++) {
                double got = sign * e.vectors[r * n + i];
                assertTrue(Math.abs(got - vectors[r * n + i]) <= Math.min(bound, 1e-3),
                        name + ": eigenvector " + r + "[" + i + "] = " + got + ", numpy " + vectors[r * n + i]
                                + " (relative gap " + gap + ")");
            }
        }
    }

    @Test
    void diagonalAndOneByOneMatricesAreTheirOwnDecomposition() {
        SymmetricEigen e = SymmetricEigen.of(new double[] {2, 0, 0, 0, 5, 0, 0, 0, 3}, 3);
        assertEquals(0, e.sweeps);
        assertEquals(5, e.values[0]);
        assertEquals(3, e.values[1]);
        assertEquals(2, e.values[2]);
        assertEquals(1.0, Math.abs(e.vectors[0 * 3 + 1]));
        assertEquals(7, SymmetricEigen.of(new double[] {7}, 1).values[0]);
    }

    @Test
    void rejectsNonFiniteAndBadShapes() {
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[3], 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SymmetricEigen.of(new double[] {1, Double.NaN, 0, 1}, 2));
        assertTrue(e.getMessage().contains("(0, 1) = NaN"), e.getMessage());
    }
}
