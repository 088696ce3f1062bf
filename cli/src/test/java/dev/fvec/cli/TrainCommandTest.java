package dev.fvec.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fvec.DiagonalGmm;
import dev.fvec.internal.SyntheticDescriptors;
import dev.fvec.io.Npy;
import dev.fvec.io.Npz;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {

    private static final int D = 8;

    @TempDir
    Path dir;
    private Path first;
    private Path second;
    private Path out;

    @BeforeEach
    void data() throws IOException {
        float[] x = SyntheticDescriptors.generate(3, 1000, D, 5);
        first = dir.resolve("first.npy");
        second = dir.resolve("second.npy");
        Npy.write(first, Arrays.copyOf(x, 600 * D), 600, D);
        Npy.write(second, Arrays.copyOfRange(x, 600 * D, 1000 * D), 400, D);
        out = dir.resolve("model.npz");
    }

    @Test
    void writesAModelThatLoads() throws IOException {
        CliRun r = CliRun.of("train", "--components", "4", "--iterations", "8", "--seed", "5", "--threads", "2",
                "--out", out.toString(), first.toString(), second.toString());
        assertEquals(0, r.status, r.toString());
        assertEquals("", r.out);
        assertTrue(r.err.contains("K = 4 components on 1,000 descriptors of D = 8 from 2 files"), r.err);
        assertTrue(r.err.contains("train: 1/8 iterations, mean log-likelihood "), "per-iteration progress: " + r.err);
        assertTrue(r.err.contains("train: 0/8 iterations, k-means++ seeding 24/24"), "seeding progress: " + r.err);
        assertFalse(r.err.contains("k-means 1/"), "no Lloyd iterations by default at K = 4: " + r.err);
        assertTrue(r.err.contains("fvec train: wrote " + out), r.err);
        DiagonalGmm model = Npz.readModel(out);
        assertEquals(4, model.components());
        assertEquals(D, model.dimension());
    }

    @Test
    void sameSeedSameModelWhateverTheThreadCount() throws IOException {
        Path other = dir.resolve("other.npz");
        String[] common = {"train", "--kernel", "scalar", "--components", "3", "--iterations", "5", "--init", "random",
            "--tolerance", "0", "--variance-floor", "1e-3", "--seed", "11", "-q"};
        CliRun a = CliRun.of(EncodeCommandTest.concat(common, "--threads", "1", "--out", out.toString(), first.toString()));
        CliRun b = CliRun.of(EncodeCommandTest.concat(common, "--threads", "2", "--out", other.toString(), first.toString()));
        assertEquals(0, a.status, a.toString());
        assertEquals(0, b.status, b.toString());
        assertEquals("", a.err + b.err, "--quiet");
        assertEquals(Npz.readModel(out), Npz.readModel(other));
        float[] v = Npz.readModel(out).variances();
        for (float x : v) {
            assertTrue(x >= 1e-3f, "variance floor: " + Arrays.toString(v));
        }
    }

    @Test
    void inputsMustAgreeOnD() throws IOException {
        Path wide = dir.resolve("wide.npy");
        Npy.write(wide, new float[10 * 9], 10, 9);
        assertFails(wide + ": descriptors have D = 9 but " + first + " has D = 8", "--components", "2", "--out",
                out.toString(), first.toString(), wide.toString());
    }

    @Test
    void tooFewDescriptors() {
        assertFails("--components 2000 needs at least 2000 descriptors, but the inputs have 1000", "--components",
                "2000", "--out", out.toString(), first.toString(), second.toString());
    }

    @Test
    void nanIsReportedWithItsFile() throws IOException {
        float[] x = new float[20 * D];
        x[5 * D + 7] = Float.POSITIVE_INFINITY;
        Path bad = dir.resolve("inf.npy");
        Npy.write(bad, x, 20, D);
        assertFails(bad + ": value 47 = Infinity (descriptor 5, dimension 7): every descriptor value must be finite", "--components", "2", "--out", out.toString(),
                first.toString(), bad.toString());
    }

    @Test
    void badOptions() {
        String[] files = {"--out", out.toString(), first.toString()};
        assertFails("missing --components (see 'fvec train --help')", files);
        assertFails("--components: expected a whole number >= 1, got 0", EncodeCommandTest.concat(files, "--components", "0"));
        assertFails("--init: expected kmeans++ or random, got 'kmeans'",
                EncodeCommandTest.concat(files, "--components", "2", "--init", "kmeans"));
        assertFails("--iterations: expected a whole number >= 1, got 'many'",
                EncodeCommandTest.concat(files, "--components", "2", "--iterations", "many"));
        assertFails("--variance-floor: expected a number in (0, ",
                EncodeCommandTest.concat(files, "--components", "2", "--variance-floor", "0"));
        assertFails("--threads: expected a whole number in [1, 4096], got 0",
                EncodeCommandTest.concat(files, "--components", "2", "--threads", "0"));
        assertFails("--tolerance: expected a number in [0, ",
                EncodeCommandTest.concat(files, "--components", "2", "--tolerance", "-1"));
        assertFails("missing --out", "--components", "2", first.toString());
    }

    private void assertFails(String fragment, String... args) {
        CliRun r = CliRun.of(EncodeCommandTest.concat(new String[] {"train"}, args));
        assertEquals(2, r.status, r.toString());
        // Status lines ("fvec train: ...") may come first; the error is the one last line, without a stack trace.
        String[] lines = r.err.split("\n");
        String last = lines[lines.length - 1];
        assertTrue(last.startsWith("fvec: ") && r.err.endsWith(last + "\n"), "error line last: " + r.err);
        assertEquals(1, Arrays.stream(lines).filter(l -> l.startsWith("fvec: ")).count(), r.err);
        assertFalse(r.err.contains("\tat "), "no stack trace: " + r.err);
        assertTrue(last.contains(fragment), "'" + fragment + "' not in: " + r.err);
        assertFalse(Files.exists(out), "no model written");
        try (var files = Files.list(dir)) {
            assertArrayEquals(new long[] {0}, new long[] {files.filter(p -> p.toString().contains(".tmp")).count()});
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
