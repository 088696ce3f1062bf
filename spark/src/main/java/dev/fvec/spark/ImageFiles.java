package dev.fvec.spark;

import dev.fvec.io.SpatialFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import scala.Tuple2;

/**
 * Images with positions ({@code docs/SPATIAL.md}: {@code .npz} archives of {@code descriptors (N, D)},
 * {@code positions (N, 2)} and {@code image_size (W, H)}) as a DataFrame, one row per file, for
 * {@link FisherVectorTransformer} with a pyramid or spatial block and for
 * {@link DiagonalGmmEstimator} with {@code spatial}. Parsed on the executors by
 * {@link SpatialFiles#readImage} (local files directly, others through a local temporary copy); a
 * bad file fails the job naming it.
 */
public final class ImageFiles {

    /** {@code path, index, rows, dimension, descriptors (N x D row-major), positions (N x 2 row-major), image_size (W, H)}. */
    public static final StructType SCHEMA = new StructType()
            .add("path", DataTypes.StringType, false)
            .add("index", DataTypes.LongType, false)
            .add("rows", DataTypes.IntegerType, false)
            .add("dimension", DataTypes.IntegerType, false)
            .add("descriptors", DataTypes.createArrayType(DataTypes.FloatType, false), false)
            .add("positions", DataTypes.createArrayType(DataTypes.FloatType, false), false)
            .add("image_size", DataTypes.createArrayType(DataTypes.IntegerType, false), false);

    private ImageFiles() {
    }

    /**
     * Reads image archives: each of {@code paths} a file or a Hadoop glob, as {@link NpyFiles#read}
     * takes them ({@code index}: the file's position in the expanded list).
     *
     * @throws IllegalArgumentException if a path or glob matches no file
     */
    public static Dataset<Row> read(SparkSession spark, List<String> paths) {
        List<String> files = NpyFiles.expand(paths, spark.sparkContext().hadoopConfiguration());
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<Tuple2<Long, String>> indexed = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            indexed.add(new Tuple2<>((long) i, files.get(i)));
        }
        Broadcast<NpyFiles.HadoopConf> conf = jsc.broadcast(new NpyFiles.HadoopConf(spark.sparkContext().hadoopConfiguration()));
        int partitions = Math.max(1, Math.min(files.size(), jsc.defaultParallelism() * 4));
        JavaRDD<InternalRow> rows = jsc.parallelize(indexed, partitions).map(file -> {
            SpatialFiles.Image img = read(file._2(), conf.value().get());
            return new GenericInternalRow(new Object[] {UTF8String.fromString(file._2()), file._1(), img.count(),
                img.dimension(), UnsafeArrayData.fromPrimitiveArray(img.descriptors()),
                UnsafeArrayData.fromPrimitiveArray(img.positions()),
                UnsafeArrayData.fromPrimitiveArray(new int[] {img.width(), img.height()})});
        });
        return Sessions.classic(spark).internalCreateDataFrame(rows.rdd(), SCHEMA, false);
    }

    /** The image archive {@code name} (any Hadoop path), its errors naming it. */
    static SpatialFiles.Image read(String name, Configuration conf) {
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(name);
        java.nio.file.Path local = null;
        java.nio.file.Path tmp = null;
        try {
            if ("file".equals(path.toUri().getScheme()) || path.toUri().getScheme() == null) {
                local = java.nio.file.Path.of(path.toUri().getScheme() == null ? name : path.toUri().getPath());
            } else {
                tmp = Files.createTempFile("fvec-image-", ".npz");
                path.getFileSystem(conf).copyToLocalFile(false, path, new org.apache.hadoop.fs.Path(tmp.toUri()), true);
                local = tmp;
            }
            byte[] head;
            try (java.io.InputStream in = Files.newInputStream(local)) {
                head = in.readNBytes(4);
            }
            if (head.length < 4 || head[0] != 'P' || head[1] != 'K') {
                throw new IllegalArgumentException(name + ": not an .npz archive; images with positions are .npz"
                        + " files of descriptors (N, D), positions (N, 2) and image_size (W, H)");
            }
            try {
                return SpatialFiles.readImage(local);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(rename(e.getMessage(), tmp, name), e);
            }
        } catch (IOException e) {
            String m = rename(e.getMessage(), tmp, name);
            throw new UncheckedIOException(m != null && m.contains(local == null ? name : local.toString()) ? m
                    : name + ": " + m, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a leftover temporary file is harmless
                }
            }
        }
    }

    /** {@code message} with the temporary copy's name replaced by the file's. */
    private static String rename(String message, java.nio.file.Path tmp, String name) {
        return tmp == null || message == null ? message : message.replace(tmp.toString(), name);
    }
}
