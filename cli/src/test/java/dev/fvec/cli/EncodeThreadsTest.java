package dev.fvec.cli;

import dev.fvec.spi.KernelProvider;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fvec.GoldenCases;
import dev.fvec.Kernels;
import dev.fvec.io.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fvec encode --threads T}: bitwise the same file for every T, rows in input order. */
class EncodeThreadsTest {

    private static final String CASE = "a_D64_K256_N1000"; // D = 64
    private static final int D = 64;

    @TempDir
    Path dir;

    private final Path model = GoldenCases.path(CASE + "/model.npz");

    /** 60 small files of 0 to 40 rows cut from the golden descriptors, some repeated. */
    private List<String> smallFiles() throws IOException {
        float[] x = Npy.read(GoldenCases.path(CASE + "/descriptors.npy")).data();
        Random random = new Random(7);
        List<String> files = new ArrayList<>();
        for (int f = 0; f < 60; f++) {
            int rows = f % 13 == 0 ? 0 : 1 + random.nextInt(40);
            int from = random.nextInt(1000 - rows);
            Path p = dir.resolve("f" + f + ".npy");
            Npy.write(p, Arrays.copyOfRange(x, from * D, (from + rows) * D), rows, D);
            files.add(p.toString());
        }
        files.add(files.get(3)); // the same file again: the same row again
        return files;
    }

    private byte[] encode(List<String> files, String kernel, int threads, String... options) throws IOException {
        Path out = dir.resolve("out-" + kernel + "-" + threads + ".npy");
        List<String> args = new ArrayList<>(List.of("encode", "--kernel", kernel, "--threads", "" + threads,
                "--model", model.toString(), "--out", out.toString()));
        args.addAll(List.of(options));
        args.addAll(files);
        CliRun r = CliRun.of(args.toArray(new String[0]));
        assertEquals(0, r.status, r.toString());
        assertTrue(r.err.contains("encode: " + files.size() + "/" + files.size() + " files"), r.err);
        return Files.readAllBytes(out);
    }

    @Test
    void sameBytesForEveryThreadCount() throws IOException {
        List<String> files = smallFiles();
        List<String> kernels = new ArrayList<>(List.of("scalar"));
        if (KernelProvider.installed("simd") != null && KernelProvider.installed("simd").unavailableReason() == null) {
            kernels.add("simd");
        }
        for (String kernel : kernels) {
            byte[] one = encode(files, kernel, 1, "--improved");
            assertArrayEquals(one, encode(files, kernel, 2, "--improved"), kernel + ": T = 2 against T = 1");
            assertArrayEquals(one, encode(files, kernel, 3, "--improved"), kernel + ": T = 3 against T = 1");

            // Rows in input order: each row is what the file gives on its own.
            float[] rows = Npy.read(dir.resolve("out-" + kernel + "-3.npy")).data();
            int length = rows.length / files.size();
            for (int f : new int[] {0, 1, 17, 59}) {
                encode(List.of(files.get(f)), kernel, 1, "--improved"); // overwrites out-KERNEL-1.npy
                float[] alone = Npy.read(dir.resolve("out-" + kernel + "-1.npy")).data();
                assertArrayEquals(alone, Arrays.copyOfRange(rows, f * length, (f + 1) * length), kernel + ": row " + f);
            }
            assertArrayEquals(Arrays.copyOfRange(rows, 3 * length, 4 * length),
                    Arrays.copyOfRange(rows, 60 * length, 61 * length), kernel + ": the same file, the same row");
        }
    }

    @Test
    void theFirstBadFileInInputOrderIsReported() throws IOException {
        List<String> files = smallFiles();
        Path nan = dir.resolve("nan.npy");
        float[] x = new float[3 * D];
        x[2 * D + 5] = Float.NaN;
        Npy.write(nan, x, 3, D);
        Path inf = dir.resolve("inf.npy");
        float[] y = new float[2 * D];
        y[D] = Float.NEGATIVE_INFINITY;
        Npy.write(inf, y, 2, D);
        files.add(40, inf.toString());
        files.add(45, nan.toString());
        Path out = dir.resolve("out.npy");
        for (int threads : new int[] {1, 3}) {
            List<String> args = new ArrayList<>(List.of("encode", "--threads", "" + threads, "--model",
                    model.toString(), "--out", out.toString()));
            args.addAll(files);
            CliRun r = CliRun.of(args.toArray(new String[0]));
            assertEquals(2, r.status, r.toString());
            assertTrue(r.err.endsWith("fvec: " + inf + ": descriptor 1, dimension 0 is -Infinity; every descriptor"
                    + " value must be finite\n"), r.err);
            assertFalse(Files.exists(out), "no output on failure");
        }
    }
}
