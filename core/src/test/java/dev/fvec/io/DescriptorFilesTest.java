package dev.fvec.io;

import static dev.fvec.io.TestFiles.dict;
import static dev.fvec.io.TestFiles.f4;
import static dev.fvec.io.TestFiles.f8;
import static dev.fvec.io.TestFiles.npy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DescriptorFilesTest {

    @TempDir
    Path dir;

    @Test
    void rowsOfAllFilesInListOrderWhateverTheirDtype() throws IOException {
        Path a = write("a.npy", new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Path empty = write("empty.npy", new float[0], 0, 3);
        Path b = dir.resolve("b.npy");
        Files.write(b, npy(1, dict("<f8", "(1, 3)"), f8(-1.5, 0.25, 1e30)));
        Path c = dir.resolve("c.npy");
        Files.write(c, npy(2, dict(">f4", "(1, 3)"), new byte[] {0x3f, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0x40, 0, 0, 0}));
        NpyArray x = DescriptorFiles.read(List.of(a, empty, b, c));
        assertArrayEquals(new int[] {4, 3}, x.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, -1.5f, 0.25f, 1e30f, 1, 0, 2}, x.data());

        DescriptorFiles.Layout layout = DescriptorFiles.layout(List.of(a, empty, b, c));
        assertEquals(3, layout.dimension());
        assertEquals(4, layout.totalRows());
        assertEquals(List.of(2, 0, 1, 1), List.of(layout.rows(0), layout.rows(1), layout.rows(2), layout.rows(3)));
        assertEquals(List.of(a, empty, b, c), layout.files());
    }

    @Test
    void shapeProblemsNameTheFile() throws IOException {
        Path a = write("a.npy", new float[20 * 3], 20, 3);
        Path b = write("b.npy", new float[20 * 4], 20, 4);
        assertEquals(b + ": descriptors have D = 4 but " + a + " has D = 3",
                assertThrows(IllegalArgumentException.class, () -> DescriptorFiles.layout(List.of(a, b))).getMessage());
        Path v = dir.resolve("v.npy");
        Npy.write1d(v, new float[12]);
        assertEquals(v + ": shape [12] is not 2-D; descriptors must be an (N, D) array",
                assertThrows(IllegalArgumentException.class, () -> DescriptorFiles.read(List.of(a, v))).getMessage());
        Path zero = write("zero.npy", new float[0], 5, 0);
        assertEquals(zero + ": D = 0: descriptors need D >= 1 dimensions",
                assertThrows(IllegalArgumentException.class, () -> DescriptorFiles.read(List.of(zero))).getMessage());
        assertEquals("no descriptor files given",
                assertThrows(IllegalArgumentException.class, () -> DescriptorFiles.read(List.of())).getMessage());
    }

    @Test
    void aDamagedLastFileFailsBeforeAnyDataIsRead() throws IOException {
        Path a = write("a.npy", new float[6], 2, 3);
        Path cut = dir.resolve("cut.npy");
        Files.write(cut, npy(1, dict("<f4", "(2, 3)"), f4(1, 2, 3)));
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> DescriptorFiles.layout(List.of(a, cut)));
        assertEquals(cut.toString(), e.source());
        assertTrue(e.problem().startsWith("truncated"), e.problem());
    }

    @Test
    void nanPastTheFirstChunkIsNamedByFileIndexDescriptorAndDimension() throws IOException {
        // 180,000 floats: checked in chunks of 131,072, so the NaN sits in the second chunk.
        int d = 3;
        Path good = write("good.npy", new float[] {1, 2, 3}, 1, d);
        float[] values = new float[60000 * d];
        Arrays.fill(values, 0.5f);
        values[170000] = Float.NaN;
        Path bad = write("bad.npy", values, 60000, d);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DescriptorFiles.read(List.of(good, bad)));
        assertEquals(bad + ": value 170000 = NaN (descriptor 56666, dimension 2): every descriptor value must be finite",
                e.getMessage());
    }

    @Test
    void infinitiesAlwaysFailLargeFiniteValuesOnlyAboveTheBound() throws IOException {
        Path inf = write("inf.npy", new float[] {0, Float.NEGATIVE_INFINITY}, 1, 2);
        assertEquals(inf + ": value 1 = -Infinity (descriptor 0, dimension 1): every descriptor value must be finite",
                assertThrows(IllegalArgumentException.class, () -> DescriptorFiles.read(List.of(inf))).getMessage());
        Path pinf = write("pinf.npy", new float[] {Float.POSITIVE_INFINITY}, 1, 1);
        assertThrows(IllegalArgumentException.class, () -> DescriptorFiles.read(List.of(pinf), 1e18));

        Path big = write("big.npy", new float[] {1, 2, 3e20f, 4}, 2, 2);
        assertEquals(3e20f, DescriptorFiles.read(List.of(big)).data()[2]);
        assertEquals(big + ": value 2 = 3.0E20 (descriptor 1, dimension 0): every descriptor value must be finite"
                + " and of magnitude <= 1.0E18",
                assertThrows(IllegalArgumentException.class, () -> DescriptorFiles.read(List.of(big), 1e18)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> DescriptorFiles.read(List.of(big), 0));
    }

    private Path write(String name, float[] data, int rows, int cols) throws IOException {
        Path p = dir.resolve(name);
        Npy.write(p, data, rows, cols);
        return p;
    }
}
