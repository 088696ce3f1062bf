package dev.fvec.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fvec.DiagonalGmm;
import dev.fvec.FisherEncoder;
import dev.fvec.FisherForm;
import dev.fvec.SpatialEncoder;
import dev.fvec.SpatialFit;
import dev.fvec.SpatialModel;
import dev.fvec.Sparsity;
import dev.fvec.TestModels;
import dev.fvec.internal.SyntheticDescriptors;
import dev.fvec.io.Npy;
import dev.fvec.io.NpyArray;
import dev.fvec.io.SpatialFiles;
import dev.fvec.train.GmmTrainer;
import dev.fvec.train.TrainingResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spatial layout on Spark: the transformer's positions column, pyramid and spatial block against
 * {@link SpatialEncoder} (bitwise), the estimator's spatial pass against {@link GmmTrainer} and
 * {@link SpatialFit}, and {@code fvec-spark --pyramid/--spatial}.
 */
class SpatialSparkTest {

    static final int D = 11; // odd: SIMD tails
    static final int K = 4;
    static final int[] SIZES = {60, 0, 1, 33, 150, 7, 240};
    static SparkSession spark;
    static DiagonalGmm gmm;
    static SpatialModel fitted; // non-uniform spatial Gaussians
    static final List<float[]> xs = new ArrayList<>();
    static final List<float[]> ps = new ArrayList<>();
    static final List<int[]> wh = new ArrayList<>();

    @BeforeAll
    static void setUp() {
        spark = SharedSpark.spark();
        int total = Arrays.stream(SIZES).sum();
        float[] data = SyntheticDescriptors.generate(11, total, D, K);
        gmm = TestModels.fromData(data, total, D, K, 3, 1.0);
        SplittableRandom rnd = new SplittableRandom(4);
        int offset = 0;
        for (int i = 0; i < SIZES.length; i++) {
            int n = SIZES[i];
            int w = 64 + 37 * i;
            int h = 48 + 19 * i;
            xs.add(Arrays.copyOfRange(data, offset * D, (offset + n) * D));
            offset += n;
            float[] p = new float[2 * n];
            for (int j = 0; j < n; j++) {
                // Some on the image's edges and on the 2x2 and 3x1 cell borders, the rest anywhere.
                switch (j % 9) {
                    case 0: p[2 * j] = w; p[2 * j + 1] = h; break;
                    case 1: p[2 * j] = 0; p[2 * j + 1] = h / 2f; break;
                    case 2: p[2 * j] = w / 2f; p[2 * j + 1] = h / 3f; break;
                    default:
                        p[2 * j] = (float) (rnd.nextDouble() * w);
                        p[2 * j + 1] = (float) (rnd.nextDouble() * h);
                }
            }
            ps.add(p);
            wh.add(new int[] {w, h});
        }
        SpatialFit fit = new SpatialFit(gmm);
        for (int i = 0; i < SIZES.length; i++) {
            fit.add(xs.get(i), ps.get(i), SIZES[i], wh.get(i)[0], wh.get(i)[1]);
        }
        fitted = fit.result();
        assertTrue(!fitted.equals(SpatialModel.uniform(K)));
    }

    static StructType flatSchema() {
        return new StructType().add("id", DataTypes.StringType)
                .add("descriptors", DataTypes.createArrayType(DataTypes.FloatType, false))
                .add("positions", DataTypes.createArrayType(DataTypes.FloatType, false))
                .add("size", DataTypes.createArrayType(DataTypes.IntegerType, false));
    }

