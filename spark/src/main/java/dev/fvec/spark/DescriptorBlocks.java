package dev.fvec.spark;

import dev.fvec.DiagonalGmm;
import dev.fvec.GmmStatistics;
import dev.fvec.Kernels;
import dev.fvec.Projection;
import dev.fvec.Sparsity;
import dev.fvec.spi.ProjectionKernel;
import dev.fvec.spi.StatisticsKernel;
import dev.fvec.train.GmmTrainer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.storage.StorageLevel;

/**
 * The training descriptors of a DataFrame, cut into blocks of at most {@link #BLOCK_ROWS} rows
 * ({@code float[]}, row-major) and cached on the executors for the passes of EM. A block never
 * spans two partitions; blocks are in row order within their partition.
 *
 * <p>Every pass returns one result per partition, and the driver combines them in partition-index
 * order (through a fixed two-level grouping when there are many partitions), so the results do not
 * depend on which task finishes first: with a deterministic kernel, the same partitioning gives the
 * same model on every run.
 */
final class DescriptorBlocks implements AutoCloseable {

    /** Rows per block: as the single-JVM trainer's chunks, so partial sums stay as small. */
    static final int BLOCK_ROWS = 1024;

    /** Up to this many partitions, the driver merges every partition's result itself. */
    private static final int DIRECT_MERGE = 32;

    private final JavaSparkContext jsc;
    private final JavaRDD<float[]> blocks;
    final int d;
    final long n;

    /**
     * Reads column {@code field} of {@code data} as descriptors of kind {@code kind} and dimension
     * {@code d}, checks every value (finite, {@code |x| <=} {@link GmmTrainer#MAX_ABS_VALUE}) and
     * caches the blocks.
     *
     * @param idField a column naming a row in errors, or -1
     * @param partitions at most this many partitions (consecutive input partitions are joined, in
     *     order, without a shuffle); 0: the input's partitioning
     */
    DescriptorBlocks(Dataset<Row> data, Descriptors kind, int field, int d, int idField, String idName,
            int partitions) {
        this.jsc = JavaSparkContext.fromSparkContext(data.sparkSession().sparkContext());
        this.d = d;
        DataType type = data.schema().apply(field).dataType();
        DataType idType = idField >= 0 ? data.schema().apply(idField).dataType() : null;
        // Spark's internal rows: each row's floats are copied out of Spark's buffer in one go. Through
        // the Row API (javaRDD()) every value was boxed, a Float per value: gigabytes of garbage for a
        // million descriptors, which the collector was still marking during the EM iterations.
        JavaRDD<InternalRow> internal = data.queryExecution().toRdd().toJavaRDD();
        if (partitions > 0 && partitions < internal.getNumPartitions()) {
            // Fewer, larger tasks per EM pass: each task has a fixed cost (scheduling, its result
            // shipped and merged) paid on every iteration. coalesce keeps the rows' order (partition
            // i of the result is a run of consecutive input partitions), so the result stays
            // deterministic.
            internal = internal.coalesce(partitions, false);
        }
        this.blocks = internal.mapPartitionsWithIndex((partition, it) -> {
            List<float[]> out = new ArrayList<>();
            Descriptors.Buffer x = new Descriptors.Buffer();
            float[] block = new float[BLOCK_ROWS * d];
            int filled = 0; // rows in block
            long index = 0;
            while (it.hasNext()) {
                InternalRow row = it.next();
                long i = index++;
                Supplier<String> where = Descriptors.where(i, partition, row, idField, idName, idType);
                kind.read(row, field, type, d, where, x);
                float[] v = x.values;
                for (int j = 0; j < x.length; j++) {
                    if (!(Math.abs(v[j]) <= GmmTrainer.MAX_ABS_VALUE)) { // also NaN
                        throw new IllegalArgumentException(where.get() + ": value " + v[j] + " at descriptor " + j / d
                                + ", dimension " + j % d + (Float.isFinite(v[j])
                                        ? " has magnitude above " + GmmTrainer.MAX_ABS_VALUE
                                        : ": every descriptor value must be finite"));
                    }
                }
                int rowsInX = x.length / d;
                for (int r = 0; r < rowsInX; r++) {
                    System.arraycopy(v, r * d, block, filled * d, d);
                    if (++filled == BLOCK_ROWS) {
                        out.add(block);
                        block = new float[BLOCK_ROWS * d];
                        filled = 0;
                    }
                }
            }
            if (filled > 0) {
                out.add(java.util.Arrays.copyOf(block, filled * d));
            }
            return out.iterator();
        }, true).persist(StorageLevel.MEMORY_AND_DISK());
        long rows = 0;
        for (double[] c : collectInOrder(blocks.mapPartitions(it -> {
            long count = 0;
            while (it.hasNext()) {
                count += it.next().length / d;
            }
            return Collections.singletonList(new double[] {count}).iterator();
        }))) {
            rows += (long) c[0];
        }
        this.n = rows;
    }

