package dev.fvec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fvec.DiagonalGmm;
import dev.fvec.GoldenCases;
import dev.fvec.Kernels;
import dev.fvec.SpatialCases;
import dev.fvec.SpatialFit;
import dev.fvec.SpatialModel;
import dev.fvec.io.Npy;
import dev.fvec.io.NpyArray;
import dev.fvec.io.Npz;
import dev.fvec.io.SpatialFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fvec encode --pyramid/--spatial} and {@code fvec train --spatial}: the NumPy fixtures, and every error. */
class SpatialCliTest {

    private static final String CASE = "mid_K16_D24_N600";

    @TempDir
    Path dir;

    private static Path fixture(String name) {
        return GoldenCases.path("spatial/" + CASE + "/" + name);
    }

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private static double[] row(NpyArray a, int r) {
        double[] out = new double[a.cols()];
        for (int j = 0; j < out.length; j++) {
            out[j] = a.data()[r * a.cols() + j];
        }
        return out;
    }

    private static void assertMatches(String expectedFile, NpyArray got, int row) {
        double[] expected = GoldenCases.readDoubles("spatial/" + CASE + "/" + expectedFile);
        assertEquals(expected.length, got.cols(), expectedFile);
        float[] r = Arrays.copyOfRange(got.data(), row * got.cols(), (row + 1) * got.cols());
        double rel = SpatialCases.relativeL2(expected, r);
        assertTrue(rel <= 1e-5, expectedFile + ": relative L2 " + rel);
    }

    @Test
    void encodesPyramidsAndSpatialVectorsAsNumpyDoes() throws IOException {
        Path image = fixture("image.npz");
        Path out = dir.resolve("fv.npy");
        CliRun r = run("encode", "--model", fixture("model.npz").toString(), "--improved", "--pyramid", "1x1,2x2,3x1",
                "--spatial", "--out", out.toString(), image.toString(), image.toString());
        assertEquals(0, r.status, r.toString());
        NpyArray fv = Npy.read(out);
        assertEquals(2, fv.rows());
        assertMatches("expected_vlfeat_improved_1x1+2x2+3x1_spatial.npy", fv, 0);
        assertMatches("expected_vlfeat_improved_1x1+2x2+3x1_spatial.npy", fv, 1);

        CliRun gist = run("encode", "--model", fixture("model.npz").toString(), "--form", "gist", "--pyramid", "2x3,1x2",
                "--out", out.toString(), image.toString());
        assertEquals(0, gist.status, gist.toString());
        assertMatches("expected_gist_none_2x3+1x2_plain.npy", Npy.read(out), 0);

        // A model without spatial keys: the uniform square's moments.
        Path plainModel = dir.resolve("plain.npz");
        Npz.writeModel(plainModel, Npz.readModel(fixture("model.npz")));
        CliRun uniform = run("encode", "--model", plainModel.toString(), "--form", "skimage", "--improved", "--spatial",
                "--pyramid", "1x1,2x2,3x1", "--out", out.toString(), image.toString());
        assertEquals(0, uniform.status, uniform.toString());
        assertMatches("expected_skimage_improved_1x1+2x2+3x1_uniform.npy", Npy.read(out), 0);

        // --spatial alone: the whole image, appearance then 4K.
        CliRun spatialOnly = run("encode", "--model", fixture("model.npz").toString(), "--spatial",
                "--out", out.toString(), image.toString());
        assertEquals(0, spatialOnly.status, spatialOnly.toString());
        assertMatches("expected_vlfeat_none_1x1_spatial.npy", Npy.read(out), 0);
    }

