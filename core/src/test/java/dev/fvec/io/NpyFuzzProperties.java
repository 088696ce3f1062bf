package dev.fvec.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.fvec.DiagonalGmm;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzing of the readers (issue 7, item 4): valid {@code .npy} and {@code .npz} bytes are damaged
 * in the ways a hostile or broken file would be, and every input must either load correctly or
 * fail with {@link NpyFormatException}: never another exception, an out-of-memory error or a
 * hang. A mutation number and a seed drive each try, so a failure is reproducible from the two
 * numbers jqwik reports.
 */
class NpyFuzzProperties {

    /** Per-input time bound: generous for a loaded CI machine, far below what a hang would take. */
    private static final long MAX_MILLIS_PER_INPUT = 3_000;

    private static final String[] HOSTILE_SHAPES = {
        "()", "(1, 2, 3)", "(-1,)", "(-5, 3)", "(2147483647, 2147483647)", "(2147483648,)",
        "(99999999999999999999,)", "(1000000, 1000)", "(500000000, 4)", "(3)", "(3.0, 2)", "('a',)",
        "(0,)", "(0, 0)", "(1,)", "(2, 3)", "(,)", "(1,,)", "((1,),)", "None", "[1, 2]", "(1L, 2L)", "(0x10,)",
    };

    private static final String[] HOSTILE_DTYPES = {
        "<i4", "<f2", "|b1", "<c8", ">f4", "<f8", "<f4", ">i8", "|O", "<U3", "", "f4", "<f16", "'<f4'", "|V8",
    };

    private static final String[] NPY_MUTATIONS = {"none", "truncated", "bit flips", "header bit flips",
        "hostile shape", "other dtype", "trailing bytes", "header length", "header splice", "random data"};

    private static final String[] NPZ_MUTATIONS = {"none", "truncated", "bit flips", "npy bit flips", "duplicate",
        "missing", "hostile shape", "other dtype", "zip bomb", "size and crc lies", "extra entries"};

    private static Path dir;
    private static final AtomicInteger COUNTER = new AtomicInteger();

    @BeforeContainer
    static void createDirectory() throws IOException {
        dir = Files.createTempDirectory("fvec-io-fuzz");
    }

    @AfterContainer
    static void removeDirectory() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    // ------------------------------------------------------------ .npy

    @Property(tries = 300)
    void npyInputsLoadOrAreRejected(@ForAll @IntRange(min = 0, max = 9) int mutation, @ForAll long seed)
            throws IOException {
        Random r = new Random(seed);
        NpyCase base = randomNpy(r);
        byte[] bytes = mutateNpy(base, mutation, r);
        Path file = write(bytes, ".npy");
        long t0 = System.nanoTime();
        try {
            NpyArray fromFile = loadsOrIsRejected(() -> Npy.read(file), file.toString());
            Statistics.label("npy").collect(NPY_MUTATIONS[mutation], fromFile != null ? "loaded" : "rejected");
            NpyArray fromStream = loadsOrIsRejected(
                    () -> Npy.read(new ByteArrayInputStream(bytes), "fuzz.npy", bytes.length), "fuzz.npy");
            loadsOrIsRejected(() -> Npy.readHeader(file), file.toString());
            if (mutation == 0) {
                assertNotNull(fromFile, "an undamaged file loads");
                assertArrayEquals(base.shape, fromFile.shape());
                assertArrayEquals(base.values, fromFile.data());
            }
            if (fromFile != null && fromStream != null) {
                assertArrayEquals(fromFile.shape(), fromStream.shape(), "file and stream readers agree");
                assertArrayEquals(fromFile.data(), fromStream.data(), "file and stream readers agree");
            }
        } finally {
            Files.delete(file);
        }
        assertFast(t0);
    }

    /** A valid .npy: its bytes and what it holds. */
    private static final class NpyCase {
        int[] shape;
        float[] values;
        String dtype;
        byte[] bytes;
        int dataOffset;
    }