    /**
     * Each dimension's variance over all descriptors, {@code sum (x - mean)^2 / N}, in double,
     * with the mean from a first pass (two passes, as the single-JVM trainer computes it).
     */
    double[] variance() {
        int d = this.d; // a local, so the closures do not capture this
        double[] mean = new double[d];
        for (double[] s : collectInOrder(blocks.mapPartitions(it -> {
            double[] sum = new double[d];
            while (it.hasNext()) {
                float[] b = it.next();
                for (int r = 0; r < b.length; r += d) {
                    for (int j = 0; j < d; j++) {
                        sum[j] += b[r + j];
                    }
                }
            }
            return Collections.singletonList(sum).iterator();
        }))) {
            for (int j = 0; j < d; j++) {
                mean[j] += s[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        double[] m = mean;
        double[] var = new double[d];
        for (double[] s : collectInOrder(blocks.mapPartitions(it -> {
            double[] sq = new double[d];
            while (it.hasNext()) {
                float[] b = it.next();
                for (int r = 0; r < b.length; r += d) {
                    for (int j = 0; j < d; j++) {
                        double diff = b[r + j] - m[j];
                        sq[j] += diff * diff;
                    }
                }
            }
            return Collections.singletonList(sq).iterator();
        }))) {
            for (int j = 0; j < d; j++) {
                var[j] += s[j];
            }
        }
        for (int j = 0; j < d; j++) {
            var[j] /= n;
        }
        return var;
    }

    /**
     * About {@code size} descriptors drawn uniformly (each kept with probability {@code size / N},
     * by a generator seeded from {@code seed} and the partition index), in partition then row
     * order, row-major; all of them when {@code size >= N}.
     */
    float[] sample(long size, long seed) {
        int d = this.d;
        double p = Math.min(1.0, (double) size / n);
        List<float[]> parts = blocks.mapPartitionsWithIndex((partition, it) -> {
            SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + partition);
            float[] out = new float[0];
            int rows = 0;
            while (it.hasNext()) {
                float[] b = it.next();
                for (int r = 0; r < b.length / d; r++) {
                    if (p >= 1 || rnd.nextDouble() < p) {
                        if ((rows + 1) * d > out.length) {
                            out = java.util.Arrays.copyOf(out, Math.max(d, out.length * 2));
                        }
                        System.arraycopy(b, r * d, out, rows * d, d);
                        rows++;
                    }
                }
            }
            return Collections.singletonList(java.util.Arrays.copyOf(out, rows * d)).iterator();
        }, true).collect();
        int total = 0;
        for (float[] part : parts) {
            total += part.length;
        }
        float[] all = new float[total];
        int o = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, all, o, part.length);
            o += part.length;
        }
        return all;
    }

    /**
     * The E-step: the statistics of every descriptor under {@code model} with {@code sparsity},
     * computed on the executors with the kernel {@link Kernels#provider()} chooses there, each
     * {@link #BLOCK_ROWS}-row block into zeroed statistics merged in block order, partitions merged
     * in partition order.
     */
    GmmStatistics statistics(DiagonalGmm model, Sparsity sparsity) {
        Broadcast<GmmData> shared = jsc.broadcast(new GmmData(model));
        int d = this.d;
        boolean hard = sparsity.isHard();
        double threshold = sparsity.threshold();
        int k = model.components();
        try {
            GmmStatistics total = new GmmStatistics(k, d);
            for (double[] part : collectInOrder(blocks.mapPartitions(it -> {
                DiagonalGmm m = shared.value().toModel();
                StatisticsKernel kernel = Kernels.provider().create(m,
                        hard ? Sparsity.hard() : Sparsity.threshold(threshold));
                GmmStatistics sum = new GmmStatistics(k, d);
                GmmStatistics block = new GmmStatistics(k, d);
                while (it.hasNext()) {
                    float[] b = it.next();
                    block.reset();
                    kernel.accumulate(b, 0, b.length / d, block);
                    sum.merge(block);
                }
                return Collections.singletonList(StatisticsCodec.pack(sum)).iterator();
            }))) {
                StatisticsCodec.mergeInto(total, part);
            }
            return total;
        } finally {
            shared.destroy();
        }
    }