    private void assertFailsWritingNothing(String expectedInMessage, String... args) {
        Path out = dir.resolve("never.npy");
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.add(all.indexOf("--out") + 1, out.toString());
        CliRun r = run(all.toArray(new String[0]));
        assertEquals(2, r.status, r.toString());
        assertTrue(r.err.contains(expectedInMessage), "expected '" + expectedInMessage + "' in: " + r.err);
        assertEquals(1, r.err.strip().split("\n").length, "one line: " + r.err);
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void errorsAreOneLineNameTheFileOrOptionAndWriteNothing() throws IOException {
        String model = fixture("model.npz").toString();
        String image = fixture("image.npz").toString();
        String files = "spatial/files/";
        Path npy = dir.resolve("plain.npy");
        Npy.write(npy, new float[24 * 3], 3, 24);
        assertFailsWritingNothing("plain.npy: --pyramid/--spatial need images with positions",
                "encode", "--model", model, "--pyramid", "2x2", "--out", image, npy.toString());
        assertFailsWritingNothing("plain .npy descriptor file",
                "encode", "--model", model, "--spatial", "--out", image, npy.toString());
        assertFailsWritingNothing("--pyramid: pyramid grid '0x2'",
                "encode", "--model", model, "--pyramid", "1x1,0x2", "--out", image);
        assertFailsWritingNothing("--pyramid: pyramid grid '2x'",
                "encode", "--model", model, "--pyramid", "2x", "--out", image);
        // Image files whose D does not matter for these checks: the reader's errors name the file.
        Path outside = GoldenCases.path(files + "bad_outside.npz");
        assertFailsWritingNothing("descriptor 2", "encode", "--model", model, "--pyramid", "2x2", "--out", image,
                outside.toString());
        assertFailsWritingNothing("bad_mismatch.npz", "encode", "--model", model, "--spatial", "--out", image,
                GoldenCases.path(files + "bad_mismatch.npz").toString());
        // A good image of the wrong D after a good one: still nothing written.
        assertFailsWritingNothing("has descriptors of D = 2 but the model takes 24", "encode", "--model", model,
                "--pyramid", "2x2", "--out", image, GoldenCases.path(files + "ok_size_int64.npz").toString());
        assertFailsWritingNothing("plain.npy: --spatial need images", "train", "--spatial", "--components", "2",
                "--out", image, npy.toString());
        assertFailsWritingNothing("every input needs the same D", "train", "--spatial", "--components", "2",
                "--out", image, GoldenCases.path("spatial/tiny_K3_D5_N40/image.npz").toString(),
                GoldenCases.path(files + "ok_size_int64.npz").toString());
    }

    @Test
    void trainSpatialWritesTheSpatialGaussiansThatEncodeUses() throws IOException {
        Path image = fixture("image.npz");
        Path model = dir.resolve("gmm.npz");
        CliRun r = run("train", "--spatial", "--components", "4", "--seed", "3", "--iterations", "20",
                "--out", model.toString(), image.toString(), image.toString());
        assertEquals(0, r.status, r.toString());
        DiagonalGmm gmm = Npz.readModel(model);
        SpatialModel sm = SpatialFiles.readSpatialModel(model, 4);
        assertNotEquals(SpatialModel.uniform(4), sm, "fitted, not the default");
        // The spatial pass over the written mixture, done here with the library, gives the same Gaussians.
        SpatialFiles.Image img = SpatialFiles.readImage(image);
        SpatialFit fit = new SpatialFit(gmm, Kernels.scalar());
        fit.add(img.descriptors(), img.positions(), img.count(), img.width(), img.height());
        double[] want = fit.result().means();
        double[] got = sm.means();
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-4, "spatial mean " + i);
            assertTrue(got[i] >= 0 && got[i] <= 1);
        }
        Path out = dir.resolve("fv.npy");
        CliRun e = run("encode", "--model", model.toString(), "--spatial", "--pyramid", "1x1,2x2",
                "--out", out.toString(), image.toString());
        assertEquals(0, e.status, e.toString());
        assertEquals(5 * (2 * 4 * 24 + 4 * 4), Npy.read(out).cols());
    }

    @Test
    void trainSpatialWithPcaKeepsBothAndEncodesDinColumns() throws IOException {
        Path image = fixture("image.npz");
        Path model = dir.resolve("gmm-pca.npz");
        CliRun r = run("train", "--spatial", "--pca", "8", "--components", "3", "--seed", "2", "--iterations", "10",
                "--out", model.toString(), image.toString());
        assertEquals(0, r.status, r.toString());
        DiagonalGmm gmm = Npz.readModel(model);
        assertEquals(24, gmm.inputDimension());
        assertEquals(8, gmm.dimension());
        assertNotEquals(SpatialModel.uniform(3), SpatialFiles.readSpatialModel(model, 3));
        Path out = dir.resolve("fv.npy");
        CliRun e = run("encode", "--model", model.toString(), "--improved", "--spatial", "--pyramid", "1x1,2x2",
                "--out", out.toString(), image.toString());
        assertEquals(0, e.status, e.toString());
        assertEquals(5 * (2 * 3 * 8 + 4 * 3), Npy.read(out).cols());
        CliRun tooWide = run("train", "--spatial", "--pca", "25", "--components", "3", "--out", model.toString(),
                image.toString());
        assertEquals(2, tooWide.status, tooWide.toString());
        assertTrue(tooWide.err.contains("--pca 25"), tooWide.err);
    }
}