    private static NpyCase randomNpy(Random r) {
        NpyCase c = new NpyCase();
        c.shape = r.nextBoolean() ? new int[] {r.nextInt(7)} : new int[] {r.nextInt(6), r.nextInt(6)};
        int n = Arrays.stream(c.shape).reduce(1, (a, b) -> a * b);
        c.dtype = new String[] {"<f4", "<f8", ">f4", ">f8"}[r.nextInt(4)];
        c.values = new float[n];
        for (int i = 0; i < n; i++) {
            c.values[i] = (float) (r.nextGaussian() * 100);
        }
        int item = c.dtype.endsWith("8") ? 8 : 4;
        ByteBuffer data = ByteBuffer.allocate(n * item)
                .order(c.dtype.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        for (float v : c.values) {
            if (item == 8) {
                data.putDouble(v);
            } else {
                data.putFloat(v);
            }
        }
        int major = 1 + r.nextInt(3);
        String header = TestFiles.dict(c.dtype, NpyArray.shapeString(c.shape));
        c.bytes = TestFiles.npy(major, header, data.array());
        c.dataOffset = c.bytes.length - data.capacity();
        return c;
    }

    private static byte[] mutateNpy(NpyCase c, int mutation, Random r) {
        byte[] b = c.bytes.clone();
        switch (mutation) {
            case 0:
                return b;
            case 1: // truncate
                return Arrays.copyOf(b, r.nextInt(b.length));
            case 2: // random bit flips anywhere
                return flipBits(b, 0, b.length, 1 + r.nextInt(8), r);
            case 3: // bit flips in the magic, version, length or header text
                return flipBits(b, 0, c.dataOffset, 1 + r.nextInt(3), r);
            case 4: // a hostile shape with the original data
                return withHeader(c, TestFiles.dict(c.dtype, pick(HOSTILE_SHAPES, r)), r);
            case 5: // another dtype with the original data
                return withHeader(c, TestFiles.dict(pick(HOSTILE_DTYPES, r), NpyArray.shapeString(c.shape)), r);
            case 6: // trailing bytes
                byte[] extra = new byte[1 + r.nextInt(100)];
                r.nextBytes(extra);
                return TestFiles.concat(b, extra);
            case 7: // a random header length field
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(8, b[6] == 1 ? 0 : r.nextInt());
                if (b[6] == 1) {
                    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(8, (short) r.nextInt());
                }
                return b;
            case 8: // insert or delete a byte inside the header
                int at = 8 + r.nextInt(Math.max(1, c.dataOffset - 8));
                if (r.nextBoolean()) {
                    return TestFiles.concat(Arrays.copyOf(b, at), new byte[] {(byte) r.nextInt()},
                            Arrays.copyOfRange(b, at, b.length));
                }
                return TestFiles.concat(Arrays.copyOf(b, at), Arrays.copyOfRange(b, at + 1, b.length));
            default: // random data bits: float64 values far outside the float32 range, NaNs
                byte[] noise = new byte[b.length - c.dataOffset];
                r.nextBytes(noise);
                System.arraycopy(noise, 0, b, c.dataOffset, noise.length);
                return b;
        }
    }

    private static byte[] withHeader(NpyCase c, String dict, Random r) {
        byte[] data = Arrays.copyOfRange(c.bytes, c.dataOffset, c.bytes.length);
        return TestFiles.npy(1 + r.nextInt(3), dict, data);
    }

    // ------------------------------------------------------------ .npz

    @Property(tries = 250)
    void npzInputsLoadOrAreRejected(@ForAll @IntRange(min = 0, max = 10) int mutation, @ForAll long seed)
            throws IOException {
        Random r = new Random(seed);
        NpzCase base = randomNpz(r);
        byte[] bytes = mutateNpz(base, mutation, r);
        Path file = write(bytes, ".npz");
        long t0 = System.nanoTime();
        try {
            DiagonalGmm model = loadsOrIsRejected(() -> Npz.readModel(file), file.toString());
            Statistics.label("npz").collect(NPZ_MUTATIONS[mutation], model != null ? "loaded" : "rejected");
            loadsOrIsRejected(() -> Npz.readAll(file), file.toString());
            if (mutation == 0 || mutation == 10) {
                assertNotNull(model, "an undamaged archive loads");
                assertArrayEquals(base.means, model.means());
                assertArrayEquals(base.variances, model.variances());
                for (int k = 0; k < base.weights.length; k++) {
                    assertEquals(base.weights[k], model.weight(k), 1e-5f);
                }
            }
        } finally {
            Files.delete(file);
        }
        assertFast(t0);
    }

    /** A valid model archive: its entries (name, .npy bytes, deflated?) and what it holds. */
    private static final class NpzCase {
        float[] weights;
        float[] means;
        float[] variances;
        List<String> names = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        List<Boolean> deflated = new ArrayList<>();

        TestFiles.ZipBuilder honest() {
            TestFiles.ZipBuilder z = new TestFiles.ZipBuilder();
            for (int i = 0; i < names.size(); i++) {
                z.add(names.get(i), contents.get(i), deflated.get(i));
            }
            return z;
        }
    }

    private static NpzCase randomNpz(Random r) {
        NpzCase c = new NpzCase();
        int k = 1 + r.nextInt(4);
        int d = 1 + r.nextInt(5);
        c.weights = new float[k];
        float sum = 0;
        for (int i = 0; i < k; i++) {
            c.weights[i] = 0.1f + r.nextFloat();
            sum += c.weights[i];
        }
        for (int i = 0; i < k; i++) {
            c.weights[i] /= sum;
        }
        c.means = new float[k * d];
        c.variances = new float[k * d];
        for (int i = 0; i < k * d; i++) {
            c.means[i] = (float) r.nextGaussian();
            c.variances[i] = 0.01f + r.nextFloat();
        }
        boolean f8 = r.nextBoolean(); // what numpy.savez writes for a scikit-learn model
        add(c, "weights.npy", new int[] {k}, c.weights, f8, r);
        add(c, "means.npy", new int[] {k, d}, c.means, f8, r);
        add(c, "covariances.npy", new int[] {k, d}, c.variances, f8, r);
        return c;
    }

    private static void add(NpzCase c, String name, int[] shape, float[] values, boolean f8, Random r) {
        byte[] content;
        if (f8) {
            double[] wide = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                wide[i] = values[i];
            }
            content = TestFiles.npy(1, TestFiles.dict("<f8", NpyArray.shapeString(shape)), TestFiles.f8(wide));
        } else {
            content = Npy.toBytes(shape, values);
        }
        c.names.add(name);
        c.contents.add(content);
        c.deflated.add(r.nextBoolean());
    }

