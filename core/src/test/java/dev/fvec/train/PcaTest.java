package dev.fvec.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fvec.GoldenCases;
import dev.fvec.Projection;
import dev.fvec.io.NpyArray;
import org.junit.jupiter.api.Test;

/** {@link Pca#fit} against the mean, {@code eigh} of the covariance and its eigenvalues computed by NumPy. */
class PcaTest {

    @Test
    void matchesNumpyOnAFloat32DataSet() {
        NpyArray x = GoldenCases.read("pca/pcafit_x.npy");
        double[] mean = GoldenCases.readDoubles("pca/pcafit_mean.npy");
        double[] components = GoldenCases.readDoubles("pca/pcafit_components.npy");
        double[] variance = GoldenCases.readDoubles("pca/pcafit_variance.npy");
        int din = x.cols();
        int d = variance.length;
        Projection p = Pca.fit(x.data(), x.rows(), din, d, false);
        assertEquals(din, p.inputDimension());
        assertEquals(d, p.outputDimension());
        float[] gotMean = p.mean();
        for (int i = 0; i < din; i++) {
            assertEquals(mean[i], gotMean[i], 1e-6 * Math.abs(mean[i]) + 1e-5, "mean " + i); // one float rounding
        }
        float[] gotVariance = p.explainedVariance().orElseThrow();
        for (int r = 0; r < d; r++) {
            assertEquals(variance[r], gotVariance[r], 1e-6 * variance[0], "explained variance " + r);
        }
        float[] got = p.components();
        for (int r = 0; r < d; r++) {
            double dot = 0;
            for (int i = 0; i < din; i++) {
                dot += got[r * din + i] * components[r * din + i];
            }
            // Up to sign (SPEC.md); both sides apply the same rule, so a flip means a near-tie.
            double sign = Math.signum(dot);
            for (int i = 0; i < din; i++) {
                assertEquals(components[r * din + i], sign * got[r * din + i], 1e-5, "component " + r + "[" + i + "]");
            }
        }
    }

    @Test
    void signRuleMakesTheLargestEntryPositive() {
        // Rows along (1, -3): the only component is +-(1, -3)/sqrt(10); the rule picks (-1, 3)/sqrt(10).
        float[] x = {1, -3, -1, 3, 2, -6, -2, 6};
        Projection p = Pca.fit(x, 4, 2, 1, false);
        float[] c = p.components();
        assertTrue(c[1] > 0 && c[0] < 0, java.util.Arrays.toString(c));
        assertEquals(3 / Math.sqrt(10), c[1], 1e-7);
        assertEquals((1 + 9 + 1 + 9 + 4 + 36 + 4 + 36) / 3.0, p.explainedVariance().get()[0], 1e-4);
    }

    @Test
    void pastMaxRowsItFitsTheDocumentedEvenlySpacedSample() {
        int n = Pca.MAX_ROWS + 37_000;
        int din = 3;
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
        float[] x = new float[n * din];
        for (int r = 0; r < n; r++) {
            // The second half is shifted and stretched: a sample that missed it would see another covariance.
            double s = r < n / 2 ? 1 : 3;
            for (int i = 0; i < din; i++) {
                x[r * din + i] = (float) (s * rnd.nextGaussian() * (i + 1) + (r < n / 2 ? 0 : 2));
            }
        }
        float[] sample = new float[Pca.MAX_ROWS * din];
        for (int r = 0; r < Pca.MAX_ROWS; r++) {
            int row = (int) ((long) r * n / Pca.MAX_ROWS);
            System.arraycopy(x, row * din, sample, r * din, din);
        }
        assertEquals(Pca.fit(sample, Pca.MAX_ROWS, din, 2, true), Pca.fit(x, n, din, 2, true));
    }

    @Test
    void rejectsWhatItCannotFit() {
        assertMessage(() -> Pca.fit(new float[8], 4, 2, 3, false), "PCA from Din = 2 to D = 3 dimensions");
        assertMessage(() -> Pca.fit(new float[2], 1, 2, 1, false), "at least 2 descriptors");
        assertMessage(() -> Pca.fit(new float[] {1, 1, 2, 2, 3, 3}, 3, 2, 2, true), "cannot be whitened");
        assertMessage(() -> Pca.fit(new float[] {1, 1, Float.NaN, 2}, 2, 2, 1, false), "descriptor 1, dimension 0 = NaN");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), "message \"" + e.getMessage() + "\" lacks \"" + fragment + "\"");
    }
}
