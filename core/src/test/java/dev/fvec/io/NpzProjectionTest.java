package dev.fvec.io;

import static dev.fvec.io.NpyTest.assertMessage;
import static dev.fvec.io.TestFiles.dict;
import static dev.fvec.io.TestFiles.golden;
import static dev.fvec.io.TestFiles.npy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fvec.DiagonalGmm;
import dev.fvec.Projection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optional {@code pca_*} keys of a model archive (SPEC.md, "Files"). */
class NpzProjectionTest {

    private static final float[] WEIGHTS = {0.25f, 0.75f};
    private static final float[] MEANS = {0, 1, 2, 3}; // K = 2, D = 2
    private static final float[] VARIANCES = {1, 2, 3, 4};
    private static final float[] PCA_MEAN = {1, 2, 3}; // Din = 3
    private static final float[] PCA_COMPONENTS = {1, 0, 0, 0, 0.6f, 0.8f}; // D x Din = 2 x 3
    private static final float[] PCA_VARIANCE = {4, 0.25f};

    @TempDir
    Path dir;

    @Test
    void readsAModelExportedFromScikitLearn() throws IOException {
        // numpy.savez of PCA(32) + GaussianMixture(8) float64 attributes, pca_whiten a 0-d bool.
        DiagonalGmm plain = Npz.readModel(golden("pca/sift_D32_K8/model.npz"));
        DiagonalGmm whitened = Npz.readModel(golden("pca/sift_D32_K8_whiten/model.npz"));
        for (DiagonalGmm m : new DiagonalGmm[] {plain, whitened}) {
            assertEquals(8, m.components());
            assertEquals(32, m.dimension());
            assertEquals(128, m.inputDimension());
            Projection p = m.projection().orElseThrow();
            assertEquals(128, p.inputDimension());
            assertEquals(32, p.outputDimension());
            assertTrue(p.explainedVariance().isPresent());
        }
        assertFalse(plain.projection().get().whiten());
        assertTrue(whitened.projection().get().whiten());
        assertEquals("DiagonalGmm[K=8, D=32, PCA Din=128 -> D=32, whitened]", whitened.toString());
    }

    @Test
    void aModelWithoutPcaKeysHasNoProjection() throws IOException {
        DiagonalGmm m = Npz.readModel(golden("d_D5_K3_N7/model.npz"));
        assertTrue(m.projection().isEmpty());
        assertEquals(m.dimension(), m.inputDimension());
    }

