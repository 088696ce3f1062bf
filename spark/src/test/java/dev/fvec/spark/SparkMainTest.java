package dev.fvec.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fvec.DiagonalGmm;
import dev.fvec.FisherEncoder;
import dev.fvec.internal.SyntheticDescriptors;
import dev.fvec.io.Npy;
import dev.fvec.io.NpyArray;
import dev.fvec.io.Npz;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fvec-spark train} then {@code encode}, in this JVM's shared session. */
class SparkMainTest {

    static final int D = 5;

    @TempDir
    Path dir;

    @Test
    void trainThenEncodeInInputOrderAndErrorsInOneLine() throws Exception {
        SharedSpark.spark(); // the commands reuse it (and leave it running)
        float[] x = SyntheticDescriptors.generate(8, 900, D, 3);
        for (int i = 0; i < 3; i++) {
            Npy.write(dir.resolve("f" + i + ".npy"), Arrays.copyOfRange(x, i * 300 * D, (i + 1) * 300 * D), 300, D);
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        String model = dir.resolve("gmm.npz").toString();
        assertEquals(0, SparkMain.run(new String[] {"train", "--quiet", "--components", "3", "--seed", "2",
            "--iterations", "4", "--out", model, dir + "/f*.npy"}, e), err.toString(StandardCharsets.UTF_8));
        DiagonalGmm gmm = Npz.readModel(Path.of(model));
        assertEquals(3, gmm.components());

        Path out = dir.resolve("fv.npy");
        assertEquals(0, SparkMain.run(new String[] {"encode", "--quiet", "--model", model, "--improved", "--out",
            out.toString(), dir.resolve("f2.npy").toString(), dir + "/f*.npy"}, e), err.toString(StandardCharsets.UTF_8));
        NpyArray fv = Npy.read(out);
        FisherEncoder encoder = FisherEncoder.builder(gmm).improved().build();
        int[] order = {2, 0, 1}; // f2 first, then the glob's others in path order
        assertEquals(3, fv.rows());
        for (int r = 0; r < 3; r++) {
            int f = order[r];
            assertArrayEquals(encoder.encode(Arrays.copyOfRange(x, f * 300 * D, (f + 1) * 300 * D), 300),
                    Arrays.copyOfRange(fv.data(), r * fv.cols(), (r + 1) * fv.cols()), "row " + r);
        }

        // --pca: the model keeps the projection, and encode takes the raw D = 5 descriptors.
        String pcaModel = dir.resolve("pca.npz").toString();
        assertEquals(0, SparkMain.run(new String[] {"train", "--quiet", "--components", "3", "--seed", "2",
            "--iterations", "3", "--pca", "3", "--whiten", "--out", pcaModel, dir + "/f[0-2].npy"}, e),
                err.toString(StandardCharsets.UTF_8));
        DiagonalGmm withPca = Npz.readModel(Path.of(pcaModel));
        assertEquals(3, withPca.dimension());
        assertEquals(D, withPca.inputDimension());
        assertTrue(withPca.projection().orElseThrow().whiten());
        Path pcaOut = dir.resolve("fv-pca.npy");
        assertEquals(0, SparkMain.run(new String[] {"encode", "--quiet", "--model", pcaModel, "--out",
            pcaOut.toString(), dir.resolve("f1.npy").toString()}, e), err.toString(StandardCharsets.UTF_8));
        assertArrayEquals(FisherEncoder.builder(withPca).build().encode(Arrays.copyOfRange(x, 300 * D, 600 * D), 300),
                Npy.read(pcaOut).data());
        assertEquals(2, SparkMain.run(new String[] {"train", "--components", "3", "--whiten", "--out", pcaModel,
            dir + "/f[0-2].npy"}, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--whiten needs --pca D"),
                err.toString(StandardCharsets.UTF_8));

        err.reset();
        assertEquals(2, SparkMain.run(new String[] {"encode", "--model", model, "--out", out.toString(),
            dir + "/missing.npy"}, e));
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.startsWith("fvec-spark: ") && message.contains("missing.npy: no such file"), message);
        assertEquals(1, message.strip().lines().count(), message);
    }
}
