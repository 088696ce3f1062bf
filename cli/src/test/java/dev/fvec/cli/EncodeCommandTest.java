package dev.fvec.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fvec.DiagonalGmm;
import dev.fvec.FisherEncoder;
import dev.fvec.FisherForm;
import dev.fvec.GmmStatistics;
import dev.fvec.GoldenCases;
import dev.fvec.Sparsity;
import dev.fvec.io.Npz;
import dev.fvec.Kernels;
import dev.fvec.Tolerances;
import dev.fvec.io.Npy;
import dev.fvec.io.NpyArray;
import dev.fvec.spi.KernelProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code fvec encode} against the float64 golden references, and every class of error. */
class EncodeCommandTest {

    private static final String CASE = "a_D64_K256_N1000"; // D = 64

    @TempDir
    Path dir;
    private Path model;
    private Path descriptors;
    private Path out;

    @BeforeEach
    void goldenFiles() {
        model = GoldenCases.path(CASE + "/model.npz");
        descriptors = GoldenCases.path(CASE + "/descriptors.npy");
        out = dir.resolve("out.npy");
    }

    /** Command-line options, the golden file they must reproduce, and the kernel. */
    static Stream<Arguments> goldenVariants() {
        String[][] variants = {
            {"", "vlfeat_t1e-6"},
            {"--improved", "vlfeat_improved_t1e-6"},
            {"--form vlfeat --hard", "vlfeat_hard"},
            {"--form gist --threshold 0", "gist_t0"},
            {"--form gist --improved --hard", "gist_improved_hard"},
            {"--form skimage --hard", "skimage_hard"},
            {"--form skimage --power 0.5 --l2 --threshold 0", "skimage_improved_t0"},
            {"--form=SKIMAGE --threshold=1e-6 --improved", "skimage_improved_t1e-6"},
            // No --threshold: gist and skimage default to exact posteriors (SPEC.md, Posteriors).
            {"--form gist", "gist_t0"},
            {"--form skimage --improved", "skimage_improved_t0"},
        };
        KernelProvider simd = KernelProvider.installed("simd");
        boolean simdUsable = simd != null && simd.unavailableReason() == null;
        List<Arguments> out = new ArrayList<>();
        for (String kernel : simdUsable ? new String[] {"scalar", "simd"} : new String[] {"scalar"}) {
            for (String c : GoldenCases.CASES) {
                for (String[] v : variants) {
                    out.add(Arguments.of(kernel, c, v[0], v[1]));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}: {1} [{2}] = expected_{3}")
    @MethodSource("goldenVariants")
    void reproducesGoldenReferences(String kernel, String caseName, String options, String expected)
            throws IOException {
        List<String> args = new ArrayList<>(List.of("encode", "--kernel", kernel,
                "--model", GoldenCases.path(caseName + "/model.npz").toString()));
        if (!options.isEmpty()) {
            args.addAll(Arrays.asList(options.split(" ")));
        }
        args.addAll(List.of("--quiet", "--out", out.toString(), GoldenCases.path(caseName + "/descriptors.npy").toString()));
        CliRun r = CliRun.of(args.toArray(new String[0]));
        assertEquals(0, r.status, r.toString());
        assertEquals("", r.err, "--quiet");
        NpyArray got = Npy.read(out);
        double[] want = toDouble(GoldenCases.read(caseName + "/expected_" + expected + ".npy").data());
        assertArrayEquals(new int[] {1, want.length}, got.shape());
        // The scalar kernel is the reference: held to the reference tolerance, so a wrong threshold shows.
        Tolerances.Tolerance tolerance = kernel.equals("scalar") ? Tolerances.REFERENCE : Tolerances.FLOAT_KERNEL;
        tolerance.assertClosePowered(want, got.data(), expected.contains("improved") ? 0.5 : 0,
                kernel + " " + caseName + " " + options);
    }

    @Test
    void oneRowPerInputInArgumentOrder() throws IOException {
        Path empty = dir.resolve("empty.npy");
        Npy.write(empty, new float[0], 0, 64);
        Path half = dir.resolve("half.npy");
        NpyArray all = Npy.read(descriptors);
        Npy.write(half, Arrays.copyOf(all.data(), 500 * 64), 500, 64);

        CliRun r = CliRun.of("encode", "--model", model.toString(), "--out", out.toString(),
                descriptors.toString(), empty.toString(), half.toString(), descriptors.toString());
        assertEquals(0, r.status, r.toString());
        assertTrue(r.err.contains("encode: 4/4 files"), "plain progress lines when not on a terminal: " + r.err);
        assertTrue(r.err.contains("wrote 4 x 32768 to " + out), r.err);
        NpyArray got = Npy.read(out);
        assertArrayEquals(new int[] {4, 32768}, got.shape());
        float[] fv = got.data();
        float[] first = Arrays.copyOfRange(fv, 0, 32768);
        Tolerances.FLOAT_KERNEL.assertClose(toDouble(GoldenCases.read(CASE + "/expected_vlfeat_t1e-6.npy").data()),
                first, "row 0");
        assertArrayEquals(new float[32768], Arrays.copyOfRange(fv, 32768, 2 * 32768), "empty input: zero vector");
        assertFalse(Arrays.equals(first, Arrays.copyOfRange(fv, 2 * 32768, 3 * 32768)), "half the descriptors");
        // Kernels are deterministic: the same input gives bitwise the same row, whichever thread encoded it.
        assertArrayEquals(first, Arrays.copyOfRange(fv, 3 * 32768, 4 * 32768), "same input, same row");
    }

    /** Posterior terms the scalar kernel keeps on the golden descriptors with {@code sparsity}. */
    private long keptTerms(FisherForm form, Sparsity sparsity) throws IOException {
        DiagonalGmm gmm = Npz.readModel(model);
        FisherEncoder.Builder b = FisherEncoder.builder(gmm).form(form).kernel(Kernels.scalar());
        FisherEncoder encoder = (sparsity == null ? b : b.sparsity(sparsity)).build();
        NpyArray x = Npy.read(descriptors);
        GmmStatistics stats = encoder.newStatistics();
        encoder.accumulate(x.data(), 0, x.rows(), stats);
        return stats.keptTerms();
    }

    /** The kept-term count the verbose summary reports. */
    private static long reportedKeptTerms(CliRun r) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("fvec encode: ([0-9,]+) posterior terms kept")
                .matcher(r.err);
        assertTrue(m.find(), r.err);
        return Long.parseLong(m.group(1).replace(",", ""));
    }

    private CliRun verboseScalar(String... options) {
        CliRun r = CliRun.of(concat(concat(new String[] {"encode", "--kernel", "scalar", "--verbose", "--model",
            model.toString(), "--out", out.toString()}, options), descriptors.toString()));
        assertEquals(0, r.status, r.toString());
        return r;
    }

    @Test
    void thresholdDecidesTheKeptTerms() throws IOException {
        long all = 1000L * 256; // N x K
        assertEquals(all, reportedKeptTerms(verboseScalar("--threshold", "0")), "--threshold 0 keeps every term");
        long vlfeat = keptTerms(FisherForm.VLFEAT, Sparsity.threshold(1e-6));
        assertTrue(vlfeat < all / 10, "1e-6 drops most terms on these data: " + vlfeat);
        assertEquals(vlfeat, reportedKeptTerms(verboseScalar("--threshold", "1e-6")));
        long coarse = keptTerms(FisherForm.VLFEAT, Sparsity.threshold(0.05));
        assertTrue(coarse < vlfeat, coarse + " vs " + vlfeat);
        assertEquals(coarse, reportedKeptTerms(verboseScalar("--threshold", "0.05")));
        assertEquals(1000, reportedKeptTerms(verboseScalar("--hard")), "--hard keeps one term a descriptor");
    }

    /** Without --threshold, each form gets the library's default for it (SPEC.md, Posteriors). */
    @Test
    void withoutThresholdEachFormGetsTheLibraryDefault() throws IOException {
        for (FisherForm form : FisherForm.values()) {
            String name = form.name().toLowerCase(java.util.Locale.ROOT);
            CliRun r = verboseScalar("--form", name);
            assertEquals(keptTerms(form, null), reportedKeptTerms(r), name);
            Sparsity resolved = FisherEncoder.builder(Npz.readModel(model)).form(form).build().sparsity();
            assertTrue(r.err.contains(", " + EncodeCommand.describe(resolved) + ", scalar kernel"), r.err);
        }
    }

    @Test
    void replacesAnExistingOutput() throws IOException {
        Files.writeString(out, "old");
        CliRun r = CliRun.of("encode", "-q", "--model", model.toString(), "--out", out.toString(), descriptors.toString());
        assertEquals(0, r.status, r.toString());
        assertArrayEquals(new int[] {1, 32768}, Npy.read(out).shape());
        assertEquals(List.of("out.npy"), listDir(), "no temporary file left");
    }

    @Test
    void verboseReportsTheKernel() {
        CliRun r = CliRun.of("encode", "--kernel", "scalar", "--verbose", "--model", model.toString(),
                "--out", out.toString(), descriptors.toString());
        assertEquals(0, r.status, r.toString());
        assertTrue(r.err.startsWith("fvec: scalar kernel (forced by --kernel)\n"), r.err);
        assertTrue(r.err.contains("vlfeat (length 32768), power off, l2 off, threshold 1e-6, scalar kernel, "),
                r.err);
    }

    // ---- errors: exit 2, one line naming the file or option, no output file left behind

    @Test
    void missingModel() {
        assertFails("nope.npz: no such file", "--model", dir.resolve("nope.npz").toString(), "--out", out.toString(),
                descriptors.toString());
    }

    @Test
    void missingInput() {
        Path missing = dir.resolve("missing.npy");
        assertFails(missing + ": no such file", "--model", model.toString(), "--out", out.toString(),
                descriptors.toString(), missing.toString());
    }

    @Test
    void malformedInput() throws IOException {
        Path bad = dir.resolve("bad.npy");
        Files.writeString(bad, "this is not a NumPy file");
        assertFails("bad.npy", "--model", model.toString(), "--out", out.toString(), descriptors.toString(),
                bad.toString());
    }

    @Test
    void csvInputSaysHowToMakeANpy() throws IOException {
        Path csv = dir.resolve("x.csv");
        Files.writeString(csv, "1.0,2.0\n3.0,4.0\n");
        String err = assertFails(csv + ": not a .npy file", "--model", model.toString(), "--out", out.toString(),
                csv.toString());
        assertTrue(err.contains("np.save('x.npy', np.asarray(a, dtype=np.float32))"), err);
    }

    @Test
    void truncatedInput() throws IOException {
        Path truncated = dir.resolve("truncated.npy");
        byte[] whole = Files.readAllBytes(descriptors);
        Files.write(truncated, Arrays.copyOf(whole, whole.length - 10));
        assertFails("truncated.npy", "--model", model.toString(), "--out", out.toString(), truncated.toString());
    }

    @Test
    void malformedModel() throws IOException {
        Path bad = dir.resolve("bad.npz");
        Files.writeString(bad, "PK but not really a zip");
        assertFails("bad.npz", "--model", bad.toString(), "--out", out.toString(), descriptors.toString());
    }

    @Test
    void dimensionMismatch() throws IOException {
        Path narrow = dir.resolve("narrow.npy");
        Npy.write(narrow, new float[3 * 32], 3, 32);
        String err = assertFails("", "--model", model.toString(), "--out", out.toString(), descriptors.toString(),
                narrow.toString());
        assertEquals("fvec: " + narrow + " has D = 32 columns but the model has D = 64 (" + model + ")\n", err);
    }

    @Test
    void notTwoDimensional() throws IOException {
        Path vector = dir.resolve("vector.npy");
        Files.copy(GoldenCases.path(CASE + "/expected_vlfeat_t0.npy"), vector);
        assertFails("vector.npy is a 1-D array; descriptors must be 2-D (N x D)", "--model", model.toString(),
                "--out", out.toString(), vector.toString());
    }

    @Test
    void nanInTheLastInputLeavesNoOutputAndKeepsTheOldOne() throws IOException {
        Files.writeString(out, "old");
        Path nan = dir.resolve("nan.npy");
        float[] x = new float[2 * 64];
        x[64 + 2] = Float.NaN;
        Npy.write(nan, x, 2, 64);
        CliRun r = CliRun.of("encode", "--model", model.toString(), "--out", out.toString(), descriptors.toString(),
                nan.toString());
        assertEquals(2, r.status, r.toString());
        assertTrue(r.err.endsWith("fvec: " + nan + ": descriptor 1, dimension 2 is NaN; every descriptor value must be finite\n"),
                r.err);
        assertEquals("old", Files.readString(out), "a failed run must not touch an existing output");
        assertEquals(List.of("nan.npy", "out.npy"), listDir(), "no temporary file left");
    }

    @Test
    void badOptions() {
        String[] base = {"--model", model.toString(), "--out", out.toString(), descriptors.toString()};
        assertFails("--form: expected vlfeat or gist or skimage, got 'fast'", concat(base, "--form", "fast"));
        assertFails("--improved and --power cannot be combined", concat(base, "--improved", "--power", "0.5"));
        assertFails("--improved and --l2 cannot be combined", concat(base, "--improved", "--l2"));
        assertFails("--threshold and --hard cannot be combined", concat(base, "--threshold", "0", "--hard"));
        assertFails("--power: expected a number in (0, 1], got 2", concat(base, "--power", "2"));
        assertFails("--power: expected a number in (0, 1], got 0", concat(base, "--power", "0"));
        assertFails("--threshold: expected a number in [0, 1], got -1e-6", concat(base, "--threshold", "-1e-6"));
        assertFails("--threshold: expected a number in [0, 1], got 'small'", concat(base, "--threshold", "small"));
        assertFails("unknown option --bogus for 'fvec encode' (see 'fvec encode --help')", concat(base, "--bogus"));
        assertFails("--kernel: expected scalar or simd, got 'gpu'", concat(base, "--kernel", "gpu"));
        assertFails("--model is given more than once", concat(base, "--model", model.toString()));
        assertFails("--threshold needs a value: --threshold T", concat(base, "--threshold"));
    }

    @Test
    void missingRequiredArguments() {
        assertFails("missing --out (see 'fvec encode --help')", "--model", model.toString(), descriptors.toString());
        assertFails("missing --model (see 'fvec encode --help')", "--out", out.toString(), descriptors.toString());
        assertFails("no INPUT.npy given: name at least one descriptor file", "--model", model.toString(), "--out",
                out.toString());
    }

    @Test
    void outputDirectoryMustExist() {
        Path nowhere = dir.resolve("no/such/dir/out.npy");
        assertFails("--out " + nowhere + ": directory " + nowhere.getParent() + " does not exist", "--model",
                model.toString(), "--out", nowhere.toString(), descriptors.toString());
        assertFails("--out " + dir + " is a directory; expected a file name", "--model", model.toString(), "--out",
                dir.toString(), descriptors.toString());
    }

    @Test
    void verboseAddsTheStackTrace() throws IOException {
        Path narrow = dir.resolve("narrow.npy");
        Npy.write(narrow, new float[32], 1, 32);
        Path argfile = dir.resolve("args");
        Files.writeString(argfile, "-v\n");
        String[] rest = {"--model", model.toString(), "--out", out.toString(), narrow.toString()};
        // --verbose after the command, -v before it, or in an @argfile
        for (String[] args : new String[][] {concat(new String[] {"encode", "--verbose"}, rest),
            concat(new String[] {"-v", "encode"}, rest), concat(new String[] {"encode", "@" + argfile}, rest)}) {
            CliRun r = CliRun.of(args);
            assertEquals(2, r.status);
            assertTrue(r.err.contains("fvec: " + narrow + " has D = 32 columns"), r.err);
            assertTrue(r.err.contains("\tat dev.fvec.cli.EncodeCommand.run"), r.err);
        }
    }

    /** Runs {@code fvec encode args}; checks exit 2, one error line containing {@code fragment}, no output. */
    private String assertFails(String fragment, String... args) {
        CliRun r = CliRun.of(concat(new String[] {"encode"}, args));
        assertEquals(2, r.status, r.toString());
        assertTrue(r.err.startsWith("fvec: ") && r.err.endsWith("\n") && r.err.indexOf('\n') == r.err.length() - 1,
                "one line: " + r.err);
        assertTrue(r.err.contains(fragment), "'" + fragment + "' not in: " + r.err);
        assertFalse(Files.exists(out) && !isOld(), "no output file: " + r.err);
        assertTrue(listDir().stream().noneMatch(n -> n.contains(".tmp")), "temporary files left: " + listDir());
        return r.err;
    }

    private boolean isOld() {
        try {
            return Files.readString(out).equals("old");
        } catch (IOException e) {
            return false;
        }
    }

    private List<String> listDir() {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String[] concat(String[] a, String... b) {
        String[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }
}
