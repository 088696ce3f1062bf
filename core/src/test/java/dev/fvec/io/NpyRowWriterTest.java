package dev.fvec.io;

import static dev.fvec.io.TestFiles.fixture;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyRowWriterTest {

    @TempDir
    Path dir;

    @Test
    void rowByRowIsByteIdenticalToNumpySave() throws IOException {
        // ref_7x5.npy: np.save of arange(35).reshape(7, 5) / 8 as '<f4' (make_fixtures.py).
        Path p = dir.resolve("m.npy");
        AtomicFile.write(p, ch -> {
            NpyRowWriter w = new NpyRowWriter(ch, 5);
            for (int r = 0; r < 7; r++) {
                float[] row = new float[5];
                for (int c = 0; c < 5; c++) {
                    row[c] = (r * 5 + c) / 8f;
                }
                w.writeRow(row);
            }
            assertEquals(7, w.rows());
            w.finish();
        });
        assertArrayEquals(Files.readAllBytes(fixture("ref_7x5.npy")), Files.readAllBytes(p));
    }

    @Test
    void noRowsIsNumpysEmptyMatrix() throws IOException {
        Path p = dir.resolve("e.npy");
        AtomicFile.write(p, ch -> new NpyRowWriter(ch, 5).finish());
        assertArrayEquals(Files.readAllBytes(fixture("ref_0x5.npy")), Files.readAllBytes(p));
    }

    @Test
    void manyRowsAcrossBufferFlushesReadBack() throws IOException {
        // 3000 rows of 1000 floats: 12 MB, many flushes of the 64 KiB buffer, and a row count of
        // four digits where the provisional header said one.
        int rows = 3000;
        int cols = 1000;
        Path p = dir.resolve("big.npy");
        AtomicFile.write(p, ch -> {
            NpyRowWriter w = new NpyRowWriter(ch, cols);
            float[] row = new float[cols];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    row[c] = r - c * 0.5f;
                }
                w.writeRow(row);
            }
            w.finish();
            w.finish(); // idempotent
        });
        NpyArray a = Npy.read(p);
        assertArrayEquals(new int[] {rows, cols}, a.shape());
        float[] expected = new float[rows * cols];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = i / cols - (i % cols) * 0.5f;
        }
        assertArrayEquals(expected, a.data());
        assertArrayEquals(Npy.header(new int[] {rows, cols}), java.util.Arrays.copyOf(Files.readAllBytes(p), 128));
    }

    @Test
    void specialValuesAndWrongRowLengths() throws IOException {
        Path p = dir.resolve("s.npy");
        AtomicFile.write(p, ch -> {
            NpyRowWriter w = new NpyRowWriter(ch, 2);
            w.writeRow(new float[] {Float.NaN, -0f});
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> w.writeRow(new float[] {1, 2, 3}));
            assertEquals("row 1 has 3 values, expected 2", e.getMessage());
            w.writeRow(new float[] {Float.NEGATIVE_INFINITY, Float.MIN_VALUE});
            w.finish();
            assertThrows(IllegalStateException.class, () -> w.writeRow(new float[] {1, 2}));
        });
        float[] back = Npy.read(p).data();
        float[] expected = {Float.NaN, -0f, Float.NEGATIVE_INFINITY, Float.MIN_VALUE};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(back[i]), "index " + i);
        }
    }
}
