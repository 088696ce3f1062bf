package dev.fvec.io;

import static dev.fvec.io.NpyTest.assertMessage;
import static dev.fvec.io.TestFiles.dict;
import static dev.fvec.io.TestFiles.f4;
import static dev.fvec.io.TestFiles.fixture;
import static dev.fvec.io.TestFiles.golden;
import static dev.fvec.io.TestFiles.npy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fvec.DiagonalGmm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpzTest {

    @TempDir
    Path dir;

    private static final float[] WEIGHTS = {0.25f, 0.75f};
    private static final float[] MEANS = {0, 1, 2, -1, 0.5f, 4};
    private static final float[] VARIANCES = {1, 2, 0.5f, 0.25f, 4, 1.5f};

    // ------------------------------------------------------------ reading NumPy archives

    @Test
    void readsAFloat64ModelWrittenByNumpySavez() throws IOException {
        checkFixtureModel(Npz.readModel(fixture("model_f8.npz")));
    }

    @Test
    void readsADeflatedModelWrittenByNumpySavezCompressed() throws IOException {
        checkFixtureModel(Npz.readModel(fixture("model_compressed.npz")));
    }

    private static void checkFixtureModel(DiagonalGmm m) {
        assertEquals(2, m.components());
        assertEquals(3, m.dimension());
        assertArrayEquals(WEIGHTS, m.weights());
        assertArrayEquals(MEANS, m.means());
        assertArrayEquals(VARIANCES, m.variances());
    }

    @Test
    void readAllKeepsArchiveOrderAndShapes() throws IOException {
        Map<String, NpyArray> all = Npz.readAll(fixture("model_compressed.npz"));
        assertEquals(List.of("weights", "means", "covariances"), List.copyOf(all.keySet()));
        assertArrayEquals(new int[] {2}, all.get("weights").shape());
        assertArrayEquals(new int[] {2, 3}, all.get("covariances").shape());
    }

    @Test
    void readAllReadsAModelWithAProjectionItsWhitenFlagAsAOneElementVector() throws IOException {
        // scikit-learn's export (README): float64 mixture, float32 PCA arrays, pca_whiten a 0-d bool (True).
        Path file = golden("pca/sift_D32_K8_whiten/model.npz");
        Map<String, NpyArray> all = Npz.readAll(file);
        assertEquals(List.of("weights", "means", "covariances", "pca_mean", "pca_components", "pca_explained_variance",
                "pca_whiten"), List.copyOf(all.keySet()));
        assertArrayEquals(new int[] {32, 128}, all.get("pca_components").shape());
        assertArrayEquals(new int[] {1}, all.get("pca_whiten").shape());
        assertArrayEquals(new float[] {1f}, all.get("pca_whiten").data());
        DiagonalGmm m = Npz.readModel(file);
        assertArrayEquals(m.projection().orElseThrow().components(), all.get("pca_components").data());

        // fvec's own writer, without whitening: the flag reads as 0.
        Path written = dir.resolve("unwhitened.npz");
        float[] mean = new float[128];
        float[] components = all.get("pca_components").data();
        Npz.writeModel(written, m.withProjection(dev.fvec.Projection.of(128, 32, mean, components, null, false)));
        assertArrayEquals(new float[] {0f}, Npz.readAll(written).get("pca_whiten").data());
    }

    @Test
    void readsGoldenModels() throws IOException {
        // Values from NumPy: m['means'][-1, -1], m['covariances'][1, 2], m['weights'][0].
        checkGolden("a_D64_K256_N1000", 256, 64, -0.12922128f, 0.02487663f, 0.0026600072f);
        checkGolden("b_D128_K64_N2000", 64, 128, -0.19154426f, 0.03928456f, 0.008324763f);
        checkGolden("d_D5_K3_N7", 3, 5, -0.95726013f, 0.20471807f, 0.1832856f);
    }

    private static void checkGolden(String c, int k, int d, float lastMean, float var12, float w0) throws IOException {
        DiagonalGmm m = Npz.readModel(golden(c + "/model.npz"));
        assertEquals(k, m.components(), c);
        assertEquals(d, m.dimension(), c);
        assertEquals(lastMean, m.mean(k - 1, d - 1), c);
        assertEquals(var12, m.variance(1, 2), c);
        assertEquals(w0, m.weight(0), 1e-4 * w0, c + ": weights are renormalised, so only nearly equal");
    }

    // ------------------------------------------------------------ writing

    @Test
    void writeThenReadGivesTheSameModel() throws IOException {
        DiagonalGmm m = DiagonalGmm.of(WEIGHTS, MEANS, VARIANCES);
        Path file = dir.resolve("model.npz");
        Npz.writeModel(file, m);
        assertEquals(m, Npz.readModel(file));
        Map<String, NpyArray> all = Npz.readAll(file);
        assertEquals(List.of("weights", "means", "covariances"), List.copyOf(all.keySet()));
        assertArrayEquals(new int[] {2, 3}, all.get("means").shape());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left");
        }
    }

    @Test
    void writingTheSameModelTwiceGivesTheSameBytes() throws IOException {
        DiagonalGmm m = Npz.readModel(golden("d_D5_K3_N7/model.npz"));
        Npz.writeModel(dir.resolve("a.npz"), m);
        Npz.writeModel(dir.resolve("b.npz"), m);
        assertArrayEquals(Files.readAllBytes(dir.resolve("a.npz")), Files.readAllBytes(dir.resolve("b.npz")));
        assertEquals(m, Npz.readModel(dir.resolve("b.npz")));
    }

    @Test
    void writtenEntriesAreWhatNpySaveWrites() throws IOException {
        Path file = dir.resolve("m.npz");
        Npz.writeModel(file, DiagonalGmm.of(WEIGHTS, MEANS, VARIANCES));
        byte[] zip = Files.readAllBytes(file);
        byte[] means = Npy.toBytes(new int[] {2, 3}, MEANS);
        assertTrue(indexOf(zip, means) > 0, "means.npy is stored verbatim");
    }

    // ------------------------------------------------------------ one test per bad-input rule

    @Test
    void rejectsAMissingArray() {
        assertRejected(fixture("model_missing_means.npz"), "model_missing_means.npz", "missing array 'means'",
                "'weights.npy', 'covariances.npy'");
    }

    @Test
    void rejectsADuplicateEntry() {
        assertRejected(fixture("model_duplicate.npz"), "model_duplicate.npz", "duplicate entry 'weights.npy'");
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npz.readAll(fixture("model_duplicate.npz")));
        assertMessage(e, "duplicate entry");
    }

    @Test
    void rejectsMismatchedShapes() throws IOException {
        assertRejected(fixture("model_shape_mismatch.npz"), "model_shape_mismatch.npz",
                "means has shape (2, 3) but covariances has (2, 2)");
        assertRejected(model("k.npz", npyOf(new int[] {3}, new float[] {0.2f, 0.3f, 0.5f}),
                npyOf(new int[] {2, 3}, MEANS), npyOf(new int[] {2, 3}, VARIANCES)),
                "k.npz", "weights has shape (3,) but means has (2, 3)");
        assertRejected(model("w2d.npz", npyOf(new int[] {2, 1}, WEIGHTS),
                npyOf(new int[] {2, 3}, MEANS), npyOf(new int[] {2, 3}, VARIANCES)),
                "w2d.npz", "weights has shape (2, 1); expected (K,)");
        assertRejected(model("m1d.npz", npyOf(new int[] {2}, WEIGHTS),
                npyOf(new int[] {6}, MEANS), npyOf(new int[] {2, 3}, VARIANCES)),
                "m1d.npz", "means has shape (6,); expected (K, D)");
        assertRejected(model("spherical.npz", npyOf(new int[] {2}, WEIGHTS),
                npyOf(new int[] {2, 3}, MEANS), npyOf(new int[] {2}, WEIGHTS)),
                "spherical.npz", "covariances has shape (2,); expected (K, D)", "covariance_type='diag'");
    }

    @Test
    void wrapsModelValidationErrorsNamingTheFile() {
        NpyFormatException e = assertRejected(fixture("model_bad_weights.npz"), "model_bad_weights.npz",
                "invalid model", "weights sum to 1.1");
        assertTrue(e.getCause() instanceof IllegalArgumentException);
    }

    @Test
    void rejectsABadArrayNamingTheEntry() throws IOException {
        byte[] i4 = Files.readAllBytes(fixture("i4.npy"));
        assertRejected(model("i4.npz", i4, npyOf(new int[] {2, 3}, MEANS), npyOf(new int[] {2, 3}, VARIANCES)),
                "i4.npz, entry 'weights.npy': dtype '<i4' is not supported");
    }

    @Test
    void rejectsSomethingThatIsNotAZip() throws IOException {
        assertRejected(Files.write(dir.resolve("text.npz"), "hello".getBytes()), "text.npz",
                "not a valid .npz (zip) archive");
        assertRejected(fixture("c_f4.npy"), "c_f4.npy", "not a valid .npz (zip) archive");
    }

    @Test
    void rejectsAnEntryThatIsNotNpyInReadAll() throws IOException {
        Path file = Files.write(dir.resolve("txt.npz"), new TestFiles.ZipBuilder()
                .add("weights.npy", npyOf(new int[] {2}, WEIGHTS), false)
                .add("notes.txt", "hi".getBytes(), false).build());
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npz.readAll(file));
        assertMessage(e, "txt.npz", "entry 'notes.txt' is not a .npy array");
    }

    @Test
    void rejectsATruncatedEntry() throws IOException {
        byte[] cut = npy(1, dict("<f4", "(2, 3)"), f4(1, 2));
        assertRejected(model("cut.npz", npyOf(new int[] {2}, WEIGHTS), cut, npyOf(new int[] {2, 3}, VARIANCES)),
                "cut.npz, entry 'means.npy'", "truncated");
    }

    @Test
    void rejectsADamagedDeflateStream() throws IOException {
        byte[] content = npyOf(new int[] {2, 3}, MEANS);
        byte[] deflated = TestFiles.deflate(content);
        byte[] cut = java.util.Arrays.copyOf(deflated, deflated.length / 2);
        Path file = Files.write(dir.resolve("zcut.npz"), new TestFiles.ZipBuilder()
                .add("weights.npy", npyOf(new int[] {2}, WEIGHTS), true)
                .addRaw("means.npy", TestFiles.ZipBuilder.DEFLATED, cut, TestFiles.crc(content), cut.length,
                        content.length)
                .add("covariances.npy", npyOf(new int[] {2, 3}, VARIANCES), true).build());
        assertRejected(file, "zcut.npz, entry 'means.npy'");
    }

    @Test
    void rejectsAChecksumMismatch() throws IOException {
        byte[] content = npyOf(new int[] {2, 3}, MEANS);
        Path file = Files.write(dir.resolve("crc.npz"), new TestFiles.ZipBuilder()
                .add("weights.npy", npyOf(new int[] {2}, WEIGHTS), false)
                .addRaw("means.npy", TestFiles.ZipBuilder.STORED, content, TestFiles.crc(content) ^ 1,
                        content.length, content.length)
                .add("covariances.npy", npyOf(new int[] {2, 3}, VARIANCES), false).build());
        assertRejected(file, "crc.npz, entry 'means.npy'", "checksum mismatch");
    }

    @Test
    void rejectsAnUnsupportedCompressionMethod() throws IOException {
        byte[] content = npyOf(new int[] {2}, WEIGHTS);
        Path file = Files.write(dir.resolve("bz.npz"), new TestFiles.ZipBuilder()
                .addRaw("weights.npy", 12, content, TestFiles.crc(content), content.length, content.length)
                .add("means.npy", npyOf(new int[] {2, 3}, MEANS), false)
                .add("covariances.npy", npyOf(new int[] {2, 3}, VARIANCES), false).build());
        assertRejected(file, "bz.npz");
    }

    @Test
    void rejectsAnEntryLargerThanItsDeclaredSize() throws IOException {
        byte[] content = npyOf(new int[] {2, 3}, MEANS);
        byte[] deflated = TestFiles.deflate(content);
        Path file = Files.write(dir.resolve("lie.npz"), new TestFiles.ZipBuilder()
                .add("weights.npy", npyOf(new int[] {2}, WEIGHTS), false)
                .addRaw("means.npy", TestFiles.ZipBuilder.DEFLATED, deflated, TestFiles.crc(content), deflated.length,
                        content.length - 8)
                .add("covariances.npy", npyOf(new int[] {2, 3}, VARIANCES), false).build());
        assertRejected(file, "lie.npz, entry 'means.npy'", "truncated", "but the entry's declared size is only "
                + (content.length - 8));
    }

    @Test
    void rejectsAZipBombQuickly() throws IOException {
        // weights.npy declares 2 floats (and the zip says so too) but inflates to 4 GiB of zeros.
        byte[] header = npyOf(new int[] {2}, WEIGHTS);
        byte[] bomb = TestFiles.zipBomb(header, 4096);
        Path file = Files.write(dir.resolve("bomb.npz"), new TestFiles.ZipBuilder()
                .addRaw("weights.npy", TestFiles.ZipBuilder.DEFLATED, bomb, TestFiles.crc(header), bomb.length,
                        header.length)
                .add("means.npy", npyOf(new int[] {2, 3}, MEANS), false)
                .add("covariances.npy", npyOf(new int[] {2, 3}, VARIANCES), false).build());
        long t0 = System.nanoTime();
        assertRejected(file, "bomb.npz, entry 'weights.npy'", "trailing data");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 2_000, "rejecting the bomb took " + ms + " ms");
    }

    @Test
    void rejectsAHugeShapeInATinyEntryBeforeAllocating() throws IOException {
        // The header declares 2e9 floats (8 GB) and the zip agrees, but 8 GB cannot come out of a
        // few hundred compressed bytes.
        byte[] content = npy(1, dict("<f4", "(500000000, 4)"), new byte[64]);
        byte[] deflated = TestFiles.deflate(content);
        Path file = Files.write(dir.resolve("huge.npz"), new TestFiles.ZipBuilder()
                .add("weights.npy", npyOf(new int[] {2}, WEIGHTS), false)
                .addRaw("means.npy", TestFiles.ZipBuilder.DEFLATED, deflated, TestFiles.crc(content), deflated.length,
                        0xfffffff0L)
                .add("covariances.npy", npyOf(new int[] {2, 3}, VARIANCES), false).build());
        assertRejected(file, "huge.npz, entry 'means.npy'", "500000000 x 4 <f4", "compressed bytes can inflate to");
    }

    // ------------------------------------------------------------ helpers

    private static byte[] npyOf(int[] shape, float[] data) {
        return Npy.toBytes(shape, data);
    }

    private Path model(String name, byte[] weights, byte[] means, byte[] covariances) throws IOException {
        return Files.write(dir.resolve(name), new TestFiles.ZipBuilder()
                .add("weights.npy", weights, false)
                .add("means.npy", means, true)
                .add("covariances.npy", covariances, false).build());
    }

    private static NpyFormatException assertRejected(Path file, String... fragments) {
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npz.readModel(file));
        assertMessage(e, fragments);
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        return e;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