    /**
     * One result per partition, in partition-index order. With many partitions, groups of about
     * {@code sqrt(P)} consecutive partitions are first summed on the executors (element-wise, in
     * partition order within the group), so the driver receives about {@code sqrt(P)} arrays.
     */
    private List<double[]> collectInOrder(JavaRDD<double[]> perPartition) {
        int p = perPartition.getNumPartitions();
        if (p <= DIRECT_MERGE) {
            return perPartition.collect();
        }
        int g = (int) Math.ceil(Math.sqrt(p));
        return perPartition.mapPartitionsWithIndex((i, it) -> {
            List<scala.Tuple2<Integer, scala.Tuple2<Integer, double[]>>> out = new ArrayList<>();
            while (it.hasNext()) {
                out.add(new scala.Tuple2<>(i / g, new scala.Tuple2<>(i, it.next())));
            }
            return out.iterator();
        }, true).mapToPair(t -> t).groupByKey((p + g - 1) / g).mapValues(parts -> {
            List<scala.Tuple2<Integer, double[]>> sorted = new ArrayList<>();
            parts.forEach(sorted::add);
            sorted.sort((a, b) -> Integer.compare(a._1(), b._1()));
            double[] sum = null;
            for (scala.Tuple2<Integer, double[]> t : sorted) {
                if (sum == null) {
                    sum = t._2().clone();
                } else {
                    for (int j = 0; j < sum.length; j++) {
                        sum[j] += t._2()[j];
                    }
                }
            }
            return sum;
        }).sortByKey().values().collect();
    }

    private DescriptorBlocks(JavaSparkContext jsc, JavaRDD<float[]> blocks, int d, long n) {
        this.jsc = jsc;
        this.blocks = blocks;
        this.d = d;
        this.n = n;
    }

    /**
     * These descriptors through {@code projection} ({@code Din = d} columns to its {@code D}), in
     * the same blocks, computed on the executors with the projection step of the kernel provider
     * {@link Kernels#provider()} chooses there (as {@link GmmTrainer} projects) and cached; the
     * projected values are checked as the trainer checks its data. This object stays open: close
     * it when the projected blocks are computed ({@link #n} has been counted, so that is on return).
     */
    DescriptorBlocks project(Projection projection) {
        if (projection.inputDimension() != d) {
            throw new IllegalArgumentException("the projection takes Din = " + projection.inputDimension()
                    + " but the descriptors have D = " + d);
        }
        GmmData.ProjectionData shared = new GmmData.ProjectionData(projection);
        int din = d;
        int dout = projection.outputDimension();
        JavaRDD<float[]> projected = blocks.mapPartitionsWithIndex((partition, it) -> {
            ProjectionKernel step = Kernels.provider().createProjection(shared.toProjection());
            List<float[]> out = new ArrayList<>();
            long block = 0;
            while (it.hasNext()) {
                float[] b = it.next();
                int rows = b.length / din;
                float[] y = new float[rows * dout];
                step.project(b, 0, rows, y);
                for (int v = 0; v < y.length; v++) {
                    if (!(Math.abs(y[v]) <= GmmTrainer.MAX_ABS_VALUE)) {
                        throw new IllegalArgumentException("partition " + partition + ", block " + block
                                + ": projected value " + y[v] + " (descriptor " + v / dout + " of the block, dimension "
                                + v % dout + ") is not finite or above " + GmmTrainer.MAX_ABS_VALUE + " in magnitude");
                    }
                }
                out.add(y);
                block++;
            }
            return out.iterator();
        }, true).persist(StorageLevel.MEMORY_AND_DISK());
        long rows = projected.map(b -> (long) (b.length / dout)).fold(0L, Long::sum);
        if (rows != n) {
            throw new IllegalStateException("projected " + rows + " descriptors of " + n);
        }
        return new DescriptorBlocks(jsc, projected, dout, n);
    }

    @Override
    public void close() {
        blocks.unpersist(false);
    }
}
