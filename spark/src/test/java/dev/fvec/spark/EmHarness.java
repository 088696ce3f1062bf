package dev.fvec.spark;

import dev.fvec.DiagonalGmm;
import dev.fvec.GmmStatistics;
import dev.fvec.Kernels;
import dev.fvec.Sparsity;
import dev.fvec.TestModels;
import dev.fvec.internal.SyntheticDescriptors;
import dev.fvec.spi.StatisticsKernel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Where an E-step's time goes: args N K REPS PARTITIONS. Not a test. */
public final class EmHarness {
    static long gcMillis() {
        long t = 0;
        for (var b : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            t += b.getCollectionTime();
        }
        return t;
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        int k = Integer.parseInt(args[1]);
        int reps = Integer.parseInt(args[2]);
        int partitions = Integer.parseInt(args[3]);
        int d = 64;
        SparkSession spark = SparkSession.builder().master("local[2]").appName("h")
                .config("spark.ui.enabled", "false").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        Kernels.warmUp();
        float[] x = SyntheticDescriptors.generate(2027, n, d, 2 * k);
        DiagonalGmm model = TestModels.fromData(x, n, d, k, 3, 1.0);
        StructType schema = new StructType().add("descriptors", DataTypes.createArrayType(DataTypes.FloatType, false));
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r * 1000 < n; r++) {
            rows.add(RowFactory.create((Object) Arrays.copyOfRange(x, r * 1000 * d, Math.min(n, (r + 1) * 1000) * d)));
        }
        Dataset<Row> sets = spark.createDataFrame(rows, schema).repartition(8).cache();
        sets.count();
        rows = null;
        DescriptorBlocks blocks = new DescriptorBlocks(sets, Descriptors.FLAT, 0, d, -1, "", partitions);
        sets.unpersist(true);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Sparsity sp = Sparsity.threshold(1e-4);
        for (int rep = 0; rep < reps; rep++) {
            long t0 = System.nanoTime();
            double c0 = EncodeHarness.cpu() / 1e9;
            List<Future<GmmStatistics>> fs = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int from = t * (n / 2);
                int to = t == 0 ? n / 2 : n;
                fs.add(pool.submit(() -> {
                    StatisticsKernel kernel = Kernels.provider().create(model, sp);
                    GmmStatistics sum = new GmmStatistics(k, d);
                    GmmStatistics b = new GmmStatistics(k, d);
                    for (int s = from; s < to; s += 1024) {
                        b.reset();
                        kernel.accumulate(x, s * d, Math.min(1024, to - s), b);
                        sum.merge(b);
                    }
                    return sum;
                }));
            }
            for (Future<GmmStatistics> f : fs) {
                f.get();
            }
            double w1 = (System.nanoTime() - t0) / 1e9;
            double c1 = EncodeHarness.cpu() / 1e9 - c0;
            long g0 = gcMillis();
            long j0 = java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
            t0 = System.nanoTime();
            c0 = EncodeHarness.cpu() / 1e9;
            blocks.statistics(model, sp);
            double w2 = (System.nanoTime() - t0) / 1e9;
            double c2 = EncodeHarness.cpu() / 1e9 - c0;
            long j1 = java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
            System.out.printf(Locale.ROOT, "rep %2d  one JVM wall %.3f cpu %.3f | spark wall %.3f cpu %.3f (gc %d ms, jit %d ms) | ratio %.2f%n",
                    rep, w1, c1, w2, c2, gcMillis() - g0, j1 - j0, w1 / w2);
        }
        pool.shutdown();
        spark.stop();
    }
}
