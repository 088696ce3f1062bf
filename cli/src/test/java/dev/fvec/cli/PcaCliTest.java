package dev.fvec.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fvec.DiagonalGmm;
import dev.fvec.FisherEncoder;
import dev.fvec.Kernels;
import dev.fvec.internal.SyntheticDescriptors;
import dev.fvec.io.Npy;
import dev.fvec.io.NpyArray;
import dev.fvec.io.Npz;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fvec train --pca D [--whiten]}, and {@code fvec encode} of raw descriptors with the model it writes. */
class PcaCliTest {

    private static final int DIN = 12;

    @TempDir
    Path dir;

    @Test
    void trainsWithPcaAndEncodesRawDescriptors() throws IOException {
        float[] x = SyntheticDescriptors.generate(3, 800, DIN, 7);
        Path data = dir.resolve("raw.npy");
        Npy.write(data, x, 800, DIN);
        Path model = dir.resolve("model.npz");
        CliRun r = CliRun.of("train", "--kernel", "scalar", "--pca", "5", "--whiten", "--components", "3",
                "--iterations", "6", "--seed", "2", "--out", model.toString(), data.toString());
        assertEquals(0, r.status, r.toString());
        assertTrue(r.err.contains("descriptors of D = 12 from 1 file, PCA to D = 5 (whitened), scalar kernel"), r.err);
        DiagonalGmm gmm = Npz.readModel(model);
        assertEquals(5, gmm.dimension());
        assertEquals(DIN, gmm.inputDimension());
        assertTrue(gmm.projection().get().whiten());

        Path image = dir.resolve("img.npy");
        Npy.write(image, Arrays.copyOf(x, 50 * DIN), 50, DIN);
        Path fv = dir.resolve("fv.npy");
        CliRun e = CliRun.of("encode", "--kernel", "scalar", "--model", model.toString(), "--out", fv.toString(),
                image.toString());
        assertEquals(0, e.status, e.toString());
        NpyArray got = Npy.read(fv);
        float[] want = FisherEncoder.builder(gmm).kernel(Kernels.scalar()).build().encode(Arrays.copyOf(x, 50 * DIN), 50);
        assertArrayEquals(want, got.data());
    }

    @Test
    void rejectsBadPcaOptionsAndWidths() throws IOException {
        float[] x = SyntheticDescriptors.generate(3, 200, DIN, 7);
        Path data = dir.resolve("raw.npy");
        Npy.write(data, x, 200, DIN);
        Path model = dir.resolve("model.npz");
        CliRun r = CliRun.of("train", "--pca", "13", "--components", "2", "--out", model.toString(), data.toString());
        assertEquals(2, r.status, r.toString());
        assertTrue(r.err.contains("--pca 13 needs descriptors of at least 13 dimensions, but the input has D = 12"), r.err);
        r = CliRun.of("train", "--whiten", "--components", "2", "--out", model.toString(), data.toString());
        assertEquals(2, r.status, r.toString());
        assertTrue(r.err.contains("--whiten needs --pca D"), r.err);

        r = CliRun.of("train", "--pca", "4", "--components", "2", "--iterations", "2", "--out", model.toString(),
                data.toString());
        assertEquals(0, r.status, r.toString());
        Path projected = dir.resolve("projected.npy");
        Npy.write(projected, new float[4 * 3], 3, 4);
        CliRun e = CliRun.of("encode", "--model", model.toString(), "--out", dir.resolve("fv.npy").toString(),
                projected.toString());
        assertEquals(2, e.status, e.toString());
        assertTrue(e.err.contains("has D = 4 columns but the model takes Din = 12 (its PCA Din=12 -> D=4)"), e.err);
    }
}
