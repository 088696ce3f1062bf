package dev.fvec.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fvec.DiagonalGmm;
import dev.fvec.FisherEncoder;
import dev.fvec.internal.SyntheticDescriptors;
import dev.fvec.TestModels;
import dev.fvec.io.Npy;
import dev.fvec.io.NpyArray;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyFilesTest {

    static final int D = 7;

    @TempDir
    Path dir;

    /** Writes files b0.npy .. b(count-1).npy of growing sizes; returns their descriptors. */
    List<float[]> writeFiles(int count) throws Exception {
        float[] data = SyntheticDescriptors.generate(11, 400, D, 3);
        List<float[]> xs = new ArrayList<>();
        int offset = 0;
        for (int i = 0; i < count; i++) {
            int n = 3 + 9 * i;
            float[] x = java.util.Arrays.copyOfRange(data, offset, offset + n * D);
            offset += n * D;
            Npy.write(dir.resolve("b" + i + ".npy"), x, n, D);
            xs.add(x);
        }
        return xs;
    }

    @Test
    void localGlobsListAsHadoopGlobStatusDoes() throws Exception {
        org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
        for (String n : new String[] {"a1.npy", "a2.npy", "a10.npy", "b1.npy", "c 1.npy", ".hidden.npy", "x.txt"}) {
            Files.write(dir.resolve(n), new byte[] {1});
        }
        Files.write(dir.resolve(".a1.npy.crc"), new byte[] {1}); // LocalFileSystem's checksum file: hidden
        Files.createDirectory(dir.resolve("sub.d"));
        for (String pattern : new String[] {"*.npy", "a?.npy", "a[12]*", "{a,c}*.npy", "a1.npy", "c 1.npy", "*",
            "[^a]*.npy", ".*"}) {
            String p = dir + "/" + pattern;
            org.apache.hadoop.fs.Path hp = new org.apache.hadoop.fs.Path(p);
            List<String> hadoop = new ArrayList<>();
            org.apache.hadoop.fs.FileStatus[] st = hp.getFileSystem(conf).globStatus(hp);
            java.util.Arrays.sort(st);
            for (org.apache.hadoop.fs.FileStatus f : st) {
                if (!f.isDirectory()) {
                    hadoop.add(f.getPath().toString());
                }
            }
            if (hadoop.size() == st.length) {
                assertEquals(hadoop, NpyFiles.expand(List.of(p), conf), pattern);
                assertFalse(hadoop.isEmpty(), pattern);
            } else { // a directory matched: named, as before
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> NpyFiles.expand(List.of(p), conf), pattern);
                assertTrue(e.getMessage().contains("sub.d is a directory"), e.getMessage());
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NpyFiles.expand(List.of(dir + "/zz*.npy"), conf));
        assertTrue(e.getMessage().contains("zz*.npy: no such file"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NpyFiles.expand(List.of(dir + "/zz.npy"), conf));
        assertTrue(e.getMessage().contains("zz.npy: no such file"), e.getMessage());
    }

    @Test
    void readsFilesAndGlobsInOrderAndEncodesToNpyAndParquet() throws Exception {
        SparkSession spark = SharedSpark.spark();
        List<float[]> xs = writeFiles(5);
        // An explicit file first, then a glob that also matches it: read once, at its first place.
        Dataset<Row> df = NpyFiles.read(spark, List.of(dir.resolve("b3.npy").toString(), dir + "/b*.npy"));
        List<Row> rows = df.orderBy("index").collectAsList();
        int[] expectedOrder = {3, 0, 1, 2, 4};
        assertEquals(5, rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            int f = expectedOrder[i];
            assertTrue(r.getString(0).endsWith("/b" + f + ".npy"), r.getString(0));
            assertEquals(i, r.getLong(1));
            assertEquals(xs.get(f).length / D, r.getInt(2));
            assertEquals(D, r.getInt(3));
            List<Object> values = r.getList(4);
            float[] got = new float[values.size()];
            for (int j = 0; j < got.length; j++) {
                got[j] = (Float) values.get(j);
            }
            assertArrayEquals(xs.get(f), got);
        }

        DiagonalGmm gmm = TestModels.fromData(xs.get(4), xs.get(4).length / D, D, 3, 1, 1.0);
        Dataset<Row> fv = new FisherVectorTransformer().setModel(gmm).setInputCol("descriptors").setIdCol("path")
                .setImproved().setOutputCol("fv").transform(df);
        FisherEncoder encoder = FisherEncoder.builder(gmm).improved().build();

        Path npy = dir.resolve("out/fv.npy");
        Files.createDirectories(npy.getParent());
        assertEquals(5, NpyFiles.writeNpy(fv, "fv", "index", npy));
        NpyArray written = Npy.read(npy);
        assertEquals(5, written.rows());
        for (int i = 0; i < 5; i++) {
            float[] x = xs.get(expectedOrder[i]);
            assertArrayEquals(encoder.encode(x, x.length / D),
                    java.util.Arrays.copyOfRange(written.data(), i * encoder.length(), (i + 1) * encoder.length()),
                    "row " + i);
        }

        assertTrue(NpyFiles.inOrder(fv.select("index", "fv")), "read's index comes in order: no sort needed");
        assertFalse(NpyFiles.inOrder(fv.select(org.apache.spark.sql.functions.negate(fv.col("index")), fv.col("fv"))));
        assertFalse(NpyFiles.inOrder(fv.select("path", "fv")), "not integral: left to the sort");
        // Rows not already in order (here the reverse of it): the sorting path gives the same rows reversed.
        Path reversed = dir.resolve("out/fv-reversed.npy");
        assertEquals(5, NpyFiles.writeNpy(fv.withColumn("minusIndex", org.apache.spark.sql.functions.negate(
                fv.col("index"))), "fv", "minusIndex", reversed));
        NpyArray back = Npy.read(reversed);
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(java.util.Arrays.copyOfRange(written.data(), i * encoder.length(), (i + 1) * encoder.length()),
                    java.util.Arrays.copyOfRange(back.data(), (4 - i) * encoder.length(), (5 - i) * encoder.length()),
                    "reversed row " + i);
        }
        // The cluster path (cached vectors fetched in chunks through the driver), which a local master
        // skips by handing the vectors over in memory: the same bytes, in order and reversed.
        NpyFiles.handOverLocally = false;
        try {
            Path viaChunks = dir.resolve("out/fv-chunks.npy");
            assertEquals(5, NpyFiles.writeNpy(fv, "fv", "index", viaChunks));
            assertArrayEquals(Files.readAllBytes(npy), Files.readAllBytes(viaChunks));
            assertEquals(5, NpyFiles.writeNpy(fv.withColumn("minusIndex", org.apache.spark.sql.functions.negate(
                    fv.col("index"))), "fv", "minusIndex", viaChunks));
            assertArrayEquals(Files.readAllBytes(reversed), Files.readAllBytes(viaChunks));
        } finally {
            NpyFiles.handOverLocally = true;
        }

        String parquet = dir.resolve("out/fv.parquet").toString();
        fv.select("path", "fv").write().parquet(parquet);
        for (Row r : spark.read().parquet(parquet).collectAsList()) {
            int f = Integer.parseInt(r.getString(0).replaceAll(".*/b(\\d+)\\.npy$", "$1"));
            double[] v = ((DenseVector) r.get(1)).values();
            float[] want = encoder.encode(xs.get(f), xs.get(f).length / D);
            for (int j = 0; j < want.length; j++) {
                assertEquals(want[j], (float) v[j], "file " + f + " element " + j);
            }
        }
    }

    @Test
    void badFilesFailNamingTheFile() throws Exception {
        SparkSession spark = SharedSpark.spark();
        writeFiles(2);
        byte[] good = Files.readAllBytes(dir.resolve("b1.npy"));
        Files.write(dir.resolve("truncated.npy"), java.util.Arrays.copyOf(good, good.length - 5));
        Npy.write1d(dir.resolve("flat.npy"), new float[] {1, 2, 3});

        Exception e = assertThrows(Exception.class,
                () -> NpyFiles.read(spark, List.of(dir + "/b*.npy", dir + "/truncated.npy")).count());
        String m = FisherVectorTransformerTest.fullMessage(e);
        assertTrue(m.contains("truncated.npy"), m);

        e = assertThrows(Exception.class, () -> NpyFiles.read(spark, List.of(dir + "/flat.npy")).count());
        m = FisherVectorTransformerTest.fullMessage(e);
        assertTrue(m.contains("flat.npy: shape [3] is not 2-D"), m);

        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> NpyFiles.read(spark, List.of(dir + "/nothing*.npy")));
        assertTrue(missing.getMessage().contains("nothing*.npy: no such file"), missing.getMessage());
    }
}
