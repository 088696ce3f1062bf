package dev.fvec.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fvec.DiagonalGmm;
import dev.fvec.FisherEncoder;
import dev.fvec.FisherForm;
import dev.fvec.Projection;
import dev.fvec.Sparsity;
import dev.fvec.internal.SyntheticDescriptors;
import dev.fvec.TestModels;
import dev.fvec.io.Npz;
import dev.fvec.train.Pca;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FisherVectorTransformerTest {

    static final int D = 13; // odd, so SIMD tails are exercised
    static final int K = 5;
    static SparkSession spark;
    static DiagonalGmm gmm;
    static List<float[]> images = new ArrayList<>();

    @BeforeAll
    static void setUp() {
        spark = SharedSpark.spark();
        float[] data = SyntheticDescriptors.generate(7, 2000, D, K);
        gmm = TestModels.fromData(data, 2000, D, K, 3, 1.0);
        int[] sizes = {40, 0, 1, 17, 100, 3, 250};
        int offset = 0;
        for (int n : sizes) {
            float[] x = new float[n * D];
            System.arraycopy(data, offset, x, 0, x.length);
            offset += x.length;
            images.add(x);
        }
    }

    static StructType flatSchema() {
        return new StructType().add("id", DataTypes.StringType)
                .add("descriptors", DataTypes.createArrayType(DataTypes.FloatType, false));
    }

    static Dataset<Row> flat(List<float[]> xs) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < xs.size(); i++) {
            rows.add(RowFactory.create("img" + i, xs.get(i)));
        }
        return spark.createDataFrame(rows, flatSchema()).repartition(3);
    }

    static Dataset<Row> nested(List<float[]> xs) {
        StructType schema = new StructType().add("id", DataTypes.StringType)
                .add("descriptors", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType)));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < xs.size(); i++) {
            float[] x = xs.get(i);
            float[][] m = new float[x.length / D][];
            for (int n = 0; n < m.length; n++) {
                m[n] = java.util.Arrays.copyOfRange(x, n * D, n * D + D);
            }
            rows.add(RowFactory.create("img" + i, m));
        }
        return spark.createDataFrame(rows, schema).repartition(2);
    }

    /** Vectors by id, as the transformer produced them. */
    static java.util.Map<String, float[]> collect(Dataset<Row> out, String col) {
        java.util.Map<String, float[]> byId = new java.util.HashMap<>();
        for (Row r : out.select("id", col).collectAsList()) {
            Object v = r.get(1);
            float[] f;
            if (v instanceof DenseVector) {
                double[] dv = ((DenseVector) v).values();
                f = new float[dv.length];
                for (int j = 0; j < f.length; j++) {
                    assertEquals(dv[j], (double) (float) dv[j], "vector element " + j + " is not a widened float");
                    f[j] = (float) dv[j];
                }
            } else {
                List<Object> l = r.getList(1);
                f = new float[l.size()];
                for (int j = 0; j < f.length; j++) {
                    f[j] = (Float) l.get(j);
                }
            }
            byId.put(r.getString(0), f);
        }
        return byId;
    }

    static void assertSameAsEncoder(FisherEncoder expected, java.util.Map<String, float[]> got) {
        assertEquals(images.size(), got.size());
        for (int i = 0; i < images.size(); i++) {
            float[] x = images.get(i);
            float[] want = expected.encode(x, x.length / D);
            float[] have = got.get("img" + i);
            // Bitwise: compare the raw bits, so -0.0 vs 0.0 or NaN would show.
            int[] wantBits = new int[want.length];
            int[] haveBits = new int[have.length];
            for (int j = 0; j < want.length; j++) {
                wantBits[j] = Float.floatToRawIntBits(want[j]);
            }
            for (int j = 0; j < have.length; j++) {
                haveBits[j] = Float.floatToRawIntBits(have[j]);
            }
            assertArrayEquals(wantBits, haveBits, "image " + i + " (" + x.length / D + " descriptors)");
        }
    }

    @Test
    void flatInputEqualsFisherEncoderBitwise() {
        Dataset<Row> out = new FisherVectorTransformer().setModel(gmm).setInputCol("descriptors")
                .setOutputCol("fv").setImproved().transform(flat(images));
        assertEquals(SQLDataTypes.VectorType(), out.schema().apply("fv").dataType());
        assertSameAsEncoder(FisherEncoder.builder(gmm).improved().build(), collect(out, "fv"));
    }

    @Test
    void withoutAThresholdEachFormHasItsOriginsDefaultAsTheEncoderHas() {
        for (FisherForm f : FisherForm.values()) {
            Dataset<Row> out = new FisherVectorTransformer().setModel(gmm).setInputCol("descriptors")
                    .setOutputCol("fv").setForm(f.name()).transform(flat(images));
            assertSameAsEncoder(FisherEncoder.builder(gmm).form(f).build(), collect(out, "fv"));
        }
    }

    @Test
    void nestedInputArrayOutputAndOptionsEqualFisherEncoderBitwise() {
        Dataset<Row> out = new FisherVectorTransformer().setModel(gmm).setInputCol("descriptors")
                .setOutputCol("fv").setOutputType("array").setForm("SKIMAGE").setPower(0.3).setThreshold(1e-3)
                .transform(nested(images));
        assertEquals(DataTypes.createArrayType(DataTypes.FloatType, false), out.schema().apply("fv").dataType());
        assertSameAsEncoder(FisherEncoder.builder(gmm).form(FisherForm.SKIMAGE).power(0.3)
                .sparsity(Sparsity.threshold(1e-3)).build(), collect(out, "fv"));
    }

    @Test
    void doubleArrayAndVectorInputsEqualFisherEncoderAndNullsNameTheRow() {
        // array<double> with nullable elements, and one ml vector per row: the other element types
        // and the row kinds Spark stores differently from array<float>.
        StructType schema = new StructType().add("id", DataTypes.StringType)
                .add("descriptors", DataTypes.createArrayType(DataTypes.DoubleType, true))
                .add("one", SQLDataTypes.VectorType());
        List<Row> rows = new ArrayList<>();
        List<float[]> singles = new ArrayList<>(); // an image's first descriptor, or (no descriptors) the largest image's
        float[] largest = images.stream().max(java.util.Comparator.comparingInt(a -> a.length)).orElseThrow();
        for (int i = 0; i < images.size(); i++) {
            float[] x = images.get(i);
            singles.add(java.util.Arrays.copyOf(x.length >= D ? x : largest, D));
            Double[] boxed = new Double[x.length];
            double[] first = new double[D];
            for (int j = 0; j < x.length; j++) {
                boxed[j] = (double) x[j];
            }
            for (int j = 0; j < D; j++) {
                first[j] = singles.get(i)[j];
            }
            rows.add(RowFactory.create("img" + i, boxed, org.apache.spark.ml.linalg.Vectors.dense(first)));
        }
        Dataset<Row> df = spark.createDataFrame(rows, schema).repartition(2);
        FisherEncoder encoder = FisherEncoder.builder(gmm).improved().build();
        assertSameAsEncoder(encoder, collect(new FisherVectorTransformer().setModel(gmm).setInputCol("descriptors")
                .setOutputCol("fv").setImproved().transform(df), "fv"));
        java.util.Map<String, float[]> one = collect(new FisherVectorTransformer().setModel(gmm).setInputCol("one")
                .setOutputCol("fv").setImproved().transform(df), "fv");
        for (int i = 0; i < images.size(); i++) {
            assertArrayEquals(encoder.encode(singles.get(i), 1), one.get("img" + i),
                    "image " + i);
        }

        int r = images.indexOf(largest);
        Double[] withNull = ((Double[]) rows.get(r).get(1)).clone();
        withNull[D + 4] = null;
        rows.set(r, RowFactory.create("img" + r, withNull, rows.get(r).get(2)));
        Dataset<Row> bad = spark.createDataFrame(rows, schema);
        Exception e = assertThrows(Exception.class, () -> new FisherVectorTransformer().setModel(gmm)
                .setInputCol("descriptors").setIdCol("id").transform(bad).collectAsList());
        String m = fullMessage(e);
        assertTrue(m.contains("id = img" + r + ")") && m.contains("value " + (D + 4) + " is null"), m);
    }

    @Test
    void modelFromNpzPathAndPersistenceRoundTrip(@TempDir Path dir) throws Exception {
        Path npz = dir.resolve("gmm.npz");
        Npz.writeModel(npz, gmm);
        FisherVectorTransformer t = new FisherVectorTransformer().setModelPath(npz.toUri().toString())
                .setInputCol("descriptors").setOutputCol("fv").setForm("gist").setHard(true).setL2(true);
        FisherEncoder want = FisherEncoder.builder(Npz.readModel(npz)).form(FisherForm.GIST)
                .sparsity(Sparsity.hard()).l2(true).build();
        assertSameAsEncoder(want, collect(t.transform(flat(images)), "fv"));

        // In-memory model and params survive save/load.
        FisherVectorTransformer inMemory = new FisherVectorTransformer().setModel(gmm).setInputCol("descriptors")
                .setOutputCol("v").setImproved().setThreshold(0);
        String saved = dir.resolve("stage").toString();
        inMemory.write().save(saved);
        FisherVectorTransformer loaded = FisherVectorTransformer.load(saved);
        assertEquals(inMemory.uid(), loaded.uid());
        assertEquals(gmm, loaded.getModel());
        assertEquals(0.5, (Double) loaded.getOrDefault(loaded.power()));
        assertEquals(0.0, (Double) loaded.getOrDefault(loaded.threshold()));
        assertSameAsEncoder(FisherEncoder.builder(gmm).improved().sparsity(Sparsity.none()).build(),
                collect(loaded.transform(flat(images)), "v"));
    }

    @Test
    void pcaModelTakesInputDimensionDescriptorsAndEqualsFisherEncoder(@TempDir Path dir) throws Exception {
        // A whitened PCA from Din = 13 to D = 4 in front of a mixture fitted to the projected data.
        float[] data = SyntheticDescriptors.generate(7, 2000, D, K);
        Projection pca = Pca.fit(data, 2000, D, 4, true);
        float[] projected = new float[2000 * 4];
        pca.project(data, 0, 2000, projected, 0);
        DiagonalGmm withPca = TestModels.fromData(projected, 2000, 4, K, 3, 1.0).withProjection(pca);
        assertEquals(D, withPca.inputDimension());
        assertSameAsEncoder(FisherEncoder.builder(withPca).improved().build(), collect(new FisherVectorTransformer()
                .setModel(withPca).setInputCol("descriptors").setOutputCol("fv").setImproved()
                .transform(flat(images)), "fv"));

        // Through an .npz (pca_* entries) read by the driver, and with D given as Din.
        Path npz = dir.resolve("pca.npz");
        Npz.writeModel(npz, withPca);
        assertSameAsEncoder(FisherEncoder.builder(withPca).form(FisherForm.GIST).build(),
                collect(new FisherVectorTransformer().setModelPath(npz.toString()).setDimension(D)
                        .setInputCol("descriptors").setOutputCol("fv").setForm("gist").transform(nested(images)),
                        "fv"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FisherVectorTransformer()
                .setModel(withPca).setInputCol("descriptors").setDimension(4).transform(flat(images)));
        assertTrue(e.getMessage().contains("dimension = 4 but the model takes Din = 13 (D = 4 after its PCA)"),
                e.getMessage());
    }

    @Test
    void filesEncodedAsTheyAreReadEqualFisherEncoderAndBadFilesAreNamed(@TempDir Path dir) throws Exception {
        for (int i = 0; i < images.size(); i++) {
            float[] x = images.get(i);
            dev.fvec.io.Npy.write(dir.resolve("img" + i + ".npy"), x, x.length / D, D);
        }
        for (String type : new String[] {"vector", "array"}) {
            Dataset<Row> out = new FisherVectorTransformer().setModel(gmm).setOutputCol("fv").setImproved()
                    .setOutputType(type).transformFiles(spark, List.of(dir + "/img*.npy"));
            assertEquals(List.of("path", "index", "fv"), List.of(out.columns()));
            java.util.Map<String, float[]> byId = new java.util.HashMap<>();
            Dataset<Row> named = out.withColumn("id", org.apache.spark.sql.functions.regexp_extract(
                    out.col("path"), "(img[0-9]+)\\.npy$", 1));
            byId.putAll(collect(named, "fv"));
            assertSameAsEncoder(FisherEncoder.builder(gmm).improved().build(), byId);
            // The index is the file's position in the expanded glob, as NpyFiles.read numbers them.
            for (Row r : out.select("path", "index").collectAsList()) {
                assertTrue(r.getString(0).endsWith("/img" + r.getLong(1) + ".npy"), r.toString());
            }
        }
        dev.fvec.io.Npy.write(dir.resolve("wide.npy"), new float[2 * (D + 1)], 2, D + 1);
        Exception e = assertThrows(Exception.class, () -> new FisherVectorTransformer().setModel(gmm)
                .transformFiles(spark, List.of(dir + "/wide.npy")).collectAsList());
        String m = fullMessage(e);
        assertTrue(m.contains("wide.npy: descriptors of D = 14, but the model takes D = 13"), m);
    }

    @Test
    void filesWrittenToNpyByTheExecutorsEqualFisherEncoderByteForByte(@TempDir Path dir) throws Exception {
        // More files than the local job's tasks (2 cores x 8), so rows from many tasks meet in the file.
        List<float[]> many = new ArrayList<>();
        for (int i = 0; i < 37; i++) {
            float[] x = images.get(i % images.size());
            many.add(x);
            dev.fvec.io.Npy.write(dir.resolve(String.format("img%02d.npy", i)), x, x.length / D, D);
        }
        FisherEncoder encoder = FisherEncoder.builder(gmm).improved().build();
        Path out = dir.resolve("fv.npy");
        long rows = new FisherVectorTransformer().setModel(gmm).setImproved()
                .transformFilesToNpy(spark, List.of(dir + "/img*.npy"), out);
        assertEquals(37, rows);
        // Row i is file i's vector, as FisherEncoder gives it, in the file fvec encode writes: the
        // rows through its NpyRowWriter (whose header numpy.save's) give the same bytes.
        Path expected = dir.resolve("expected.npy");
        dev.fvec.io.AtomicFile.write(expected, ch -> {
            dev.fvec.io.NpyRowWriter w = new dev.fvec.io.NpyRowWriter(ch, encoder.length());
            for (float[] x : many) {
                w.writeRow(encoder.encode(x, x.length / D));
            }
            w.finish();
        });
        assertArrayEquals(Files.readAllBytes(expected), Files.readAllBytes(out));
        // And the same bytes as the route through the driver (transformFiles, then writeNpy).
        Path viaDriver = dir.resolve("via-driver.npy");
        NpyFiles.writeNpy(new FisherVectorTransformer().setModel(gmm).setImproved().setOutputType("array")
                .setOutputCol("fv").transformFiles(spark, List.of(dir + "/img*.npy")), "fv", "index", viaDriver);
        assertArrayEquals(Files.readAllBytes(out), Files.readAllBytes(viaDriver));

        // A bad file fails the job naming it, and leaves the old output as it was (no partial file).
        dev.fvec.io.Npy.write(dir.resolve("img99.npy"), new float[2 * (D + 1)], 2, D + 1);
        byte[] before = Files.readAllBytes(out);
        Exception e = assertThrows(Exception.class, () -> new FisherVectorTransformer().setModel(gmm)
                .transformFilesToNpy(spark, List.of(dir + "/img*.npy"), out));
        String m = fullMessage(e);
        assertTrue(m.contains("img99.npy: descriptors of D = 14, but the model takes D = 13"), m);
        assertArrayEquals(before, Files.readAllBytes(out));
        try (var left = Files.newDirectoryStream(dir, ".fv.npy*")) {
            assertTrue(!left.iterator().hasNext(), "a temporary file was left behind");
        }
    }

    @Test
    void badRowsFailNamingTheRow() {
        float[] bad = images.get(3).clone();
        bad[5 * D + 2] = Float.NaN;
        List<float[]> withNaN = new ArrayList<>(images);
        withNaN.set(3, bad);
        FisherVectorTransformer t = new FisherVectorTransformer().setModel(gmm).setInputCol("descriptors")
                .setIdCol("id");
        Exception e = assertThrows(Exception.class, () -> t.transform(flat(withNaN)).collectAsList());
        String m = fullMessage(e);
        assertTrue(m.contains("id = img3") && m.contains("descriptor 5, dimension 2"), m);

        List<float[]> shortRow = new ArrayList<>(images);
        shortRow.set(4, java.util.Arrays.copyOf(images.get(4), 3 * D + 1));
        e = assertThrows(Exception.class, () -> t.transform(flat(shortRow)).collectAsList());
        m = fullMessage(e);
        assertTrue(m.contains("id = img4") && m.contains("40 values, not a multiple of D = 13"), m);
    }

    @Test
    void schemaErrorsNameTheColumn() {
        Dataset<Row> df = flat(images);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FisherVectorTransformer().setModel(gmm).setInputCol("id").transform(df));
        assertTrue(e.getMessage().contains("input column 'id' has type string"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new FisherVectorTransformer().setInputCol("descriptors").transform(df));
        assertTrue(e.getMessage().contains("no model"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new FisherVectorTransformer().setModel(gmm)
                .setInputCol("descriptors").setDimension(D + 1).transform(df));
        assertTrue(e.getMessage().contains("dimension = 14 but the model takes D = 13"), e.getMessage());
    }

    static String fullMessage(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(c).append(" | ");
        }
        return b.toString();
    }
}
