package dev.fvec.spark;

import dev.fvec.DiagonalGmm;
import dev.fvec.GmmStatistics;
import dev.fvec.Kernels;
import dev.fvec.SpatialFit;
import dev.fvec.SpatialModel;
import dev.fvec.Sparsity;
import dev.fvec.spi.KeptTermSink;
import dev.fvec.spi.ProjectionKernel;
import dev.fvec.spi.StatisticsAccess;
import dev.fvec.spi.StatisticsKernel;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;

/**
 * The spatial pass of {@code fvec train --spatial} ({@link SpatialFit}; SPEC.md, "Spatial layout")
 * distributed: each partition sums {@code S0_k}, {@code T1_k = sum q l} and {@code T2_k = sum q l^2}
 * over its images (exact posteriors, normalised positions {@code l = (x / W, y / H)}); the driver adds
 * the partitions' sums in partition-index order and derives the Gaussians with {@link SpatialFit}'s
 * rule ({@code m = T1 / S0}, {@code S = max(T2 / S0 - m^2, }{@link SpatialFit#VARIANCE_FLOOR}{@code )},
 * the uniform moments for a component no descriptor reaches). Equal to {@link SpatialFit} on the same
 * images up to the summation order.
 */
final class SpatialPass {

    private SpatialPass() {
    }

    /**
     * The spatial Gaussians of {@code model} (with its projection, if any) over the images of
     * {@code df}: descriptors in field {@code field} (kind {@code kind}, {@code din} columns), positions
     * and sizes as {@code columns} reads them.
     */
    static SpatialModel fit(Dataset<Row> df, DiagonalGmm model, Descriptors kind, int field, int din,
            SpatialColumns columns, int idField, String idName) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(df.sparkSession().sparkContext());
        Broadcast<GmmData> shared = jsc.broadcast(new GmmData(model));
        int k = model.components();
        try {
            DataType type = df.schema().apply(field).dataType();
            DataType idType = idField >= 0 ? df.schema().apply(idField).dataType() : null;
            // Internal rows, as DescriptorBlocks reads them: no boxed value per float.
            List<double[]> parts = df.queryExecution().toRdd().toJavaRDD().mapPartitionsWithIndex((partition, rows) -> {
                DiagonalGmm m = shared.value().toModel();
                ProjectionKernel projection = m.projection().map(p -> Kernels.provider().createProjection(p))
                        .orElse(null);
                DiagonalGmm mixture = m.withProjection(null);
                StatisticsKernel kernel = Kernels.provider().create(mixture, Sparsity.none());
                int d = mixture.dimension();
                GmmStatistics scratch = GmmStatistics.forModel(mixture);
                // [count, S0 (K), T1 (K x 2), T2 (K x 2)]
                double[] sums = new double[1 + 5 * k];
                Descriptors.Buffer positions = new Descriptors.Buffer();
                Descriptors.Buffer descriptors = new Descriptors.Buffer();
                float[] projected = new float[0];
                long index = 0;
                while (rows.hasNext()) {
                    InternalRow row = rows.next();
                    long i = index++;
                    Supplier<String> where = Descriptors.where(i, partition, row, idField, idName, idType);
                    kind.read(row, field, type, din, where, descriptors);
                    float[] x = descriptors.values;
                    int n = descriptors.length / din;
                    int[] size = columns.read(row, n, positions, where);
                    float[] p = positions.values;
                    float[] y = x;
                    if (projection != null) {
                        if (projected.length < n * d) {
                            projected = new float[n * d];
                        }
                        projection.project(x, 0, n, projected);
                        y = projected;
                    }
                    double w = size[0];
                    double h = size[1];
                    KeptTermSink sink = (t, c, q) -> {
                        double lx = p[2 * t] / w;
                        double ly = p[2 * t + 1] / h;
                        sums[1 + k + 2 * c] += q * lx;
                        sums[1 + k + 2 * c + 1] += q * ly;
                        sums[1 + 3 * k + 2 * c] += q * lx * lx;
                        sums[1 + 3 * k + 2 * c + 1] += q * ly * ly;
                    };
                    scratch.reset();
                    try {
                        kernel.accumulate(y, 0, n, scratch, sink);
                    } catch (IllegalArgumentException | ArithmeticException e) {
                        throw new IllegalArgumentException(where.get() + ": " + e.getMessage(), e);
                    }
                    double[] s0 = StatisticsAccess.s0(scratch);
                    for (int c = 0; c < k; c++) {
                        sums[1 + c] += s0[c];
                    }
                    sums[0] += n;
                }
                return Collections.singletonList(sums).iterator();
            }, true).collect();
            double[] total = new double[1 + 5 * k];
            for (double[] part : parts) { // partition-index order: collect keeps it
                for (int j = 0; j < total.length; j++) {
                    total[j] += part[j];
                }
            }
            double[] means = new double[2 * k];
            double[] variances = new double[2 * k];
            for (int c = 0; c < k; c++) {
                double s0 = total[1 + c];
                for (int e = 0; e < 2; e++) {
                    int j = 2 * c + e;
                    if (s0 > 0) {
                        means[j] = total[1 + k + j] / s0;
                        variances[j] = Math.max(total[1 + 3 * k + j] / s0 - means[j] * means[j],
                                SpatialFit.VARIANCE_FLOOR);
                    } else {
                        means[j] = 0.5;
                        variances[j] = SpatialModel.UNIFORM_VARIANCE;
                    }
                }
            }
            return SpatialModel.of(means, variances);
        } finally {
            shared.destroy();
        }
    }
}
