package dev.fvec.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fvec.internal.SyntheticDescriptors;
import dev.fvec.io.Npy;
import dev.fvec.io.NpyFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GmmTrainerFilesTest {

    @TempDir
    Path dir;

    private static GmmTrainer trainer() {
        return GmmTrainer.builder(4).seed(5).maxIterations(10).threads(2).build();
    }

    @Test
    void filesTrainLikeTheConcatenatedArray() throws IOException {
        int d = 7;
        float[] x = SyntheticDescriptors.generate(3, 2500, d, 5);
        Path a = dir.resolve("a.npy");
        Path b = dir.resolve("b.npy");
        Path empty = dir.resolve("empty.npy");
        Npy.write(a, Arrays.copyOf(x, 1000 * d), 1000, d);
        Npy.write(empty, new float[0], 0, d);
        Npy.write(b, Arrays.copyOfRange(x, 1000 * d, 2500 * d), 1500, d);
        TrainingResult fromFiles = trainer().fit(List.of(a, empty, b));
        TrainingResult fromArray = trainer().fit(x, 2500, d);
        assertEquals(fromArray.model(), fromFiles.model());
        assertEquals(fromArray.meanLogLikelihood(), fromFiles.meanLogLikelihood());
    }

    @Test
    void rejectsFilesThatDisagreeOnTheDimension() throws IOException {
        Path a = dir.resolve("a.npy");
        Path b = dir.resolve("b.npy");
        Npy.write(a, new float[20 * 3], 20, 3);
        Npy.write(b, new float[20 * 4], 20, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer().fit(List.of(a, b)));
        assertEquals(b + ": descriptors have D = 4 but " + a + " has D = 3", e.getMessage());
    }

    @Test
    void rejectsOneDimensionalFilesAndEmptyLists() throws IOException {
        Path v = dir.resolve("v.npy");
        Npy.write1d(v, new float[12]);
        assertEquals(v + ": shape [12] is not 2-D; descriptors must be an (N, D) array",
                assertThrows(IllegalArgumentException.class, () -> trainer().fit(List.of(v))).getMessage());
        assertEquals("no descriptor files given",
                assertThrows(IllegalArgumentException.class, () -> trainer().fit(List.of())).getMessage());
    }

    @Test
    void nanInAFileIsReportedWithTheFileAndRow() throws IOException {
        int d = 3;
        float[] good = SyntheticDescriptors.generate(1, 50, d, 2);
        float[] bad = SyntheticDescriptors.generate(2, 40, d, 2);
        bad[17 * d + 1] = Float.NaN;
        Path a = dir.resolve("good.npy");
        Path b = dir.resolve("bad.npy");
        Npy.write(a, good, 50, d);
        Npy.write(b, bad, 40, d);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer().fit(List.of(a, b)));
        assertEquals(b + ": value 52 = NaN (descriptor 17, dimension 1): every descriptor value must be finite",
                e.getMessage());
    }

    @Test
    void truncatedFileIsAFormatError() throws IOException {
        Path a = dir.resolve("a.npy");
        Npy.write(a, new float[30 * 2], 30, 2);
        byte[] bytes = Files.readAllBytes(a);
        Files.write(a, Arrays.copyOf(bytes, bytes.length - 5));
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> trainer().fit(List.of(a)));
        assertTrue(e.getMessage().contains(a.toString()), e.getMessage());
    }

    @Test
    void rejectsZeroColumns() throws IOException {
        Path a = dir.resolve("a.npy");
        Npy.write(a, new float[0], 5, 0);
        assertEquals(a + ": D = 0: descriptors need D >= 1 dimensions",
                assertThrows(IllegalArgumentException.class, () -> trainer().fit(List.of(a))).getMessage());
    }

    @Test
    void tooFewRowsAcrossFiles() throws IOException {
        Path a = dir.resolve("a.npy");
        Npy.write(a, new float[3 * 2], 3, 2);
        assertEquals("N = 3 descriptors cannot train K = 4 components: need N >= K",
                assertThrows(IllegalArgumentException.class, () -> trainer().fit(List.of(a))).getMessage());
    }
}
