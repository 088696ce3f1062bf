package dev.fvec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link Projection}'s validation and maths, and how a {@link DiagonalGmm} carries one. */
class ProjectionTest {

    private static final float[] MEAN = {1, 2, 3};
    private static final float[] COMPONENTS = {1, 0, 0, 0, 0.6f, 0.8f}; // D x Din = 2 x 3
    private static final float[] VARIANCE = {4, 0.25f};

    @Test
    void projectsAsSpecSays() {
        float[] x = {2, 4, 6, 1, 2, 3}; // two descriptors
        float[] y = new float[4];
        Projection.of(MEAN, COMPONENTS, VARIANCE, false).project(x, 0, 2, y, 0);
        // (x - mean) = (1, 2, 3): y = (1, 0.6 * 2 + 0.8 * 3); then 0.
        assertEquals(1f, y[0]);
        assertEquals((float) (0.6f * 2.0 + 0.8f * 3.0), y[1]);
        assertEquals(0f, y[2]);
        assertEquals(0f, y[3]);
        Projection.of(MEAN, COMPONENTS, VARIANCE, true).project(x, 0, 1, y, 0);
        assertEquals(0.5f, y[0]); // 1 / sqrt(4)
        assertEquals((float) ((0.6f * 2.0 + 0.8f * 3.0) * 2), y[1]); // / sqrt(0.25)
    }

    @Test
    void transposedWeightsFoldTheWhitening() {
        float[] w = Projection.of(MEAN, COMPONENTS, VARIANCE, true).transposedWeights(); // Din x D
        assertEquals(0.5f, w[0]);
        assertEquals(0f, w[1]);
        assertEquals((float) (0.6f * 2.0), w[3]);
        assertEquals((float) (0.8f * 2.0), w[5]);
    }

    @Test
    void rejectsBadShapesAndValuesNamingThem() {
        assertMessage(() -> Projection.of(MEAN, new float[5], null, false),
                "pca_components has length 5, which is not D x Din for Din = 3");
        assertMessage(() -> Projection.of(MEAN, COMPONENTS, new float[] {1, 2, 3}, false),
                "pca_explained_variance has length 3, expected D = 2 (the rows of pca_components, 2 x 3)");
        assertMessage(() -> Projection.of(MEAN, COMPONENTS, null, true),
                "pca_whiten is true but pca_explained_variance is absent");
        assertMessage(() -> Projection.of(MEAN, COMPONENTS, new float[] {4, 0}, true),
                "pca_explained_variance[1] = 0.0: whitening divides by its square root, so it must be > 0");
        assertMessage(() -> Projection.of(MEAN, COMPONENTS, new float[] {-1, 0}, false),
                "pca_explained_variance[0] = -1.0");
        assertMessage(() -> Projection.of(new float[] {1, Float.POSITIVE_INFINITY, 3}, COMPONENTS, null, false),
                "pca_mean[1] = Infinity");
        assertMessage(() -> Projection.of(2, 3, new float[2], new float[6], null, false),
                "a projection from Din = 2 to D = 3 dimensions: PCA keeps at most Din components");
    }

    @Test
    void aModelCarriesItAndReportsBothDimensions() {
        DiagonalGmm gmm = DiagonalGmm.of(new float[] {0.5f, 0.5f}, new float[] {0, 1, 2, 3}, new float[] {1, 1, 1, 1});
        Projection p = Projection.of(MEAN, COMPONENTS, VARIANCE, false);
        DiagonalGmm m = gmm.withProjection(p);
        assertEquals(3, m.inputDimension());
        assertEquals(2, m.dimension());
        assertEquals(p, m.projection().orElseThrow());
        assertEquals("DiagonalGmm[K=2, D=2, PCA Din=3 -> D=2]", m.toString());
        assertNotEquals(gmm, m);
        assertEquals(gmm, m.withProjection(null));
        assertEquals(m, gmm.withProjection(Projection.of(MEAN, COMPONENTS, VARIANCE, false)));
        assertTrue(gmm.projection().isEmpty());

        DiagonalGmm wide = DiagonalGmm.of(new float[] {1}, new float[] {0, 0, 0}, new float[] {1, 1, 1});
        assertMessage(() -> wide.withProjection(p),
                "the projection gives D = 2 dimensions (pca_components 2 x 3) but the mixture has D = 3 (means 1 x 3)");
    }

    @Test
    void encoderTakesInputDimensionColumnsAndSaysSo() {
        DiagonalGmm m = DiagonalGmm.of(new float[] {0.5f, 0.5f}, new float[] {0, 1, 2, 3}, new float[] {1, 1, 1, 1})
                .withProjection(Projection.of(MEAN, COMPONENTS, VARIANCE, false));
        FisherEncoder e = FisherEncoder.builder(m).kernel(Kernels.scalar()).build();
        assertEquals(2 * 2 * 2, e.length());
        e.encode(new float[6], 2); // two descriptors of Din = 3
        // Both dimensions named: "D = 3" alone read as the mixture's D, which is 2.
        String tooShort = "x has length 5, too short for 2 descriptors of Din = 3 (the model's PCA projects them to D = 2)";
        assertMessage(() -> e.encode(new float[5], 2), tooShort);
        assertMessage(() -> new SpatialFit(m).add(new float[5], new float[4], 2, 10, 10), tooShort);
        assertMessage(() -> SpatialEncoder.builder(e).pyramid("1x1").build().encode(new float[5], new float[4], 2, 10, 10),
                tooShort);
        float[] huge = {3e38f, 3e38f, 3e38f};
        assertMessage(() -> e.encode(huge, 1), "descriptor 0 projects to Infinity in dimension 1 of D = 2");
    }

    @Test
    void nonFiniteInputIsNamedAtItsOwnIndexThroughTheProjection() {
        DiagonalGmm model = PcaGolden.model("sift_D32_K8_whiten");
        float[] clean = PcaGolden.descriptors("sift_D32_K8_whiten").data();
        int din = model.inputDimension();
        int n = clean.length / din;
        assertTrue(n > ProjectingKernel.BLOCK, "the case spans two of the projection's blocks");
        FisherEncoder e = FisherEncoder.builder(model).kernel(Kernels.scalar()).improved().build();
        float[] want = e.encode(clean, n);
        float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        int[] at = {0, ProjectingKernel.BLOCK - 1, ProjectingKernel.BLOCK, n - 1};
        for (int i : at) {
            float v = bad[i % bad.length];
            int j = i % din;
            float[] x = clean.clone();
            x[i * din + j] = v;
            assertMessage(() -> e.encode(x, n), "x[" + (i * din + j) + "] = " + v + " (descriptor " + i + ", dimension " + j + ")");
            assertArrayEquals(want, e.encode(clean, n), "after " + v + " in descriptor " + i);
        }
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), "message \"" + e.getMessage() + "\" lacks \"" + fragment + "\"");
    }
}
