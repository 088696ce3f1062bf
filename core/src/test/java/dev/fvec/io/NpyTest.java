package dev.fvec.io;

import static dev.fvec.io.TestFiles.dict;
import static dev.fvec.io.TestFiles.f4;
import static dev.fvec.io.TestFiles.f8;
import static dev.fvec.io.TestFiles.fixture;
import static dev.fvec.io.TestFiles.golden;
import static dev.fvec.io.TestFiles.npy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NpyTest {

    @TempDir
    Path dir;

    // ------------------------------------------------------------ round trips

    @ParameterizedTest
    @CsvSource({"1, 1", "3, 7", "7, 3", "0, 5", "5, 0", "0, 0", "13, 1", "1, 13", "257, 31"})
    void writeThenReadGivesTheSameArray(int rows, int cols) throws IOException {
        float[] data = randomFloats(rows * cols, 31L * rows + cols);
        Path file = dir.resolve("x.npy");
        Npy.write(file, data, rows, cols);
        NpyArray a = Npy.read(file);
        assertArrayEquals(new int[] {rows, cols}, a.shape());
        assertEquals(rows, a.rows());
        assertEquals(cols, a.cols());
        assertEquals(rows * cols, a.size());
        assertArrayEquals(data, a.data());
        assertEquals(0, (Files.size(file) - 4L * rows * cols) % 64, "data starts 64-byte aligned and the header is padded as NumPy does");
    }

    @Test
    void specialValuesSurviveBitForBit() throws IOException {
        float[] data = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0.0f, Float.MIN_VALUE,
            Float.MAX_VALUE, -Float.MIN_NORMAL, 1f / 3};
        Path file = dir.resolve("special.npy");
        Npy.write(file, data, 2, 4);
        float[] back = Npy.read(file).data();
        for (int i = 0; i < data.length; i++) {
            assertEquals(Float.floatToRawIntBits(data[i]), Float.floatToRawIntBits(back[i]), "index " + i);
        }
    }

    @Test
    void oneDimensionalRoundTripIsOneRow() throws IOException {
        float[] data = {1.5f, -2f, 3.25f};
        Path file = dir.resolve("v.npy");
        Npy.write1d(file, data);
        NpyArray a = Npy.read(file);
        assertArrayEquals(new int[] {3}, a.shape());
        assertEquals(1, a.ndim());
        assertEquals(1, a.rows());
        assertEquals(3, a.cols());
        assertArrayEquals(data, a.data());
        assertEquals("NpyArray(3,)", a.toString());
    }

    @Test
    void emptyVectorRoundTrips() throws IOException {
        Path file = dir.resolve("empty.npy");
        Npy.write1d(file, new float[0]);
        NpyArray a = Npy.read(file);
        assertArrayEquals(new int[] {0}, a.shape());
        assertEquals(0, a.size());
    }

    @Test
    void writerOutputIsByteIdenticalToNumpySave() throws IOException {
        float[] ref = new float[35];
        for (int i = 0; i < ref.length; i++) {
            ref[i] = i / 8f;
        }
        Path a = dir.resolve("a.npy");
        Npy.write(a, ref, 7, 5);
        assertArrayEquals(Files.readAllBytes(fixture("ref_7x5.npy")), Files.readAllBytes(a));

        Path b = dir.resolve("b.npy");
        Npy.write(b, new float[0], 0, 5);
        assertArrayEquals(Files.readAllBytes(fixture("ref_0x5.npy")), Files.readAllBytes(b));

        Path c = dir.resolve("c.npy");
        Npy.write1d(c, new float[] {1.5f, -2f, 3.25f});
        assertArrayEquals(Files.readAllBytes(fixture("ref_1d.npy")), Files.readAllBytes(c));
    }

    @Test
    void writeReplacesAnExistingFileAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("x.npy");
        Npy.write(file, new float[] {1, 2}, 1, 2);
        Npy.write(file, new float[] {3, 4, 5}, 3, 1);
        assertArrayEquals(new float[] {3, 4, 5}, Npy.read(file).data());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "only x.npy remains");
        }
    }

    @Test
    void failedWriteLeavesNoPartialFile() throws IOException {
        // The target is a non-empty directory: the final move fails after the data was written.
        Path target = dir.resolve("out.npy");
        Files.createDirectory(target);
        Files.writeString(target.resolve("keep"), "x");
        assertThrows(IOException.class, () -> Npy.write(target, new float[] {1, 2, 3, 4}, 2, 2));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left next to the target");
        }
        assertTrue(Files.isDirectory(target));
    }

    @Test
    void writeRejectsAShapeThatDoesNotMatchTheData() {
        Path file = dir.resolve("bad.npy");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Npy.write(file, new float[5], 2, 3));
        assertTrue(e.getMessage().contains("bad.npy") && e.getMessage().contains("2 x 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Npy.write(file, new float[0], -1, 0));
        assertTrue(Files.notExists(file));
    }

    @Test
    void npyArrayValidatesItsShape() {
        assertThrows(IllegalArgumentException.class, () -> new NpyArray(new int[] {2, 3}, new float[5]));
        assertThrows(IllegalArgumentException.class, () -> new NpyArray(new int[] {1, 1, 1}, new float[1]));
        assertThrows(IllegalArgumentException.class, () -> new NpyArray(new int[] {}, new float[1]));
        assertThrows(IllegalArgumentException.class, () -> new NpyArray(new int[] {-1, -1}, new float[1]));
        NpyArray a = NpyArray.matrix(new float[6], 2, 3);
        a.shape()[0] = 99;
        assertEquals(2, a.rows(), "shape() is a copy");
        a.data()[5] = 7;
        assertEquals(7, a.data()[5], "data() is the live array");
    }

    // ------------------------------------------------------------ NumPy-written fixtures

    @Test
    void readsFloat32WrittenByNumpy() throws IOException {
        NpyArray a = Npy.read(fixture("c_f4.npy"));
        assertArrayEquals(new int[] {3, 4}, a.shape());
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                assertEquals(r * 10 + c + 0.25f, a.data()[r * 4 + c]);
            }
        }
    }

    @Test
    void readsFormatVersions2And3() throws IOException {
        float[] expected = Npy.read(fixture("c_f4.npy")).data();
        for (String name : new String[] {"c_f4_v2.npy", "c_f4_v3.npy"}) {
            NpyArray a = Npy.read(fixture(name));
            assertArrayEquals(new int[] {3, 4}, a.shape(), name);
            assertArrayEquals(expected, a.data(), name);
        }
        assertEquals(2, Npy.readHeader(fixture("c_f4_v2.npy")).majorVersion());
        assertEquals(3, Npy.readHeader(fixture("c_f4_v3.npy")).majorVersion());
    }

    @Test
    void readsFloat64AsFloat32() throws IOException {
        NpyArray a = Npy.read(fixture("f8_2d.npy"));
        assertArrayEquals(new int[] {2, 3}, a.shape());
        assertArrayEquals(new float[] {1f, -2.5f, (float) (1.0 / 3.0), (float) 1e-3, 65504f, -0f}, a.data());
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(a.data()[5]));
    }

    @Test
    void nanAndInfinityInFloat64PassThrough() throws IOException {
        float[] d = Npy.read(fixture("f8_nan_inf.npy")).data();
        assertTrue(Float.isNaN(d[0]));
        assertEquals(Float.POSITIVE_INFINITY, d[1]);
        assertEquals(Float.NEGATIVE_INFINITY, d[2]);
        assertEquals(7f, d[3]);
    }

    @Test
    void readsBigEndian() throws IOException {
        assertArrayEquals(new float[] {0.5f, 1f, 1.5f, 2f}, Npy.read(fixture("be_f4.npy")).data());
        assertArrayEquals(new float[] {0.5f, 1f, 1.5f, 2f}, Npy.read(fixture("be_f8.npy")).data());
    }

    @Test
    void headerDescribesTheFile() throws IOException {
        NpyHeader h = Npy.readHeader(fixture("f8_2d.npy"));
        assertArrayEquals(new int[] {2, 3}, h.shape());
        assertEquals("<f8", h.dtype());
        assertEquals(128, h.dataOffset());
        assertEquals(6, h.size());
        assertEquals(48, h.dataBytes());
        assertEquals(2, h.rows());
        assertEquals(3, h.cols());
        assertEquals(1, h.majorVersion());
    }

    @Test
    void acceptsOldNumpyHeaders() throws IOException {
        // Python 2 NumPy wrote long literals and padded to 16 bytes; double quotes are Python too.
        Path a = write("py2.npy", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2L, 1L), }   \n",
                f4(1, 2)));
        assertArrayEquals(new int[] {2, 1}, Npy.read(a).shape());
        Path b = write("quotes.npy", npy(1, "{\"shape\": (2,), \"fortran_order\": False, \"descr\": \"<f4\"}",
                f4(1, 2)));
        assertArrayEquals(new float[] {1, 2}, Npy.read(b).data());
    }

    // ------------------------------------------------------------ golden NumPy files

    @Test
    void readsGoldenDescriptors() throws IOException {
        // Shapes, corner values and sums computed with NumPy: x.astype(float64).sum(), (x * x).sum().
        checkDescriptors("a_D64_K256_N1000", 1000, 64, -0.8701375f, 0.2956816f, -54.283530045898715, 12561.957390560012);
        checkDescriptors("b_D128_K64_N2000", 2000, 128, 2.4593132f, 0.04619785f, -2629.049095592534, 33251.327285780324);
        checkDescriptors("d_D5_K3_N7", 7, 5, -0.22938298f, -1.1759531f, -5.27349591255188, 36.00261321153711);
    }

    private static void checkDescriptors(String c, int n, int d, float first, float last, double sum, double sumSq)
            throws IOException {
        NpyArray x = Npy.read(golden(c + "/descriptors.npy"));
        assertArrayEquals(new int[] {n, d}, x.shape(), c);
        assertEquals(first, x.data()[0], c);
        assertEquals(last, x.data()[n * d - 1], c);
        double s = 0;
        double s2 = 0;
        for (float v : x.data()) {
            s += v;
            s2 += (double) v * v;
        }
        assertEquals(sum, s, 1e-9 * Math.max(1, Math.abs(sum)), c);
        assertEquals(sumSq, s2, 1e-9 * sumSq, c);
    }

    @Test
    void readsGoldenFloat64Vectors() throws IOException {
        NpyArray e = Npy.read(golden("a_D64_K256_N1000/expected_vlfeat_t0.npy"));
        assertArrayEquals(new int[] {32768}, e.shape());
        assertEquals((float) 0.025250567631881334, e.data()[0]);
        assertEquals((float) 0.03473616450469291, e.data()[32767]);
        NpyArray tiny = Npy.read(golden("d_D5_K3_N7/expected_vlfeat_t0.npy"));
        assertEquals((float) -1.8573489209819586e-14, tiny.data()[0]);
        assertEquals((float) -1.195563609657553e-05, tiny.data()[29]);
        double s = 0;
        for (float v : Npy.read(golden("b_D128_K64_N2000/expected_skimage_improved_hard.npy")).data()) {
            s += v;
        }
        assertEquals(-1.0008245825301856, s, 1e-9);
    }

    @Test
    void readIntoFillsOnePreallocatedArrayFromSeveralFiles() throws IOException {
        Path a = dir.resolve("a.npy");
        Path b = dir.resolve("b.npy");
        Npy.write(a, new float[] {1, 2, 3, 4}, 2, 2);
        Npy.write(b, new float[] {5, 6}, 1, 2);
        float[] all = new float[1 + 4 + 2];
        NpyHeader ha = Npy.readInto(a, all, 1);
        NpyHeader hb = Npy.readInto(b, all, 1 + ha.size());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 6}, all);
        assertArrayEquals(new int[] {1, 2}, hb.shape());
        // float64 too, narrowed in place
        float[] g = new float[6];
        Npy.readInto(fixture("f8_2d.npy"), g, 0);
        assertEquals(-2.5f, g[1]);
    }

    @Test
    void readIntoChecksThatDestinationHasRoom() throws IOException {
        Path a = dir.resolve("roomy.npy");
        Npy.write(a, new float[6], 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Npy.readInto(a, new float[8], 3));
        assertMessage(e, "roomy.npy", "holds 6 elements", "offset 3");
        assertThrows(IllegalArgumentException.class, () -> Npy.readInto(a, new float[8], -1));
        assertThrows(IllegalArgumentException.class, () -> Npy.readInto(a, null, 0));
    }

    @Test
    void readsFromAStream() throws IOException {
        byte[] bytes = Files.readAllBytes(fixture("c_f4.npy"));
        NpyArray a = Npy.read(new ByteArrayInputStream(bytes), "entry", bytes.length);
        assertArrayEquals(Npy.read(fixture("c_f4.npy")).data(), a.data());
    }

    @Test
    void largeStreamIsReadBlockByBlock() throws IOException {
        // Over PREALLOCATE_LIMIT, so the block path runs; values check the order of the blocks.
        int rows = (int) (Npy.PREALLOCATE_LIMIT / 4 / 1000) + 17;
        float[] data = new float[rows * 1000];
        for (int i = 0; i < data.length; i++) {
            data[i] = i;
        }
        byte[] bytes = TestFiles.concat(Npy.header(new int[] {rows, 1000}), f4(data));
        NpyArray a = Npy.read(new ByteArrayInputStream(bytes), "big", bytes.length);
        assertArrayEquals(data, a.data());
    }

    @Test
    void readsHundredMegabytesQuickly() throws IOException {
        int rows = 200_000;
        int cols = 128; // 25.6M floats, about 102 MB
        float[] data = new float[rows * cols];
        data[data.length - 1] = 42;
        Path file = dir.resolve("big.npy");
        Npy.write(file, data, rows, cols);
        long t0 = System.nanoTime();
        NpyArray a = Npy.read(file);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(42f, a.data()[data.length - 1]);
        assertTrue(ms < 5_000, "reading 100 MB took " + ms + " ms");
    }

    // ------------------------------------------------------------ one test per bad-input rule

    @Test
    void rejectsMissingMagic() throws IOException {
        assertRejected(write("magic.npy", "PK\u0003\u0004 this is a zip".getBytes(StandardCharsets.ISO_8859_1)),
                "magic.npy", "not a .npy file");
    }

    @Test
    void rejectsAnEmptyOrTinyFile() throws IOException {
        assertRejected(write("empty.npy", new byte[0]), "empty.npy", "truncated", "0 bytes");
        assertRejected(write("tiny.npy", new byte[] {(byte) 0x93, 'N', 'U', 'M'}), "tiny.npy", "truncated", "4 bytes");
    }

    @Test
    void rejectsUnknownVersions() throws IOException {
        byte[] b = npy(1, dict("<f4", "(1,)"), f4(1));
        b[6] = 4;
        assertRejected(write("v4.npy", b), "v4.npy", "unsupported .npy format version 4.0");
        b[6] = 1;
        b[7] = 1;
        assertRejected(write("v11.npy", b), "v11.npy", "unsupported .npy format version 1.1");
    }

    @Test
    void rejectsAnAbsurdHeaderLengthBeforeAllocating() throws IOException {
        byte[] b = npy(2, dict("<f4", "(1,)"), f4(1));
        b[8] = b[9] = b[10] = (byte) 0xff;
        b[11] = 0x7f; // 2 GiB header
        assertRejected(write("hugeheader.npy", b), "hugeheader.npy", "header length 2147483647", "limit");
    }

    @Test
    void rejectsAHeaderLongerThanTheFile() throws IOException {
        byte[] b = npy(1, dict("<f4", "(1,)"), new byte[0]);
        b[8] = (byte) 0xf0; // header length 240, file holds ~60 header bytes
        b[9] = 0;
        assertRejected(write("shortheader.npy", b), "shortheader.npy", "truncated", "header length field says 240");
    }

    @Test
    void rejectsAHeaderThatIsNotADict() throws IOException {
        assertRejected(write("list.npy", npy(1, "['<f4', False, (1,)]\n", f4(1))), "list.npy", "malformed header");
        assertRejected(write("open.npy", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,)\n", f4(1))),
                "open.npy", "malformed header");
        assertRejected(write("code.npy", npy(1, "{'descr': __import__('os'), 'fortran_order': False, 'shape': (1,)}",
                f4(1))), "code.npy", "malformed header", "unsupported value");
        assertRejected(write("after.npy", npy(1, dict("<f4", "(1,)") + "x", f4(1))), "after.npy",
                "unexpected text after the header dict");
    }

    @Test
    void rejectsAMissingKey() throws IOException {
        assertRejected(write("nokey.npy", npy(1, "{'descr': '<f4', 'fortran_order': False}\n", new byte[0])),
                "nokey.npy", "no 'shape' key");
    }

    @Test
    void rejectsAnExtraKey() throws IOException {
        assertRejected(write("extra.npy",
                npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}\n", f4(1))),
                "extra.npy", "unexpected key 'x'");
    }

    @Test
    void rejectsADuplicateKey() throws IOException {
        assertRejected(write("dup.npy",
                npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'shape': (1,)}\n", f4(1))),
                "dup.npy", "key 'shape' twice");
    }

    @Test
    void rejectsUnsupportedDtypes() throws IOException {
        assertRejected(fixture("i4.npy"), "i4.npy", "dtype '<i4' is not supported (expected '<f4' or '<f8'");
        assertRejected(write("f2.npy", npy(1, dict("<f2", "(2,)"), new byte[4])), "f2.npy", "dtype '<f2'");
        assertRejected(fixture("structured.npy"), "structured.npy", "structured dtype");
    }

    @Test
    void rejectsFortranOrder() throws IOException {
        assertRejected(fixture("fortran.npy"), "fortran.npy", "Fortran order is not supported");
        assertRejected(write("fo.npy", npy(1, "{'descr': '<f4', 'fortran_order': 0, 'shape': (1,)}", f4(1))),
                "fo.npy", "'fortran_order' is 0");
    }

    @Test
    void rejectsZeroAndHigherDimensionalArrays() throws IOException {
        assertRejected(fixture("scalar.npy"), "scalar.npy", "0-D array");
        assertRejected(fixture("three_d.npy"), "three_d.npy", "shape (2, 3, 4) has 3 dimensions");
    }

    @Test
    void rejectsNegativeDimensions() throws IOException {
        assertRejected(write("neg.npy", npy(1, dict("<f4", "(-1, 4)"), new byte[0])), "neg.npy",
                "shape (-1, 4) has a negative dimension");
    }

    @Test
    void rejectsNonIntegerDimensions() throws IOException {
        assertRejected(write("float.npy", npy(1, dict("<f4", "(3.0, 4)"), new byte[48])), "float.npy",
                "dimensions must be integers");
        assertRejected(write("str.npy", npy(1, dict("<f4", "('3', 4)"), new byte[48])), "str.npy",
                "malformed header");
        assertRejected(write("int.npy", npy(1, dict("<f4", "(3)"), new byte[12])), "int.npy",
                "is an integer, not a tuple");
        assertRejected(write("notuple.npy", npy(1, dict("<f4", "3"), new byte[12])), "notuple.npy",
                "'shape' is 3, not a tuple");
    }

    @Test
    void rejectsShapesTooLargeForAJavaArray() throws IOException {
        assertRejected(write("wide.npy", npy(1, dict("<f4", "(100000, 100000)"), new byte[0])), "wide.npy",
                "shape (100000, 100000) has more elements than the 2147483639");
        assertRejected(write("long.npy", npy(1, dict("<f4", "(2147483648,)"), new byte[0])), "long.npy",
                "more elements than");
        assertRejected(write("digits.npy", npy(1, dict("<f4", "(123456789012345678901234567890,)"), new byte[0])),
                "digits.npy", "30 digits");
    }

    @Test
    void rejectsTruncatedData() throws IOException {
        assertRejected(write("x.npy", npy(1, dict("<f4", "(1000, 64)"), new byte[1200])), "x.npy",
                "truncated: header declares 1000 x 64 <f4 (256000 bytes of data) but only 1200 bytes follow");
        byte[] bytes = npy(1, dict("<f8", "(10,)"), new byte[40]);
        NpyFormatException e = assertThrows(NpyFormatException.class,
                () -> Npy.read(new ByteArrayInputStream(bytes), "entry.npy", 1000));
        assertMessage(e, "entry.npy", "truncated", "only 40 bytes follow");
    }

    @Test
    void rejectsTrailingBytes() throws IOException {
        assertRejected(write("trail.npy", npy(1, dict("<f4", "(2,)"), f4(1, 2, 3))), "trail.npy",
                "4 trailing bytes after the data");
        byte[] bytes = npy(1, dict("<f4", "(2,)"), f4(1, 2, 3));
        NpyFormatException e = assertThrows(NpyFormatException.class,
                () -> Npy.read(new ByteArrayInputStream(bytes), "entry.npy", 1000));
        assertMessage(e, "entry.npy", "trailing data");
    }

    @Test
    void rejectsFloat64OutsideTheFloat32RangeNamingTheIndex() throws IOException {
        assertRejected(fixture("f8_overflow.npy"), "f8_overflow.npy", "value 1.0E300 at index [1, 1] (flat index 4)",
                "outside the float32 range");
        assertRejected(write("over1d.npy", npy(1, dict("<f8", "(3,)"), f8(0, 0, -1e39))), "over1d.npy",
                "index [2]");
    }

    @Test
    void rejectsInvalidUtf8InAVersion3Header() throws IOException {
        byte[] text = (dict("<f4", "(1,)") + "\u00ff").getBytes(StandardCharsets.ISO_8859_1); // lone 0xff
        assertRejected(write("utf.npy", TestFiles.npyRaw(3, text, f4(1))), "utf.npy", "not valid UTF-8");
    }

    @Test
    void rejectsAStreamLargerThanItsLimitBeforeAllocating() throws IOException {
        byte[] bytes = npy(1, dict("<f4", "(500000000, 4)"), new byte[16]);
        NpyFormatException e = assertThrows(NpyFormatException.class,
                () -> Npy.read(new ByteArrayInputStream(bytes), "entry.npy", 1 << 20));
        assertMessage(e, "entry.npy", "500000000 x 4 <f4", "more than the limit of 1048576 bytes");
    }

    @Test
    void aMissingFileIsAPlainIoException() {
        IOException e = assertThrows(IOException.class, () -> Npy.read(dir.resolve("nope.npy")));
        assertTrue(!(e instanceof NpyFormatException), e.toString());
    }

    // ------------------------------------------------------------ helpers

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    static void assertRejected(Path file, String... fragments) {
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.read(file));
        assertMessage(e, fragments);
        assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
        // the header alone already fails, except for problems only the data shows
        if (!e.getMessage().contains("float32 range")) {
            assertThrows(NpyFormatException.class, () -> Npy.readHeader(file));
        }
    }

    static void assertMessage(Exception e, String... fragments) {
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message \"" + e.getMessage() + "\" lacks \"" + f + "\"");
        }
    }

    static float[] randomFloats(int n, long seed) {
        Random r = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian() * 10;
        }
        return a;
    }
}
