package dev.fvec.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fvec.io.Npy;
import dev.fvec.io.NpyArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyRowWriterTest {

    @TempDir
    Path dir;

    @Test
    void headerIsPaddedTo64Bytes() {
        for (long rows : new long[] {0, 1, 99, 123456789012L}) {
            byte[] h = NpyRowWriter.header(rows, 32768);
            assertEquals(0, h.length % 64, "header length " + h.length);
            assertEquals('\n', h[h.length - 1]);
        }
    }

    @Test
    void rowsReadBackWithTheNpyReader() throws IOException {
        Path p = dir.resolve("m.npy");
        try (NpyRowWriter w = new NpyRowWriter(p, 3, 2)) {
            w.writeRow(new float[] {1, -2});
            w.writeRow(new float[] {0.5f, Float.MIN_VALUE});
            w.writeRow(new float[] {3e38f, -0f});
        }
        NpyArray a = Npy.read(p);
        assertArrayEquals(new int[] {3, 2}, a.shape());
        assertArrayEquals(new float[] {1, -2, 0.5f, Float.MIN_VALUE, 3e38f, -0f}, a.data());
    }

    @Test
    void emptyMatrix() throws IOException {
        Path p = dir.resolve("e.npy");
        new NpyRowWriter(p, 0, 5).close();
        assertArrayEquals(new int[] {0, 5}, Npy.read(p).shape());
    }

    @Test
    void tooFewRowsFailsOnClose() throws IOException {
        Path p = dir.resolve("short.npy");
        NpyRowWriter w = new NpyRowWriter(p, 2, 1);
        w.writeRow(new float[] {1});
        assertEquals("wrote 1 rows of the 2 declared", assertThrows(IOException.class, w::close).getMessage());
        assertEquals(true, Files.exists(p)); // OutputFile deletes it; the writer alone does not
    }
}
