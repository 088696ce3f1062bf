package dev.fvec.spark;

import dev.fvec.io.AtomicFile;
import dev.fvec.io.Npy;
import dev.fvec.io.NpyArray;
import dev.fvec.io.NpyRowWriter;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.GlobPattern;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * NumPy {@code .npy} descriptor files as a DataFrame, one row per file, and Fisher vectors back
 * to one {@code .npy}.
 *
 * <p>{@link #read} gives the columns {@link #SCHEMA}: {@code path} (the fully qualified file
 * URI), {@code index} (the file's position in the expanded list of inputs), {@code rows}
 * ({@code N}), {@code dimension} ({@code D}) and {@code descriptors}, {@code array<float>} of
 * {@code N x D} row-major, which {@link FisherVectorTransformer} and {@link DiagonalGmmEstimator}
 * read. The driver lists the files; the executors open them through Hadoop's {@code FileSystem}
 * (contiguous runs of the list per partition, no data locality) and parse them with {@link Npy}'s
 * own reader; a malformed, truncated or non-2-D file fails the job with an exception naming the
 * file. Needs a classic Spark session (not Spark Connect).
 */
public final class NpyFiles {

    /** {@code path, index, rows, dimension, descriptors}. */
    public static final StructType SCHEMA = new StructType()
            .add("path", DataTypes.StringType, false)
            .add("index", DataTypes.LongType, false)
            .add("rows", DataTypes.IntegerType, false)
            .add("dimension", DataTypes.IntegerType, false)
            .add("descriptors", DataTypes.createArrayType(DataTypes.FloatType, false), false);

    /** The largest file accepted: what one Java float array holds, as float64. */
    private static final long MAX_FILE_BYTES = 8L * Npy.MAX_ELEMENTS + Npy.MAX_HEADER_LENGTH;

    private NpyFiles() {
    }

    /**
     * Reads {@code .npy} files: each of {@code paths} is a file or a Hadoop glob
     * ({@code hdfs:///data/img*.npy}, {@code s3a://bucket/x/*.npy}, a local path); a glob's
     * matches are taken in path order, and a file named twice is read once.
     *
     * @throws IllegalArgumentException if a path or glob matches no file
     * @throws UncheckedIOException if listing fails
     */
    public static Dataset<Row> read(SparkSession spark, List<String> paths) {
        List<String> files = expand(paths, spark.sparkContext().hadoopConfiguration());
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<Tuple2<Long, String>> indexed = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            indexed.add(new Tuple2<>((long) i, files.get(i)));
        }
        // The Hadoop configuration is shipped once per executor. (binaryFiles serialised it,
        // gzipped, into every file's stream and parsed it back per file: several milliseconds a file,
        // more than reading a 1,000 x 64 file.)
        Broadcast<HadoopConf> conf = jsc.broadcast(new HadoopConf(spark.sparkContext().hadoopConfiguration()));
        int partitions = Math.max(1, Math.min(files.size(), jsc.defaultParallelism() * 4));
        // Internal rows: the descriptors go into Spark's format as one array copy; through Row and
        // createDataFrame every value would be boxed and converted one by one.
        JavaRDD<InternalRow> rows = jsc.parallelize(indexed, partitions).map(file -> parse(file, conf.value().get()));
        return Sessions.classic(spark).internalCreateDataFrame(rows.rdd(), SCHEMA, false);
    }

    /**
     * Each path or glob expanded to qualified file URIs, in order, without repeats. Local files
     * ({@code file:} on Hadoop's local file system) whose directory part has no glob characters
     * are listed with {@code java.nio} and matched with Hadoop's own {@link GlobPattern}, in the
     * order {@code globStatus} gives (sorted by path): the same URIs, where {@code globStatus}
     * took 0.3-1 s for 10,000 files (a status object per file) against 0.02-0.1 s. Anything else
     * (other file systems, globs in directories, escapes) goes through {@code globStatus}.
     */
    static List<String> expand(List<String> paths, Configuration conf) {
        Set<String> files = new LinkedHashSet<>();
        for (String p : paths) {
            org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(p);
            try {
                FileSystem fs = path.getFileSystem(conf);
                List<org.apache.hadoop.fs.Path> local = listLocal(fs, path, p);
                if (local != null) {
                    for (org.apache.hadoop.fs.Path f : local) {
                        files.add(f.toString());
                    }
                    continue;
                }
                FileStatus[] matches = fs.globStatus(path);
                if (matches == null || matches.length == 0) {
                    throw new IllegalArgumentException(p + ": no such file (or no file matches the pattern)");
                }
                Arrays.sort(matches);
                for (FileStatus s : matches) {
                    if (s.isDirectory()) {
                        throw directory(s.getPath());
                    }
                    files.add(s.getPath().toString());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(p + ": " + e.getMessage(), e);
            }
        }
        return new ArrayList<>(files);
    }

    private static IllegalArgumentException directory(org.apache.hadoop.fs.Path dir) {
        return new IllegalArgumentException(dir + " is a directory; give files or a glob such as "
                + new org.apache.hadoop.fs.Path(dir, "*.npy"));
    }

    /**
     * {@code globStatus}'s matches of {@code path} on the local file system, listed with
     * {@code java.nio}, sorted as {@code globStatus}'s; {@code null} where this does not apply (not
     * the local file system, a glob character or escape in the directory part, an escape in the
     * name), so the caller asks Hadoop.
     */
    private static List<org.apache.hadoop.fs.Path> listLocal(FileSystem fs, org.apache.hadoop.fs.Path path, String p)
            throws IOException {
        if (!(fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem)) {
            return null;
        }
        org.apache.hadoop.fs.Path q = fs.makeQualified(path);
        org.apache.hadoop.fs.Path parent = q.getParent();
        String name = q.getName();
        if (parent == null || name.isEmpty() || !"file".equals(q.toUri().getScheme()) || name.indexOf('\\') >= 0
                || parent.toUri().getPath().chars().anyMatch(c -> "*?[]{}\\".indexOf(c) >= 0)) {
            return null;
        }
        java.nio.file.Path dir = java.nio.file.Path.of(parent.toUri());
        GlobPattern glob = new GlobPattern(name);
        List<org.apache.hadoop.fs.Path> out = new ArrayList<>();
        if (!glob.hasWildcard()) {
            java.nio.file.Path f = dir.resolve(name);
            if (!java.nio.file.Files.exists(f)) {
                throw new IllegalArgumentException(p + ": no such file (or no file matches the pattern)");
            }
            out.add(q);
        } else if (java.nio.file.Files.isDirectory(dir)) {
            // LocalFileSystem hides its own checksum files (.name.crc) from listings; so does this.
            boolean checksums = fs instanceof ChecksumFileSystem;
            try (java.nio.file.DirectoryStream<java.nio.file.Path> entries = java.nio.file.Files.newDirectoryStream(dir)) {
                for (java.nio.file.Path e : entries) {
                    String n = e.getFileName().toString();
                    if (glob.matches(n) && !(checksums && n.startsWith(".") && n.endsWith(".crc"))) {
                        if (n.indexOf(':') >= 0) { // Hadoop's Path would take "a:b" for a scheme; let it decide
                            return null;
                        }
                        out.add(new org.apache.hadoop.fs.Path(parent, n));
                    }
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(p + ": no such file (or no file matches the pattern)");
        }
        java.util.Collections.sort(out);
        for (org.apache.hadoop.fs.Path f : out) {
            if (java.nio.file.Files.isDirectory(java.nio.file.Path.of(f.toUri()))) {
                throw directory(f);
            }
        }
        return out;
    }

    /** The array in the {@code .npy} file {@code name} (any Hadoop path), its errors naming it. */
    static NpyArray readArray(String name, Configuration conf) throws IOException {
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(name);
        try (InputStream in = path.getFileSystem(conf).open(path)) {
            return Npy.read(in, name, MAX_FILE_BYTES);
        }
    }

    private static InternalRow parse(Tuple2<Long, String> file, Configuration conf) throws IOException {
        String name = file._2();
        NpyArray a = readArray(name, conf);
        if (a.ndim() != 2) {
            throw new IllegalArgumentException(name + ": shape " + Arrays.toString(a.shape())
                    + " is not 2-D; descriptors must be an (N, D) array");
        }
        return new GenericInternalRow(new Object[] {UTF8String.fromString(name), file._1(), a.rows(), a.cols(),
                UnsafeArrayData.fromPrimitiveArray(a.data())});
    }

    /** A Hadoop configuration that Java serialisation can ship (Configuration is only Writable). */
    static final class HadoopConf implements Serializable {
        private static final long serialVersionUID = 1L;

        private transient Configuration conf;

        HadoopConf(Configuration conf) {
            this.conf = conf;
        }

        Configuration get() {
            return conf;
        }

        private void writeObject(ObjectOutputStream out) throws IOException {
            out.defaultWriteObject();
            conf.write(out);
        }

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            conf = new Configuration(false);
            conf.readFields(in);
        }
    }

    /**
     * Writes column {@code vectorCol} ({@code vector} or {@code array<float>}, all of one length) of
     * {@code df} as the rows of one float32 {@code .npy} on the driver's local disk, in
     * {@code orderCol} order (for example {@link #read}'s {@code index}). On a cluster the vectors
     * are cached on the executors and streamed to the driver in chunks of about 64 MB (the driver
     * holds one chunk, not the whole matrix); with a local master, whose tasks run in the driver's
     * JVM, each task hands its partition's vectors over in memory (all of them on the heap at once,
     * as the cache would hold them; nothing serialised). The file appears atomically
     * ({@link AtomicFile}); with no rows it is a {@code (0, 0)} array. For {@code .npy} files
     * encoded straight to {@code .npy}, {@link FisherVectorTransformer#transformFilesToNpy} writes
     * the rows from the executors.
     *
     * @return the number of rows written
     * @throws IllegalArgumentException if vectors differ in length or one is null (names its row)
     */
    public static long writeNpy(Dataset<Row> df, String vectorCol, String orderCol, Path out) throws IOException {
        Dataset<Row> selected = df.select(orderCol, vectorCol);
        StructType schema = selected.schema();
        DataType ot = schema.apply(0).dataType();
        DataType vt = schema.apply(1).dataType();
        if (!schema.apply(0).nullable() && (ot.equals(DataTypes.LongType) || ot.equals(DataTypes.IntegerType))
                && (vt.equals(org.apache.spark.ml.linalg.SQLDataTypes.VectorType())
                        || vt.equals(DataTypes.createArrayType(DataTypes.FloatType, false))
                        || vt.equals(DataTypes.createArrayType(DataTypes.FloatType, true)))) {
            return writeNpyFast(selected, orderCol, out);
        }
        // Cached first: the vectors are computed once, by all executors in parallel (the order check
        // or the sort's sampling), then streamed to the driver partition by partition.
        Dataset<Row> vectors = df.select(orderCol, vectorCol).persist(StorageLevel.MEMORY_AND_DISK());
        // Usually (NpyFiles.read's index through the transformer) the rows already come in order:
        // then no sort, whose shuffle and many small partitions cost more than the encoding.
        Dataset<Row> sorted = inOrder(vectors) ? vectors : vectors.orderBy(orderCol);
        long[] written = new long[1];
        try {
            AtomicFile.write(out, ch -> {
                NpyRowWriter w = null;
                int cols = -1;
                Iterator<Row> it = sorted.toLocalIterator();
                while (it.hasNext()) {
                    Row r = it.next();
                    if (r.isNullAt(1)) {
                        throw new IllegalArgumentException("the vector of " + orderCol + " = " + r.get(0) + " is null");
                    }
                    float[] v = toFloats(r.get(1));
                    if (w == null) {
                        cols = v.length;
                        w = new NpyRowWriter(ch, cols);
                    } else if (v.length != cols) {
                        throw new IllegalArgumentException("the vector of " + orderCol + " = " + r.get(0) + " has length "
                                + v.length + ", the earlier ones " + cols);
                    }
                    w.writeRow(v);
                }
                if (w == null) {
                    w = new NpyRowWriter(ch, 0);
                }
                w.finish();
                written[0] = w.rows();
            });
        } finally {
            vectors.unpersist(false);
        }
        return written[0];
    }

    /**
     * {@link #writeNpy} for what transformers write (a non-null integral order, {@code vector} or
     * {@code array<float>}): on Spark's internal rows, each vector taken out as one {@code float[]}
     * and cached as such, where the Row API boxed every value and the Dataset cache re-encoded
     * every vector into columns.
     */
    private static long writeNpyFast(Dataset<Row> selected, String orderCol, Path out) throws IOException {
        DataType ot = selected.schema().apply(0).dataType();
        boolean isVector = selected.schema().apply(1).dataType().equals(org.apache.spark.ml.linalg.SQLDataTypes.VectorType());
        boolean isLong = ot.equals(DataTypes.LongType);
        if (selected.sparkSession().sparkContext().isLocal() && handOverLocally) {
            return writeNpyLocal(selected, orderCol, out, isLong, isVector);
        }
        org.apache.spark.api.java.JavaPairRDD<Long, float[]> vectors = selected.queryExecution().toRdd().toJavaRDD()
                .mapToPair(r -> {
                    long key = isLong ? r.getLong(0) : r.getInt(0);
                    return new Tuple2<>(key, vectorOf(r, key, isVector, orderCol));
                }).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            // One job computes every partition (in parallel) and checks the order; the rows are then
            // streamed to the driver a partition at a time, sorted first only if they were not in order.
            List<long[]> ranges = vectors.mapPartitions(it -> {
                long first = 0;
                long last = 0;
                boolean any = false;
                boolean sorted = true;
                long count = 0;
                while (it.hasNext()) {
                    long v = it.next()._1();
                    count++;
                    if (!any) {
                        first = v;
                        any = true;
                    } else if (v < last) {
                        sorted = false;
                    }
                    last = v;
                }
                return List.of(new long[] {any ? 1 : 0, sorted ? 1 : 0, first, last, count}).iterator();
            }).collect();
            boolean ordered = true;
            boolean seen = false;
            long previous = 0;
            for (long[] p : ranges) {
                if (p[1] == 0 || (p[0] == 1 && seen && p[2] < previous)) {
                    ordered = false;
                    break;
                }
                if (p[0] == 1) {
                    seen = true;
                    previous = p[3];
                }
            }
            long[] counts = new long[ranges.size()];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = ranges.get(i)[4];
            }
            org.apache.spark.api.java.JavaPairRDD<Long, float[]> sorted = vectors;
            if (!ordered) {
                sorted = vectors.sortByKey().persist(StorageLevel.MEMORY_AND_DISK());
                counts = sorted.mapPartitions(it -> {
                    long c = 0;
                    for (; it.hasNext(); it.next()) {
                        c++;
                    }
                    return List.of(c).iterator();
                }).collect().stream().mapToLong(Long::longValue).toArray();
            }
            org.apache.spark.api.java.JavaPairRDD<Long, float[]> source = sorted;
            long[] rows = counts;
            long[] written = new long[1];
            try {
                AtomicFile.write(out, ch -> {
                    NpyRowWriter w = null;
                    int cols = -1;
                    float[] row = null;
                    for (int p = 0; p < rows.length; p++) {
                        // In chunks of about CHUNK_BYTES: the driver holds one chunk, not a whole partition
                        // (with one partition per core, half of every vector on 2 cores).
                        long chunk = -1;
                        for (long offset = 0; offset < rows[p]; offset += chunk) {
                            Chunk c = chunk(source, p, offset, chunk < 0 ? 1 : chunk, orderCol);
                            if (w == null) {
                                cols = c.cols;
                                w = new NpyRowWriter(ch, cols);
                                row = new float[cols];
                            } else if (c.cols != cols) {
                                throw new IllegalArgumentException("the vector of " + orderCol + " = " + c.firstKey
                                        + " has length " + c.cols + ", the earlier ones " + cols);
                            }
                            for (int r = 0; r < c.rows; r++) {
                                System.arraycopy(c.values, r * cols, row, 0, cols);
                                w.writeRow(row);
                            }
                            if (chunk < 0) { // the first chunk was one row: now its size is known
                                chunk = Math.max(1, CHUNK_BYTES / (4L * Math.max(1, cols)));
                                offset -= chunk - 1;
                            }
                        }
                    }
                    if (w == null) {
                        w = new NpyRowWriter(ch, 0);
                    }
                    w.finish();
                    written[0] = w.rows();
                });
            } finally {
                if (sorted != vectors) {
                    sorted.unpersist(false);
                }
            }
            return written[0];
        } finally {
            vectors.unpersist(false);
        }
    }

    /** Row {@code r}'s vector (column 1) as floats; errors name its order key. */
    private static float[] vectorOf(InternalRow r, long key, boolean isVector, String orderCol) {
        if (r.isNullAt(1)) {
            throw new IllegalArgumentException("the vector of " + orderCol + " = " + key + " is null");
        }
        if (isVector) {
            double[] d = VECTOR_UDT.deserialize(r.getStruct(1, VECTOR_UDT.sqlType().size())).toArray();
            float[] v = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                v[i] = (float) d[i];
            }
            return v;
        }
        org.apache.spark.sql.catalyst.util.ArrayData a = r.getArray(1);
        for (int i = 0; i < a.numElements(); i++) {
            if (a.isNullAt(i)) {
                throw new IllegalArgumentException("the vector of " + orderCol + " = " + key + " has a null at " + i);
            }
        }
        return a.toFloatArray();
    }

    /** One partition's keys and vectors, as a local master's task leaves them for the driver. */
    private static final class LocalPart {
        final long[] keys;
        final float[][] vectors;

        LocalPart(long[] keys, float[][] vectors) {
            this.keys = keys;
            this.vectors = vectors;
        }
    }

    /** False only in tests: a local master then takes the cluster path (cache, chunks through the driver). */
    static volatile boolean handOverLocally = true;

    /** Partitions handed over by local tasks (threads of the driver's JVM), by job key and partition index. */
    private static final java.util.Map<String, java.util.Map<Integer, LocalPart>> LOCAL_PARTS =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * {@link #writeNpyFast} with a local master: the tasks run in the driver's JVM, so each hands
     * its partition's vectors over in memory (one job, nothing serialised; where the cluster path
     * caches them, then ships 64 MB chunks back through Java serialisation one job at a time). The
     * driver writes them in order, sorting the keys first only if they are not already in order.
     */
    private static long writeNpyLocal(Dataset<Row> selected, String orderCol, Path out, boolean isLong,
            boolean isVector) throws IOException {
        String job = java.util.UUID.randomUUID().toString();
        java.util.Map<Integer, LocalPart> parts = new java.util.concurrent.ConcurrentHashMap<>();
        LOCAL_PARTS.put(job, parts);
        try {
            org.apache.spark.api.java.JavaRDD<InternalRow> rows = selected.queryExecution().toRdd().toJavaRDD();
            int partitions = rows.getNumPartitions();
            rows.mapPartitionsWithIndex((p, it) -> {
                List<Long> keys = new ArrayList<>();
                List<float[]> vectors = new ArrayList<>();
                while (it.hasNext()) {
                    InternalRow r = it.next();
                    long key = isLong ? r.getLong(0) : r.getInt(0);
                    keys.add(key);
                    vectors.add(vectorOf(r, key, isVector, orderCol));
                }
                LOCAL_PARTS.get(job).put(p, new LocalPart(keys.stream().mapToLong(Long::longValue).toArray(),
                        vectors.toArray(new float[0][])));
                return java.util.Collections.<Integer>emptyIterator();
            }, false).count();
            long total = 0;
            for (int p = 0; p < partitions; p++) {
                total += parts.get(p).keys.length;
            }
            // Positions (partition, row) in output order: as they are, or stably sorted by key.
            long[] order = new long[(int) total];
            long[] keyOf = new long[(int) total];
            boolean ordered = true;
            int n = 0;
            for (int p = 0; p < partitions; p++) {
                LocalPart part = parts.get(p);
                for (int i = 0; i < part.keys.length; i++, n++) {
                    order[n] = ((long) p << 32) | i;
                    keyOf[n] = part.keys[i];
                    ordered &= n == 0 || keyOf[n] >= keyOf[n - 1];
                }
            }
            if (!ordered) {
                Integer[] idx = new Integer[n];
                for (int i = 0; i < n; i++) {
                    idx[i] = i;
                }
                Arrays.sort(idx, (a, b) -> Long.compare(keyOf[a], keyOf[b]));
                long[] sorted = new long[n];
                for (int i = 0; i < n; i++) {
                    sorted[i] = order[idx[i]];
                }
                order = sorted;
            }
            long[] positions = order;
            long[] written = new long[1];
            AtomicFile.write(out, ch -> {
                NpyRowWriter w = null;
                int cols = -1;
                for (long pos : positions) {
                    LocalPart part = parts.get((int) (pos >>> 32));
                    int i = (int) pos;
                    float[] v = part.vectors[i];
                    if (w == null) {
                        cols = v.length;
                        w = new NpyRowWriter(ch, cols);
                    } else if (v.length != cols) {
                        throw new IllegalArgumentException("the vector of " + orderCol + " = " + part.keys[i]
                                + " has length " + v.length + ", the earlier ones " + cols);
                    }
                    w.writeRow(v);
                }
                if (w == null) {
                    w = new NpyRowWriter(ch, 0);
                }
                w.finish();
                written[0] = w.rows();
            });
            return written[0];
        } finally {
            LOCAL_PARTS.remove(job);
        }
    }

    /** Vectors fetched to the driver at a time by {@link #writeNpy}, in bytes. */
    private static final long CHUNK_BYTES = 64L << 20;

    /** Rows {@code [offset, offset + count)} of partition {@code p}, all of one length, packed row-major. */
    static final class Chunk implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        final int rows;
        final int cols;
        final long firstKey;
        final float[] values;

        Chunk(int rows, int cols, long firstKey, float[] values) {
            this.rows = rows;
            this.cols = cols;
            this.firstKey = firstKey;
            this.values = values;
        }
    }

    private static Chunk chunk(org.apache.spark.api.java.JavaPairRDD<Long, float[]> rdd, int p, long offset,
            long count, String orderCol) {
        List<Chunk>[] parts = rdd.mapPartitionsWithIndex((i, it) -> {
            if (i != p) {
                return java.util.Collections.<Chunk>emptyIterator();
            }
            for (long s = 0; s < offset && it.hasNext(); s++) {
                it.next();
            }
            float[] values = null;
            int rows = 0;
            int cols = -1;
            long firstKey = 0;
            while (rows < count && it.hasNext()) {
                Tuple2<Long, float[]> t = it.next();
                float[] v = t._2();
                if (values == null) {
                    cols = v.length;
                    firstKey = t._1();
                    values = new float[(int) Math.min(Integer.MAX_VALUE - 8, count * (long) cols)];
                } else if (v.length != cols) {
                    throw new IllegalArgumentException("the vector of " + orderCol + " = " + t._1() + " has length "
                            + v.length + ", the earlier ones " + cols);
                }
                System.arraycopy(v, 0, values, rows * cols, cols);
                rows++;
            }
            if (values == null) {
                values = new float[0];
                cols = 0;
            } else if (rows * cols < values.length) {
                values = java.util.Arrays.copyOf(values, rows * cols);
            }
            return List.of(new Chunk(rows, cols, firstKey, values)).iterator();
        }, true).collectPartitions(new int[] {p});
        return parts[0].get(0);
    }

    private static final org.apache.spark.ml.linalg.VectorUDT VECTOR_UDT = new org.apache.spark.ml.linalg.VectorUDT();

    /**
     * Whether column 0 of {@code vectors} is integral, never null, and increasing along the rows
     * partition after partition (what {@code orderBy} would give, up to ties); computes every
     * partition once, in parallel (and so fills the cache of {@code vectors}).
     */
    static boolean inOrder(Dataset<Row> vectors) {
        DataType t = vectors.schema().apply(0).dataType();
        if (!(t.equals(DataTypes.LongType) || t.equals(DataTypes.IntegerType) || t.equals(DataTypes.ShortType)
                || t.equals(DataTypes.ByteType))) {
            return false;
        }
        List<long[]> ranges = vectors.queryExecution().toRdd().toJavaRDD().mapPartitions(rows -> {
            long first = 0;
            long last = 0;
            boolean any = false;
            boolean sorted = true;
            while (rows.hasNext()) {
                InternalRow r = rows.next();
                if (r.isNullAt(0)) {
                    sorted = false;
                    continue;
                }
                long v = t.equals(DataTypes.LongType) ? r.getLong(0) : t.equals(DataTypes.IntegerType) ? r.getInt(0)
                        : t.equals(DataTypes.ShortType) ? r.getShort(0) : r.getByte(0);
                if (!any) {
                    first = v;
                    any = true;
                } else if (v < last) {
                    sorted = false;
                }
                last = v;
            }
            return List.of(new long[] {any ? 1 : 0, sorted ? 1 : 0, first, last}).iterator();
        }).collect();
        boolean seen = false;
        long previous = 0;
        for (long[] p : ranges) {
            if (p[1] == 0) {
                return false;
            }
            if (p[0] == 1) {
                if (seen && p[2] < previous) {
                    return false;
                }
                seen = true;
                previous = p[3];
            }
        }
        return true;
    }

    private static float[] toFloats(Object v) {
        if (v instanceof Vector) {
            double[] d = ((Vector) v).toArray();
            float[] f = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                f[i] = (float) d[i];
            }
            return f;
        }
        if (v instanceof float[]) {
            return (float[]) v;
        }
        @SuppressWarnings("unchecked")
        List<Object> l = v instanceof List ? (List<Object>) v
                : scala.jdk.javaapi.CollectionConverters.asJava((scala.collection.Seq<Object>) v);
        float[] f = new float[l.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = ((Number) l.get(i)).floatValue();
        }
        return f;
    }
}
