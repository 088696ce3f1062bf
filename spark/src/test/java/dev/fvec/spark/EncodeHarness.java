package dev.fvec.spark;

import dev.fvec.io.Npz;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Where the transformer's time goes: args DIR (images/*.npy, gmm.npz) REPS. */
public final class EncodeHarness {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int reps = Integer.parseInt(args[1]);
        String glob = args.length > 2 ? args[2] : dir + "/images/*.npy";
        SparkSession spark = SparkSession.builder().master("local[2]").appName("h")
                .config("spark.ui.enabled", "false").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        var gmm = Npz.readModel(dir.resolve("gmm.npz"));
        for (int rep = 0; rep < reps; rep++) {
            long[] t = start();
            Dataset<Row> files = NpyFiles.read(spark, List.of(glob));
            files.queryExecution().toRdd().toJavaRDD().foreachPartition(it -> { while (it.hasNext()) it.next(); });
            stop("read only", t);
            t = start();
            Dataset<Row> fv = new FisherVectorTransformer().setModel(gmm).setInputCol("descriptors")
                    .setImproved().setOutputCol("fv").transform(NpyFiles.read(spark, List.of(glob)));
            fv.queryExecution().toRdd().toJavaRDD().foreachPartition(it -> { while (it.hasNext()) it.next(); });
            stop("read+transform", t);
            t = start();
            fv = new FisherVectorTransformer().setModel(gmm).setInputCol("descriptors")
                    .setImproved().setOutputCol("fv").transform(NpyFiles.read(spark, List.of(glob)));
            long n = NpyFiles.writeNpy(fv, "fv", "index", dir.resolve("fv-h.npy"));
            stop("read+transform+writeNpy (" + n + ")", t);
        }
        spark.stop();
    }

    static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static long[] start() {
        return new long[] {System.nanoTime(), cpu()};
    }

    static void stop(String what, long[] t) {
        System.out.printf(Locale.ROOT, "%-36s wall %6.2f s  cpu %6.2f s%n", what, (System.nanoTime() - t[0]) / 1e9,
                (cpu() - t[1]) / 1e9);
    }
}
