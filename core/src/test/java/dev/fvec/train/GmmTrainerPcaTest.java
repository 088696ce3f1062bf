package dev.fvec.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fvec.DiagonalGmm;
import dev.fvec.FisherEncoder;
import dev.fvec.GoldenCases;
import dev.fvec.Kernels;
import dev.fvec.Projection;
import dev.fvec.io.NpyArray;
import org.junit.jupiter.api.Test;

/** {@link GmmTrainer.Builder#pca}: the projection first, then EM in the projected space. */
class GmmTrainerPcaTest {

    @Test
    void fitsTheProjectionThenEmOnTheProjectedRows() {
        NpyArray x = GoldenCases.read("pca/pcafit_x.npy"); // 3000 x 40 SIFT-like rows
        int n = x.rows();
        int din = x.cols();
        for (boolean whiten : new boolean[] {false, true}) {
            GmmTrainer.Builder b = GmmTrainer.builder(4).seed(3).maxIterations(20).threads(1).kernel(Kernels.scalar());
            TrainingResult withPca = b.pca(12, whiten).build().fit(x.data(), n, din);
            DiagonalGmm model = withPca.model();
            assertEquals(12, model.dimension());
            assertEquals(din, model.inputDimension());
            Projection p = model.projection().orElseThrow();
            assertEquals(Pca.fit(x.data(), n, din, 12, whiten), p, "the projection is Pca.fit's");
            assertEquals(whiten, p.whiten());

            // The same mixture as EM on the reference projection of the rows (the scalar provider's).
            float[] y = new float[n * 12];
            p.project(x.data(), 0, n, y, 0);
            TrainingResult plain = b.pca(0, false).build().fit(y, n, 12);
            assertEquals(plain.model(), model.withProjection(null));
            assertEquals(plain.meanLogLikelihood(), withPca.meanLogLikelihood());

            // Its encoders take the raw rows.
            FisherEncoder e = FisherEncoder.builder(model).kernel(Kernels.scalar()).build();
            assertEquals(2 * 4 * 12, e.encode(x.data(), 10).length);
        }
    }

    @Test
    void whiteningGivesUnitVarianceDimensions() {
        NpyArray x = GoldenCases.read("pca/pcafit_x.npy");
        DiagonalGmm model = GmmTrainer.builder(1).maxIterations(3).threads(1).kernel(Kernels.scalar()).pca(5, true)
                .build().fit(x.data(), x.rows(), x.cols()).model();
        // One component: its variances are those of the whitened rows, 1 up to the N - 1 vs N divisor.
        for (int j = 0; j < 5; j++) {
            assertEquals(1.0, model.variance(0, j), 2e-3, "dimension " + j);
            assertEquals(0.0, model.mean(0, j), 1e-3, "dimension " + j);
        }
    }

    @Test
    void rejectsWhatItCannotDo() {
        float[] x = new float[4 * 100];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GmmTrainer.builder(2).pca(5, false).build().fit(x, 100, 4));
        assertTrue(e.getMessage().contains("PCA to D = 5 dimensions needs descriptors of at least as many"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GmmTrainer.builder(2).pca(-1, false));
        IllegalStateException s = assertThrows(IllegalStateException.class, () -> GmmTrainer.builder(2).pca(2, false)
                .build().fit((m, sp) -> null, 10, new double[] {1, 1, 1}, new float[30], 10));
        assertTrue(s.getMessage().contains("external E-step"), s.getMessage());
    }
}
