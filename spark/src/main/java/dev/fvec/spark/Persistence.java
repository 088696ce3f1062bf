package dev.fvec.spark;

import dev.fvec.DiagonalGmm;
import dev.fvec.SpatialModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;

/**
 * Spark ML persistence for fvec's stages: {@code path/metadata} (Spark's JSON: class, uid, params,
 * as {@link DefaultParamsWriter} writes it) plus, when the stage holds a model,
 * {@code path/data/model.npz} ({@code np.load} reads it; {@link dev.fvec.io.Npz#readModel} too).
 */
final class Persistence {

    static final String MODEL_FILE = "data/model.npz";

    private Persistence() {
    }

    /** A writer of {@code stage}'s params and of the model {@code model} supplies (null: none). */
    static MLWriter writer(Params stage, Supplier<DiagonalGmm> model) {
        return writer(stage, model, () -> null);
    }

    /**
     * As {@link #writer(Params, Supplier)}, with the model's spatial Gaussians ({@code null}: none)
     * as {@code spatial_means}/{@code spatial_variances} in the same {@code .npz}.
     */
    static MLWriter writer(Params stage, Supplier<DiagonalGmm> model, Supplier<SpatialModel> spatial) {
        return new MLWriter() {
            @Override
            public void saveImpl(String path) {
                DiagonalGmm m = model.get();
                SpatialModel s = spatial.get();
                DefaultParamsWriter.saveMetadata(stage, path, sparkSession());
                if (m != null) {
                    ModelFiles.write(m, s, path + "/" + MODEL_FILE, hadoopConf(this), true);
                }
            }
        };
    }

    /**
     * A reader: {@code create} makes the stage from its uid, its params are set from the
     * metadata, and {@code setModel} receives the stored model if there is one.
     */
    static <T extends Params> MLReader<T> reader(Class<T> type, Function<String, T> create,
            BiConsumer<T, DiagonalGmm> setModel) {
        return reader(type, create, setModel, (stage, spatial) -> { });
    }

    /**
     * As {@link #reader(Class, Function, BiConsumer)}; {@code setSpatial} receives the stored
     * spatial Gaussians when the {@code .npz} has them.
     */
    static <T extends Params> MLReader<T> reader(Class<T> type, Function<String, T> create,
            BiConsumer<T, DiagonalGmm> setModel, BiConsumer<T, SpatialModel> setSpatial) {
        return new MLReader<T>() {
            @Override
            public T load(String path) {
                DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(path, sparkSession(),
                        type.getName());
                T stage = create.apply(metadata.uid());
                metadata.getAndSetParams(stage, scala.Option.empty());
                Configuration conf = sparkSession().sparkContext().hadoopConfiguration();
                org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(path, MODEL_FILE);
                try {
                    FileSystem fs = file.getFileSystem(conf);
                    if (fs.exists(file)) {
                        ModelFiles.WithSpatial m = ModelFiles.readWithSpatial(file.toString(), conf, true);
                        setModel.accept(stage, m.gmm);
                        if (m.stored) {
                            setSpatial.accept(stage, m.spatial);
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
                }
                return stage;
            }
        };
    }

    private static Configuration hadoopConf(MLWriter w) {
        return w.sparkSession().sparkContext().hadoopConfiguration();
    }
}