    private static byte[] mutateNpz(NpzCase c, int mutation, Random r) throws IOException {
        int victim = r.nextInt(c.names.size());
        byte[] content = c.contents.get(victim);
        TestFiles.ZipBuilder z;
        switch (mutation) {
            case 0:
                return c.honest().build();
            case 1: // truncate the archive
                byte[] whole = c.honest().build();
                return Arrays.copyOf(whole, r.nextInt(whole.length));
            case 2: // bit flips anywhere in the archive
                byte[] all = c.honest().build();
                return flipBits(all, 0, all.length, 1 + r.nextInt(8), r);
            case 3: // bit flips inside one .npy, in an otherwise honest archive (checksum matches)
                c.contents.set(victim, flipBits(content.clone(), 0, Math.min(content.length, 128), 1 + r.nextInt(3), r));
                return c.honest().build();
            case 4: // a duplicate entry
                z = c.honest();
                z.add(c.names.get(victim), content, r.nextBoolean());
                return z.build();
            case 5: // a missing entry
                c.names.remove(victim);
                c.contents.remove(victim);
                c.deflated.remove(victim);
                return c.honest().build();
            case 6: // a hostile shape
                c.contents.set(victim, TestFiles.npy(1, TestFiles.dict("<f4", pick(HOSTILE_SHAPES, r)), dataOf(content)));
                return c.honest().build();
            case 7: // a wrong dtype
                c.contents.set(victim, TestFiles.npy(1, TestFiles.dict(pick(HOSTILE_DTYPES, r), "(1,)"), dataOf(content)));
                return c.honest().build();
            case 8: { // a zip bomb: the entry inflates to its .npy followed by up to 4 GiB of zeros
                z = new TestFiles.ZipBuilder();
                byte[] bomb = TestFiles.zipBomb(content, 1 + r.nextInt(4096));
                for (int i = 0; i < c.names.size(); i++) {
                    if (i == victim) {
                        long declared = r.nextBoolean() ? content.length : r.nextInt() & 0xffffffffL;
                        z.addRaw(c.names.get(i), TestFiles.ZipBuilder.DEFLATED, bomb, TestFiles.crc(content),
                                bomb.length, declared);
                    } else {
                        z.add(c.names.get(i), c.contents.get(i), c.deflated.get(i));
                    }
                }
                return z.build();
            }
            case 9: { // lies about sizes and checksums
                z = new TestFiles.ZipBuilder();
                for (int i = 0; i < c.names.size(); i++) {
                    byte[] payload = c.deflated.get(i) ? TestFiles.deflate(c.contents.get(i)) : c.contents.get(i);
                    long crc = i == victim && r.nextBoolean() ? r.nextInt() & 0xffffffffL : TestFiles.crc(c.contents.get(i));
                    long csize = i == victim && r.nextBoolean() ? r.nextInt() & 0xffffffffL : payload.length;
                    long size = i == victim && r.nextBoolean()
                            ? (r.nextBoolean() ? r.nextInt() & 0xffffffffL : c.contents.get(i).length + r.nextInt(9) - 4)
                            : c.contents.get(i).length;
                    z.addRaw(c.names.get(i), c.deflated.get(i) ? TestFiles.ZipBuilder.DEFLATED : TestFiles.ZipBuilder.STORED,
                            payload, crc, csize, size);
                }
                return z.build();
            }
            default: // unrelated extra entries, which readModel ignores
                z = c.honest();
                z.add("precisions_cholesky.npy", Npy.toBytes(new int[] {1}, new float[] {1}), r.nextBoolean());
                z.add("README.txt", "fitted with scikit-learn".getBytes(), false);
                return z.build();
        }
    }

