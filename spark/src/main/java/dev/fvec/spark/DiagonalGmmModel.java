package dev.fvec.spark;

import dev.fvec.DiagonalGmm;
import dev.fvec.SpatialModel;
import dev.fvec.train.TrainingResult;
import java.util.Objects;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A diagonal Gaussian mixture trained by {@link DiagonalGmmEstimator}: {@link #gmm()} is fvec's
 * {@link DiagonalGmm}. {@link #transform} appends each row's Fisher vector (a
 * {@link FisherVectorTransformer} on this model with default options; {@link #toTransformer()}
 * gives one to configure: form, power, L2, sparsity).
 *
 * <p>Persistence: {@code model.write().save(path)} writes Spark's metadata and
 * {@code path/data/model.npz} (what {@code np.load} and {@link dev.fvec.io.Npz#readModel} read);
 * {@link #load(String)}; {@link #toNpz(String)} writes just the {@code .npz} (any Hadoop path).
 * Immutable apart from its params.
 */
public final class DiagonalGmmModel extends Model<DiagonalGmmModel> implements MLWritable {

    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> inputCol;
    private final Param<String> outputCol;
    private transient DiagonalGmm gmm;
    private transient SpatialModel spatial;
    private transient TrainingResult training;

    DiagonalGmmModel(String uid, DiagonalGmm gmm, SpatialModel spatial, TrainingResult training) {
        this.uid = uid;
        this.gmm = gmm;
        this.spatial = spatial;
        this.training = training;
        inputCol = new Param<>(this, "inputCol", "descriptor column for transform (Fisher vectors)");
        outputCol = new Param<>(this, "outputCol", "Fisher vector column");
        setDefault(outputCol, "fisherVector");
    }

    @Override
    public String uid() {
        return uid;
    }

    /** The param: the descriptor column {@link #transform} encodes (set to the estimator's input column). */
    public Param<String> inputCol() {
        return inputCol;
    }

    /** The param: the Fisher-vector column {@link #transform} adds; default {@code fisherVector}. */
    public Param<String> outputCol() {
        return outputCol;
    }

    /** The descriptor column {@link #transform} encodes. */
    public DiagonalGmmModel setInputCol(String value) {
        set(inputCol, value);
        return this;
    }

    /** The Fisher-vector column {@link #transform} adds; default {@code fisherVector}. */
    public DiagonalGmmModel setOutputCol(String value) {
        set(outputCol, value);
        return this;
    }

    /** The mixture: {@code K} weights, {@code K x D} means and variances. */
    public DiagonalGmm gmm() {
        return gmm;
    }

    /**
     * The spatial Gaussians fitted after EM ({@link DiagonalGmmEstimator#setSpatial}), or {@code null}
     * when there are none; {@link #toNpz} and {@link #write()} store them as {@code spatial_means} and
     * {@code spatial_variances}, {@link #toTransformer()} hands them on.
     */
    public SpatialModel spatialModel() {
        return spatial;
    }

    /**
     * What training reported (iterations, final mean log-likelihood per descriptor, convergence,
     * re-seeded components), or {@code null} for a loaded model.
     */
    public TrainingResult trainingResult() {
        return training;
    }

    /**
     * Writes the mixture as an {@code .npz} ({@code weights}, {@code means}, {@code covariances}, the PCA
     * and spatial entries when it has them) to any Hadoop path.
     */
    public void toNpz(String path) {
        ModelFiles.write(gmm, spatial, path, org.apache.spark.sql.SparkSession.active().sparkContext().hadoopConfiguration(),
                true);
    }

    /** A Fisher-vector transformer on this model, with this model's input and output columns. */
    public FisherVectorTransformer toTransformer() {
        FisherVectorTransformer t = new FisherVectorTransformer().setModel(gmm).setSpatialModel(spatial)
                .setOutputCol(getOrDefault(outputCol));
        if (isDefined(inputCol)) {
            t.setInputCol(getOrDefault(inputCol));
        }
        return t;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return toTransformer().transformSchema(schema);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        return toTransformer().transform(dataset);
    }

    @Override
    public DiagonalGmmModel copy(ParamMap extra) {
        DiagonalGmmModel m = copyValues(new DiagonalGmmModel(uid, gmm, spatial, training), extra);
        return m.setParent(parent());
    }

    @Override
    public MLWriter write() {
        return Persistence.writer(this, () -> gmm, () -> spatial);
    }

    /** A reader for {@link #write()}'s output. */
    public static MLReader<DiagonalGmmModel> read() {
        return Persistence.reader(DiagonalGmmModel.class, uid -> new DiagonalGmmModel(uid, null, null, null),
                (m, g) -> m.gmm = Objects.requireNonNull(g), (m, s) -> m.spatial = s);
    }

    /** Loads a model saved with {@link #write()}. */
    public static DiagonalGmmModel load(String path) {
        DiagonalGmmModel m = read().load(path);
        if (m.gmm == null) {
            throw new IllegalArgumentException(path + ": no " + Persistence.MODEL_FILE + " (not a saved DiagonalGmmModel?)");
        }
        return m;
    }
}