    @Test
    void writeThenReadGivesTheSameModel() throws IOException {
        for (boolean whiten : new boolean[] {false, true}) {
            DiagonalGmm m = DiagonalGmm.of(WEIGHTS, MEANS, VARIANCES)
                    .withProjection(Projection.of(PCA_MEAN, PCA_COMPONENTS, PCA_VARIANCE, whiten));
            Path file = dir.resolve("m" + whiten + ".npz");
            Npz.writeModel(file, m);
            DiagonalGmm back = Npz.readModel(file);
            assertEquals(m, back);
            assertEquals(whiten, back.projection().get().whiten());
            assertArrayEquals(PCA_COMPONENTS, back.projection().get().components());
        }
        DiagonalGmm noVariance = DiagonalGmm.of(WEIGHTS, MEANS, VARIANCES)
                .withProjection(Projection.of(PCA_MEAN, PCA_COMPONENTS, null, false));
        Npz.writeModel(dir.resolve("nv.npz"), noVariance);
        assertEquals(noVariance, Npz.readModel(dir.resolve("nv.npz")));
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(dir.resolve("nv.npz").toFile())) {
            assertTrue(zip.getEntry("pca_components.npy") != null);
            assertTrue(zip.getEntry("pca_explained_variance.npy") == null);
        }
    }

    @Test
    void readsWhitenFlagsOfEveryIntegerWidthAndBoth() throws IOException {
        assertWhiten(npy(1, dict("|b1", "()"), new byte[] {1}), true);
        assertWhiten(npy(1, dict("|b1", "()"), new byte[] {0}), false);
        assertWhiten(npy(1, dict("<i8", "()"), le(8, 1)), true);
        assertWhiten(npy(1, dict("<i4", "()"), le(4, 0)), false);
        assertWhiten(npy(1, dict(">i2", "()"), new byte[] {0, 1}), true);
        assertWhiten(npy(1, dict("|u1", "()"), new byte[] {1}), true);
    }

    private void assertWhiten(byte[] flag, boolean expected) throws IOException {
        Path file = withPca("flag.npz", Npy.toBytes(new int[] {3}, PCA_MEAN),
                Npy.toBytes(new int[] {2, 3}, PCA_COMPONENTS), Npy.toBytes(new int[] {2}, PCA_VARIANCE), flag);
        assertEquals(expected, Npz.readModel(file).projection().get().whiten());
    }

    @Test
    void rejectsBadWhitenFlags() throws IOException {
        byte[] mean = Npy.toBytes(new int[] {3}, PCA_MEAN);
        byte[] comps = Npy.toBytes(new int[] {2, 3}, PCA_COMPONENTS);
        byte[] var = Npy.toBytes(new int[] {2}, PCA_VARIANCE);
        assertRejected(withPca("w2.npz", mean, comps, var, npy(1, dict("<i8", "()"), le(8, 2))),
                "entry 'pca_whiten.npy'", "pca_whiten = 2: expected 0 (false) or 1 (true)");
        assertRejected(withPca("w1d.npz", mean, comps, var, npy(1, dict("|b1", "(1,)"), new byte[] {1})),
                "entry 'pca_whiten.npy'", "shape (1,) is not ()");
        assertRejected(withPca("wf.npz", mean, comps, var, npy(1, dict("<f8", "()"), le(8, 0))),
                "entry 'pca_whiten.npy'", "dtype '<f8' is not supported for pca_whiten");
        assertRejected(withPca("nv.npz", mean, comps, null, npy(1, dict("|b1", "()"), new byte[] {1})),
                "invalid projection", "pca_whiten is true but pca_explained_variance is absent");
    }

    @Test
    void rejectsShapesThatDisagreeNamingBothDimensions() throws IOException {
        byte[] mean = Npy.toBytes(new int[] {3}, PCA_MEAN);
        byte[] comps = Npy.toBytes(new int[] {2, 3}, PCA_COMPONENTS);
        // The projection gives D = 3 but the mixture has D = 2.
        assertRejected(withPca("d3.npz", mean, Npy.toBytes(new int[] {3, 3}, new float[9]), null, null),
                "pca_components has shape (3, 3), projecting Din = 3 to D = 3, but means has shape (2, 2)",
                "the mixture's D = 2 must equal the projection's");
        // Din disagrees between the mean and the components.
        assertRejected(withPca("din.npz", Npy.toBytes(new int[] {4}, new float[4]), comps, null, null),
                "pca_components has shape (2, 3) but pca_mean has (4,): they disagree on Din (3 vs 4)");
        assertRejected(withPca("var.npz", mean, comps, Npy.toBytes(new int[] {3}, new float[] {1, 1, 1}), null),
                "pca_explained_variance has shape (3,); expected (2,)");
        assertRejected(withPca("half.npz", mean, null, null, null),
                "has pca_mean but not pca_components: a projection needs both");
        assertRejected(withPca("m2d.npz", Npy.toBytes(new int[] {1, 3}, PCA_MEAN), comps, null, null),
                "pca_mean has shape (1, 3); expected (Din,)");
        assertRejected(withPca("nan.npz", mean, Npy.toBytes(new int[] {2, 3}, new float[] {1, 0, 0, 0, Float.NaN, 1}),
                null, null), "invalid projection", "pca_components[4] = NaN");
    }

    private static byte[] le(int size, long value) {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        switch (size) {
            case 2:
                b.putShort((short) value);
                break;
            case 4:
                b.putInt((int) value);
                break;
            default:
                b.putLong(value);
        }
        return b.array();
    }

    private Path withPca(String name, byte[] mean, byte[] components, byte[] variance, byte[] whiten)
            throws IOException {
        TestFiles.ZipBuilder z = new TestFiles.ZipBuilder()
                .add("weights.npy", Npy.toBytes(new int[] {2}, WEIGHTS), false)
                .add("means.npy", Npy.toBytes(new int[] {2, 2}, MEANS), false)
                .add("covariances.npy", Npy.toBytes(new int[] {2, 2}, VARIANCES), false);
        if (mean != null) {
            z.add("pca_mean.npy", mean, false);
        }
        if (components != null) {
            z.add("pca_components.npy", components, true);
        }
        if (variance != null) {
            z.add("pca_explained_variance.npy", variance, false);
        }
        if (whiten != null) {
            z.add("pca_whiten.npy", whiten, false);
        }
        return Files.write(dir.resolve(name), z.build());
    }

    private static void assertRejected(Path file, String... fragments) {
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npz.readModel(file));
        assertMessage(e, fragments);
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    }
}