    /** The data of a valid .npy (everything after its header). */
    private static byte[] dataOf(byte[] npy) {
        int headerLength = (npy[8] & 0xff) | (npy[9] & 0xff) << 8;
        return Arrays.copyOfRange(npy, 10 + headerLength, npy.length);
    }

    // ------------------------------------------------------------ helpers

    @FunctionalInterface
    private interface Load<T> {
        T load() throws IOException;
    }

    /** The loaded value, or null if it was rejected with a well-formed NpyFormatException; fails otherwise. */
    private static <T> T loadsOrIsRejected(Load<T> load, String source) {
        try {
            return load.load();
        } catch (NpyFormatException e) {
            assertTrue(e.getMessage().startsWith(source), "message names the file: " + e.getMessage());
            assertTrue(e.problem() != null && !e.problem().isEmpty(), "message says what is wrong");
            return null;
        } catch (Throwable t) { // an OutOfMemoryError or StackOverflowError included
            return fail("expected a successful load or NpyFormatException, got " + t, t);
        }
    }

    private static void assertFast(long t0) {
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < MAX_MILLIS_PER_INPUT, "one input took " + ms + " ms");
    }

    private static byte[] flipBits(byte[] b, int from, int to, int flips, Random r) {
        for (int i = 0; i < flips && to > from; i++) {
            int at = from + r.nextInt(to - from);
            b[at] ^= (byte) (1 << r.nextInt(8));
        }
        return b;
    }

    private static String pick(String[] options, Random r) {
        return options[r.nextInt(options.length)];
    }

    private static Path write(byte[] bytes, String suffix) throws IOException {
        return Files.write(dir.resolve("fuzz" + COUNTER.incrementAndGet() + suffix), bytes);
    }
}
