package dev.fvec.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fvec.DiagonalGmm;
import dev.fvec.GoldenCases;
import dev.fvec.SpatialModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpatialFilesTest {

    private static Path file(String name) {
        return GoldenCases.path("spatial/files/" + name);
    }

    @Test
    void readsAnImageWithAnySizeDtype() throws IOException {
        for (String dt : new String[] {"int64", "int32", "uint16", "uint8", "float32", "float64"}) {
            SpatialFiles.Image img = SpatialFiles.readImage(file("ok_size_" + dt + ".npz"));
            assertEquals(3, img.count(), dt);
            assertEquals(2, img.dimension(), dt);
            assertEquals(10, img.width(), dt);
            assertEquals(8, img.height(), dt);
            assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, img.descriptors(), dt);
            assertArrayEquals(new float[] {0, 0, 10, 5, 4, 8}, img.positions(), dt);
        }
        assertEquals(3, SpatialFiles.readImage(file("ok_f8.npz")).count());
    }

    @Test
    void badImagesNameTheFileAndTheProblem() {
        String[][] cases = {
            {"bad_outside.npz", "descriptor 2"},
            {"bad_negative.npz", "descriptor 1"},
            {"bad_nan.npz", "descriptor 1"},
            {"bad_mismatch.npz", "positions has 2"},
            {"bad_positions_shape.npz", "(N, 2)"},
            {"bad_missing_size.npz", "image_size"},
            {"bad_size_zero.npz", "positive integers"},
            {"bad_size_fraction.npz", "positive integers"},
            {"bad_size_shape.npz", "(2,)"},
        };
        for (String[] c : cases) {
            NpyFormatException e = assertThrows(NpyFormatException.class, () -> SpatialFiles.readImage(file(c[0])), c[0]);
            assertTrue(e.getMessage().contains(c[0]) && e.getMessage().contains(c[1]), c[0] + ": " + e.getMessage());
            assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        }
    }

    @Test
    void spatialModelRoundTripsAndDefaultsToUniform(@TempDir Path dir) throws IOException {
        DiagonalGmm gmm = DiagonalGmm.of(new float[] {0.25f, 0.75f}, new float[] {0, 1, 2, 3}, new float[] {1, 1, 2, 2});
        Path plain = dir.resolve("plain.npz");
        Npz.writeModel(plain, gmm);
        assertEquals(SpatialModel.uniform(2), SpatialFiles.readSpatialModel(plain, 2));
        SpatialModel sm = SpatialModel.of(new double[] {0.25, 0.5, 0.75, 0.125}, new double[] {0.0625, 0.5, 0.25, 0.125});
        Path with = dir.resolve("spatial.npz");
        SpatialFiles.writeModel(with, gmm, sm);
        assertEquals(sm, SpatialFiles.readSpatialModel(with, 2));
        assertEquals(gmm, Npz.readModel(with), "the mixture reads back unchanged next to the spatial keys");
        NpyFormatException wrongK = assertThrows(NpyFormatException.class, () -> SpatialFiles.readSpatialModel(with, 3));
        assertTrue(wrongK.getMessage().contains("(3, 2)"), wrongK.getMessage());
        assertTrue(Files.size(with) > Files.size(plain));
    }
}
