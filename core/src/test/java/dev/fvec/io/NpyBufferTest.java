package dev.fvec.io;

import static dev.fvec.io.TestFiles.dict;
import static dev.fvec.io.TestFiles.f4;
import static dev.fvec.io.TestFiles.fixture;
import static dev.fvec.io.TestFiles.npy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Npy#readInto(Path, NpyBuffer)}: the same result as {@link Npy#read(Path)}, in a reused array. */
class NpyBufferTest {

    @TempDir
    Path dir;

    @Test
    void everyFixtureReadsAsNpyReadDoesOrFailsWithTheSameMessage() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(fixture("ref_7x5.npy").getParent())) {
            files = s.filter(p -> p.toString().endsWith(".npy")).sorted().collect(Collectors.toList());
        }
        assertTrue(files.size() >= 15, "fixtures found: " + files);
        // One buffer for all: what an earlier (larger or failed) file left must not show through.
        NpyBuffer buf = new NpyBuffer();
        int loaded = 0;
        for (Path f : files) {
            NpyArray expected;
            try {
                expected = Npy.read(f);
            } catch (NpyFormatException e) {
                NpyFormatException got = assertThrows(NpyFormatException.class, () -> Npy.readInto(f, buf), f.toString());
                assertEquals(e.getMessage(), got.getMessage());
                assertEquals(0, buf.size(), "a failed read leaves the buffer empty");
                continue;
            }
            NpyHeader h = Npy.readInto(f, buf);
            assertArrayEquals(expected.shape(), buf.shape(), f.toString());
            assertArrayEquals(expected.shape(), h.shape(), f.toString());
            assertEquals(expected.rows(), buf.rows());
            assertEquals(expected.cols(), buf.cols());
            assertEquals(expected.size(), buf.size());
            assertArrayEquals(expected.data(), Arrays.copyOf(buf.data(), buf.size()), f.toString());
            assertArrayEquals(expected.data(), buf.toArray().data());
            loaded++;
        }
        assertTrue(loaded >= 8, "fixtures that load: " + loaded); // f4, f8, big-endian, v2, v3, refs
    }

    @Test
    void growsOnlyWhenTooSmall() throws IOException {
        Path small = file("small.npy", 2, 3);
        Path large = file("large.npy", 11, 3);
        Path middle = file("middle.npy", 5, 3);
        NpyBuffer buf = new NpyBuffer(10);
        float[] first = buf.data();

        Npy.readInto(small, buf);
        assertSame(first, buf.data(), "6 floats fit in 10");
        assertArrayEquals(values(2, 3), Arrays.copyOf(buf.data(), buf.size()));

        Npy.readInto(large, buf);
        float[] grown = buf.data();
        assertNotSame(first, grown);
        assertEquals(33, buf.capacity(), "max(33 needed, 10 * 1.5)");
        assertArrayEquals(values(11, 3), Arrays.copyOf(grown, buf.size()));

        Npy.readInto(middle, buf);
        assertSame(grown, buf.data(), "15 floats fit in 33");
        assertArrayEquals(new int[] {5, 3}, buf.shape());
        assertArrayEquals(values(5, 3), Arrays.copyOf(buf.data(), buf.size()));

        NpyBuffer slow = new NpyBuffer(100);
        Npy.readInto(file("slightly.npy", 101, 1), slow);
        assertEquals(150, slow.capacity(), "grows by half, so slowly growing files do not reallocate each time");
    }

    @Test
    void float64IsNarrowedWithTheRangeCheckNamingTheFile() throws IOException {
        NpyBuffer buf = new NpyBuffer();
        Npy.readInto(fixture("f8_2d.npy"), buf);
        assertArrayEquals(Npy.read(fixture("f8_2d.npy")).data(), Arrays.copyOf(buf.data(), buf.size()));
        NpyFormatException e = assertThrows(NpyFormatException.class,
                () -> Npy.readInto(fixture("f8_overflow.npy"), buf));
        assertTrue(e.getMessage().startsWith(fixture("f8_overflow.npy").toString() + ": value "), e.getMessage());
        assertTrue(e.getMessage().contains("outside the float32 range"), e.getMessage());
        assertEquals(0, buf.size());
    }

    @Test
    void truncatedFileIsRejectedBeforeTheBufferGrows() throws IOException {
        // The header claims 10^9 floats: the size check against the file comes first.
        Path f = dir.resolve("liar.npy");
        Files.write(f, npy(1, dict("<f4", "(1000000000,)"), f4(1, 2, 3)));
        NpyBuffer buf = new NpyBuffer(3);
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.readInto(f, buf));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertEquals(3, buf.capacity());
    }

    @Test
    void emptyBufferAndBadArguments() {
        NpyBuffer buf = new NpyBuffer();
        assertEquals(0, buf.size());
        assertEquals(0, buf.capacity());
        assertArrayEquals(new int[] {0}, buf.shape());
        assertThrows(IllegalArgumentException.class, () -> new NpyBuffer(-1));
        assertThrows(IllegalArgumentException.class, () -> Npy.readInto(dir.resolve("x.npy"), (NpyBuffer) null));
    }

    private Path file(String name, int rows, int cols) throws IOException {
        Path f = dir.resolve(name);
        Npy.write(f, values(rows, cols), rows, cols);
        return f;
    }

    private static float[] values(int rows, int cols) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = i * 0.25f - rows;
        }
        return v;
    }
}