    /** Rows of (id, descriptors N x D, positions N x 2, (W, H)), with {@code edit} applied to the positions of row {@code r}. */
    static Dataset<Row> flat(int r, float[] positions) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < SIZES.length; i++) {
            rows.add(RowFactory.create("img" + i, xs.get(i), i == r ? positions : ps.get(i), wh.get(i)));
        }
        return spark.createDataFrame(rows, flatSchema()).repartition(3);
    }

    /** Descriptors and positions as array<array<float>> and array<array<double>>, sizes as array<long>. */
    static Dataset<Row> nested() {
        StructType schema = new StructType().add("id", DataTypes.StringType)
                .add("descriptors", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType)))
                .add("positions", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.DoubleType)))
                .add("size", DataTypes.createArrayType(DataTypes.LongType));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < SIZES.length; i++) {
            float[][] x = new float[SIZES[i]][];
            double[][] p = new double[SIZES[i]][];
            for (int n = 0; n < SIZES[i]; n++) {
                x[n] = Arrays.copyOfRange(xs.get(i), n * D, n * D + D);
                p[n] = new double[] {ps.get(i)[2 * n], ps.get(i)[2 * n + 1]};
            }
            rows.add(RowFactory.create("img" + i, x, p, new long[] {wh.get(i)[0], wh.get(i)[1]}));
        }
        return spark.createDataFrame(rows, schema).repartition(2);
    }

    static void assertSameAsSpatialEncoder(SpatialEncoder want, Map<String, float[]> got) {
        assertEquals(SIZES.length, got.size());
        for (int i = 0; i < SIZES.length; i++) {
            float[] v = want.encode(xs.get(i), ps.get(i), SIZES[i], wh.get(i)[0], wh.get(i)[1]);
            float[] have = got.get("img" + i);
            assertNotNull(have, "img" + i);
            int[] a = new int[v.length];
            int[] b = new int[have.length];
            for (int j = 0; j < v.length; j++) {
                a[j] = Float.floatToRawIntBits(v[j]);
            }
            for (int j = 0; j < have.length; j++) {
                b[j] = Float.floatToRawIntBits(have[j]);
            }
            assertArrayEquals(a, b, "image " + i + " (" + SIZES[i] + " descriptors)");
        }
    }

    static Map<String, float[]> collect(Dataset<Row> out) {
        return FisherVectorTransformerTest.collect(out, "fv");
    }

    @Test
    void pyramidAndSpatialBlockEqualSpatialEncoderBitwise() {
        FisherEncoder improved = FisherEncoder.builder(gmm).improved().build();
        FisherVectorTransformer t = new FisherVectorTransformer().setModel(gmm).setInputCol("descriptors")
                .setPositionsCol("positions").setImageSizeCol("size").setOutputCol("fv").setImproved()
                .setPyramid("1x1,2x2,3x1");
        assertSameAsSpatialEncoder(SpatialEncoder.builder(improved).pyramid("1x1,2x2,3x1").build(),
                collect(t.transform(flat(-1, null))));
        // The spatial block with an in-memory model's uniform Gaussians, then with fitted ones.
        t.setSpatial(true);
        assertSameAsSpatialEncoder(SpatialEncoder.builder(improved).pyramid("1x1,2x2,3x1")
                .spatial(SpatialModel.uniform(K)).build(), collect(t.transform(flat(-1, null))));
        t.setSpatialModel(fitted).setPyramid("");
        assertSameAsSpatialEncoder(SpatialEncoder.builder(improved).spatial(fitted).build(),
                collect(t.transform(flat(-1, null))));

        // Nested descriptors, double positions, long sizes, array output, another form and sparsity.
        FisherVectorTransformer n = new FisherVectorTransformer().setModel(gmm).setInputCol("descriptors")
                .setPositionsCol("positions").setImageSizeCol("size").setOutputCol("fv").setOutputType("array")
                .setForm("gist").setHard(true).setL2(true).setPyramid("2x3").setSpatial(true).setSpatialModel(fitted);
        assertSameAsSpatialEncoder(SpatialEncoder.builder(FisherEncoder.builder(gmm).form(FisherForm.GIST)
                .sparsity(Sparsity.hard()).l2(true).build()).pyramid("2x3").spatial(fitted).build(),
                collect(n.transform(nested())));

        // Positions without a pyramid or block: the plain vector, bit for bit.
        FisherVectorTransformer plain = new FisherVectorTransformer().setModel(gmm).setInputCol("descriptors")
                .setPositionsCol("positions").setImageSizeCol("size").setOutputCol("fv");
        Map<String, float[]> got = collect(plain.transform(flat(-1, null)));
        FisherEncoder e = FisherEncoder.builder(gmm).build();
        for (int i = 0; i < SIZES.length; i++) {
            assertArrayEquals(e.encode(xs.get(i), SIZES[i]), got.get("img" + i), "image " + i);
        }
    }

    @Test
    void spatialGaussiansFromTheModelArchiveAndPersistence(@TempDir Path dir) throws Exception {
        Path npz = dir.resolve("gmm.npz");
        SpatialFiles.writeModel(npz, gmm, fitted);
        FisherVectorTransformer t = new FisherVectorTransformer().setModelPath(npz.toString())
                .setInputCol("descriptors").setPositionsCol("positions").setImageSizeCol("size").setOutputCol("fv")
                .setSpatial(true).setPyramid("1x1,2x2");
        SpatialEncoder want = SpatialEncoder.builder(FisherEncoder.builder(dev.fvec.io.Npz.readModel(npz)).build())
                .pyramid("1x1,2x2").spatial(SpatialFiles.readSpatialModel(npz, K)).build();
        assertSameAsSpatialEncoder(want, collect(t.transform(flat(-1, null))));

        // An in-memory model and spatial Gaussians are saved and loaded with the params.
        FisherVectorTransformer inMemory = new FisherVectorTransformer().setModel(gmm).setSpatialModel(fitted)
                .setInputCol("descriptors").setPositionsCol("positions").setImageSizeCol("size").setOutputCol("fv")
                .setSpatial(true).setPyramid("3x1").setImproved();
        String saved = dir.resolve("stage").toString();
        inMemory.write().save(saved);
        FisherVectorTransformer loaded = FisherVectorTransformer.load(saved);
        assertEquals(gmm, loaded.getModel());
        assertEquals(SpatialModel.of(toFloats(fitted.means()), toFloats(fitted.variances())), loaded.getSpatialModel());
        assertEquals("3x1", loaded.getOrDefault(loaded.pyramid()));
        assertSameAsSpatialEncoder(SpatialEncoder.builder(FisherEncoder.builder(gmm).improved().build())
                .pyramid("3x1").spatial(loaded.getSpatialModel()).build(), collect(loaded.transform(flat(-1, null))));
        // Without spatial Gaussians, none are loaded.
        String plain = dir.resolve("plain").toString();
        new FisherVectorTransformer().setModel(gmm).setInputCol("descriptors").write().save(plain);
        assertNull(FisherVectorTransformer.load(plain).getSpatialModel());
    }

    private static float[] toFloats(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    @Test
    void badPositionsFailNamingTheRow() {
        FisherVectorTransformer t = new FisherVectorTransformer().setModel(gmm).setInputCol("descriptors")
                .setPositionsCol("positions").setImageSizeCol("size").setIdCol("id").setPyramid("2x2");
        float[] shortP = Arrays.copyOf(ps.get(3), 2 * 33 - 1);
        String m = message(() -> t.transform(flat(3, shortP)).collectAsList());
        assertTrue(m.contains("(id = img3)") && m.contains("65 position values for 33 descriptors; expected 66"), m);

        float[] nan = ps.get(4).clone();
        nan[2 * 17 + 1] = Float.NaN;
        m = message(() -> t.transform(flat(4, nan)).collectAsList());
        assertTrue(m.contains("(id = img4)") && m.contains("position of descriptor 17 (x = ") && m.contains("NaN) is not"
                + " finite"), m);

        float[] outside = ps.get(0).clone();
        outside[2 * 5] = wh.get(0)[0] + 1;
        m = message(() -> t.transform(flat(0, outside)).collectAsList());
        assertTrue(m.contains("(id = img0)") && m.contains("descriptor 5") && m.contains("lies outside the image [0, 64]"
                + " x [0, 48]"), m);

        // Schema: a missing column, a missing param, a wrong type; an unparsable pyramid.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FisherVectorTransformer()
                .setModel(gmm).setInputCol("descriptors").setPositionsCol("where").setImageSizeCol("size")
                .setSpatial(true).transform(flat(-1, null)));
        assertTrue(e.getMessage().contains("positions column 'where' is not in the schema"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new FisherVectorTransformer().setModel(gmm)
                .setInputCol("descriptors").setPyramid("2x2").transform(flat(-1, null)));
        assertTrue(e.getMessage().contains("pyramid 2x2 needs each image's positions: set positionsCol"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new FisherVectorTransformer().setModel(gmm)
                .setInputCol("descriptors").setPositionsCol("id").setImageSizeCol("size").transform(flat(-1, null)));
        assertTrue(e.getMessage().contains("positions column 'id' has type string"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new FisherVectorTransformer().setPyramid("0x2"));
    }

    private static String message(org.junit.jupiter.api.function.Executable run) {
        return FisherVectorTransformerTest.fullMessage(assertThrows(Exception.class, run));
    }

    @Test
    void estimatorFitsTheSpatialGaussiansAsTrainSpatialDoes(@TempDir Path dir) throws Exception {
        // Many images: EM from a common start as GmmTrainer on the stacked descriptors, then the spatial pass.
        int images = 40;
        int per = 120;
        float[] x = SyntheticDescriptors.generate(3, images * per, D, K);
        SplittableRandom rnd = new SplittableRandom(8);
        List<Row> rows = new ArrayList<>();
        float[][] positions = new float[images][];
        for (int i = 0; i < images; i++) {
            float[] p = new float[2 * per];
            for (int j = 0; j < per; j++) {
                // Positions that depend on the descriptor, so the components' Gaussians differ.
                p[2 * j] = (float) Math.min(100, Math.max(0, 50 + 10 * x[(i * per + j) * D] + rnd.nextDouble()));
                p[2 * j + 1] = (float) (rnd.nextDouble() * 80);
            }
            positions[i] = p;
            rows.add(RowFactory.create("img" + i, Arrays.copyOfRange(x, i * per * D, (i + 1) * per * D), p,
                    new int[] {100, 80}));
        }
        Dataset<Row> df = spark.createDataFrame(rows, flatSchema()).repartition(3);
        DiagonalGmm start = TestModels.fromData(x, images * per, D, K, 3, 1.0);
        TrainingResult single = GmmTrainer.builder(K).initialModel(start).maxIterations(4).tolerance(0).threads(1)
                .build().fit(x, images * per, D);
        SpatialFit fit = new SpatialFit(single.model());
        for (int i = 0; i < images; i++) {
            fit.add(Arrays.copyOfRange(x, i * per * D, (i + 1) * per * D), positions[i], per, 100, 80);
        }
        SpatialModel want = fit.result();
        assertTrue(!want.equals(SpatialModel.uniform(K)));

        DiagonalGmmModel model = new DiagonalGmmEstimator().setK(K).setInitialModel(start).setMaxIter(4).setTol(0)
                .setInputCol("descriptors").setDimension(D).setSpatial(true).setPositionsCol("positions")
                .setImageSizeCol("size").setIdCol("id").fit(df);
        DiagonalGmmEstimatorTest.assertClose(single.model().means(), model.gmm().means(), 1e-5, "means");
        SpatialModel got = model.spatialModel();
        assertNotNull(got);
        for (int j = 0; j < 2 * K; j++) {
            assertEquals(want.means()[j], got.means()[j], 1e-5 * Math.abs(want.means()[j]), "spatial mean " + j);
            assertEquals(want.variances()[j], got.variances()[j], 1e-5 * want.variances()[j], "spatial variance " + j);
        }

        // toNpz and save/load keep them; the model's transformer uses them.
        Path npz = dir.resolve("m.npz");
        model.toNpz(npz.toString());
        assertEquals(SpatialModel.of(toFloats(got.means()), toFloats(got.variances())),
                SpatialFiles.readSpatialModel(npz, K));
        model.write().save(dir.resolve("saved").toString());
        DiagonalGmmModel loaded = DiagonalGmmModel.load(dir.resolve("saved").toString());
        assertEquals(SpatialFiles.readSpatialModel(npz, K), loaded.spatialModel());
        assertEquals(fit.result().components(), model.toTransformer().getSpatialModel().components());

        // One descriptor per row has no image to take positions from.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DiagonalGmmEstimator()
                .setK(K).setInputCol("descriptors").setSpatial(true).setPositionsCol("positions")
                .setImageSizeCol("size").fit(df));
        assertTrue(e.getMessage().contains("spatial needs one image per row"), e.getMessage());
        // A bad position fails naming the row.
        float[] bad = positions[7].clone();
        bad[9] = Float.NaN;
        rows.set(7, RowFactory.create("img7", Arrays.copyOfRange(x, 7 * per * D, 8 * per * D), bad, new int[] {100, 80}));
        Dataset<Row> badDf = spark.createDataFrame(rows, flatSchema());
        String m = message(() -> new DiagonalGmmEstimator().setK(K).setInitialModel(start).setMaxIter(1)
                .setInputCol("descriptors").setDimension(D).setSpatial(true).setPositionsCol("positions")
                .setImageSizeCol("size").setIdCol("id").fit(badDf));
        assertTrue(m.contains("(id = img7)") && m.contains("position of descriptor 4"), m);
    }

    @Test
    void commandLinePyramidAndSpatialMatchTheLibrary(@TempDir Path dir) throws Exception {
        for (int i = 0; i < SIZES.length; i++) {
            writeImage(dir.resolve("img" + i + ".npz"), xs.get(i), ps.get(i), SIZES[i], wh.get(i));
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        String model = dir.resolve("gmm.npz").toString();
        assertEquals(0, SparkMain.run(new String[] {"train", "--quiet", "--spatial", "--components", String.valueOf(K),
            "--seed", "1", "--iterations", "3", "--out", model, dir + "/img*.npz"}, e), err.toString(StandardCharsets.UTF_8));
        DiagonalGmm trained = dev.fvec.io.Npz.readModel(Path.of(model));
        SpatialModel spatial = SpatialFiles.readSpatialModel(Path.of(model), K);
        assertTrue(!spatial.equals(SpatialModel.uniform(K)), "spatial_means/variances written");

        Path out = dir.resolve("fv.npy");
        assertEquals(0, SparkMain.run(new String[] {"encode", "--quiet", "--model", model, "--improved", "--pyramid",
            "1x1,2x2,3x1", "--spatial", "--out", out.toString(), dir + "/img*.npz"}, e),
                err.toString(StandardCharsets.UTF_8));
        NpyArray fv = Npy.read(out);
        SpatialEncoder enc = SpatialEncoder.builder(FisherEncoder.builder(trained).improved().build())
                .pyramid("1x1,2x2,3x1").spatial(spatial).build();
        assertEquals(SIZES.length, fv.rows());
        for (int i = 0; i < SIZES.length; i++) {
            assertArrayEquals(enc.encode(xs.get(i), ps.get(i), SIZES[i], wh.get(i)[0], wh.get(i)[1]),
                    Arrays.copyOfRange(fv.data(), i * fv.cols(), (i + 1) * fv.cols()), "row " + i);
        }

        err.reset();
        assertEquals(2, SparkMain.run(new String[] {"encode", "--model", model, "--pyramid", "2x", "--out",
            out.toString(), dir + "/img0.npz"}, e));
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.startsWith("fvec-spark: ") && message.contains("--pyramid"), message);
        err.reset();
        Npy.write(dir.resolve("plain.npy"), xs.get(0), SIZES[0], D);
        assertEquals(2, SparkMain.run(new String[] {"encode", "--model", model, "--spatial", "--out",
            out.toString(), dir + "/plain.npy"}, e));
        message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.startsWith("fvec-spark: ") && message.contains("plain.npy"), message);
        assertEquals(1, message.strip().lines().count(), message);
    }

    /** An image archive as docs/SPATIAL.md describes (descriptors, positions, image_size), as np.savez writes it. */
    static void writeImage(Path file, float[] x, float[] p, int n, int[] size) throws Exception {
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(java.nio.file.Files.newOutputStream(file))) {
            entry(zip, "descriptors.npy", "(" + n + ", " + D + ")", x);
            entry(zip, "positions.npy", "(" + n + ", 2)", p);
            entry(zip, "image_size.npy", "(2,)", new float[] {size[0], size[1]});
        }
    }

    /** One float32 .npy entry (format 1.0, little-endian, C order). */
    private static void entry(java.util.zip.ZipOutputStream zip, String name, String shape, float[] data)
            throws Exception {
        StringBuilder header = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }");
        while ((10 + header.length() + 1) % 64 != 0) {
            header.append(' ');
        }
        header.append('\n');
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(10 + header.length() + 4 * data.length)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0)
                .putShort((short) header.length()).put(header.toString().getBytes(StandardCharsets.US_ASCII));
        for (float v : data) {
            b.putFloat(v);
        }
        zip.putNextEntry(new java.util.zip.ZipEntry(name));
        zip.write(b.array());
        zip.closeEntry();
    }
}
