package dev.fvec.spark;

import dev.fvec.DiagonalGmm;
import dev.fvec.FisherEncoder;
import dev.fvec.FisherForm;
import dev.fvec.PyramidLayout;
import dev.fvec.SpatialEncoder;
import dev.fvec.SpatialModel;
import dev.fvec.Sparsity;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.rdd.RDD;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Encodes each row's descriptors (one image) into its Fisher vector with {@link FisherEncoder}:
 * the output equals {@code FisherEncoder.encode} on the same descriptors, bit for bit.
 *
 * <pre>{@code
 * Dataset<Row> fv = new FisherVectorTransformer()
 *         .setModelPath("hdfs:///models/gmm.npz")    // or setModel(DiagonalGmm)
 *         .setInputCol("descriptors").setOutputCol("fv")
 *         .setPower(0.5).setL2(true)                 // "improved"
 *         .transform(images);
 * }</pre>
 *
 * <p><b>Input</b> ({@link #setInputCol}): {@code array<float>}, one image's {@code N x D}
 * descriptors row-major ({@code x[n * D + j]}; {@code D} is the model's, or {@link #setDimension}
 * which must then match it), or {@code array<array<float>>} ({@code N} arrays of {@code D});
 * {@code double} elements are rounded to float. {@code N = 0} gives the zero vector.
 * <b>Output</b> ({@link #setOutputCol}): an {@code org.apache.spark.ml.linalg} dense
 * {@code vector} (the floats widened to double, exactly), or {@code array<float>} with
 * {@code setOutputType("array")}; layout and length as {@link FisherForm} says
 * ({@code 2KD} for VLFeat). Other columns pass through.
 *
 * <p><b>PCA</b>: a model with a {@link dev.fvec.Projection} ({@link DiagonalGmm#withProjection},
 * or {@code pca_*} entries in the {@code .npz}) takes {@code Din}-column descriptors, which the
 * encoder projects to the mixture's {@code D} as {@link FisherEncoder} does; {@code D} above (and
 * {@link #setDimension}) then means {@code Din}.
 *
 * <p><b>Params</b>: {@code form} ({@code vlfeat} default, {@code gist}, {@code skimage}),
 * {@code power} (0 = none, 0.5 = signed square root), {@code l2}, {@code threshold} (posteriors
 * below it dropped; unset, each form's origin: {@code 1e-6} for VLFeat, exact for the others) or
 * {@code hard}; the model in memory ({@link #setModel}) or as an {@code .npz} path on any Hadoop file system ({@link #setModelPath};
 * read once by the driver, which broadcasts it); {@code idCol}: a column (e.g. the file path) whose
 * value names a row in error messages.
 *
 * <p><b>Spatial layout</b> ({@code docs/SPATIAL.md}; {@code fvec encode --pyramid/--spatial}):
 * {@link #setPyramid} (grids such as {@code 1x1,2x2,3x1}: one block per cell, each normalised alone)
 * and {@link #setSpatial} (the spatial Fisher vector's {@code 4K} more per block) encode each row
 * with {@link SpatialEncoder}, whose output this equals bit for bit. They need two more columns:
 * {@link #setPositionsCol} ({@code array<float>} of {@code N x 2} row-major, or
 * {@code array<array<float>>} of {@code N} pairs: {@code (x, y)} in pixels, origin top-left, one per
 * descriptor in the descriptors' order) and {@link #setImageSizeCol} ({@code array<int>}
 * {@code (W, H)}); positions must lie in {@code [0, W] x [0, H]}. The spatial Gaussians are
 * {@link #setSpatialModel}'s, else the {@code spatial_means}/{@code spatial_variances} of the
 * {@code .npz} at {@code modelPath}, else (or with an in-memory model) the uniform square's
 * ({@link SpatialModel#uniform}), as {@code fvec encode --spatial} does.
 *
 * <p><b>Execution</b>: the model is broadcast; each executor JVM builds one encoder per
 * transformation and uses it for all its partitions ({@code mapPartitions}); the kernel is what
 * {@link dev.fvec.Kernels#provider()} chooses in the executor, so the SIMD kernel wherever the
 * executor's JVM has {@code jdk.incubator.vector} (spark-submit adds it in Spark 4).
 *
 * <p><b>Files</b>: {@link #transformFiles} encodes {@code .npy} files (paths or Hadoop globs) as it
 * reads them on the executors, the same vectors as {@code transform(NpyFiles.read(...))} without a
 * DataFrame of descriptors in between (what {@code fvec-spark encode} runs).
 *
 * <p><b>Errors</b>: a bad row (null, NaN or infinity, a length that is not a multiple of
 * {@code D}; positions that are not one finite {@code (x, y)} inside the image per descriptor) fails the job with an {@link IllegalArgumentException} naming the partition, the row
 * within it and the {@code idCol} value.
 *
 * <p>Persistence: {@link #write()} saves the params and the in-memory model if set;
 * {@link #load(String)}. Like every Spark stage, not thread-safe while its params are being set.
 */
public final class FisherVectorTransformer extends Transformer implements MLWritable {

    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> inputCol;
    private final Param<String> outputCol;
    private final IntParam dimension;
    private final Param<String> form;
    private final DoubleParam power;
    private final BooleanParam l2;
    private final DoubleParam threshold;
    private final BooleanParam hard;
    private final Param<String> modelPath;
    private final Param<String> outputType;
    private final Param<String> idCol;
    private final Param<String> positionsCol;
    private final Param<String> imageSizeCol;
    private final Param<String> pyramid;
    private final BooleanParam spatial;
    private transient DiagonalGmm model;
    private transient SpatialModel spatialModel;

    /** A transformer with a random uid. */
    public FisherVectorTransformer() {
        this(Identifiable.randomUID("fisherVector"));
    }

    /** A transformer with the given uid (Spark's persistence and {@code copy} need this constructor). */
    public FisherVectorTransformer(String uid) {
        this.uid = uid;
        inputCol = new Param<>(this, "inputCol", "descriptor column: array<float> (N x D row-major) or array<array<float>>");
        outputCol = new Param<>(this, "outputCol", "Fisher vector column");
        dimension = new IntParam(this, "dimension", "descriptor dimension D of array<float> input; 0: the model's");
        form = new Param<>(this, "form", "Fisher vector form: vlfeat, gist or skimage");
        power = new DoubleParam(this, "power", "power normalisation exponent in (0, 1]; 0: none");
        l2 = new BooleanParam(this, "l2", "L2 normalisation after power normalisation");
        threshold = new DoubleParam(this, "threshold", "posteriors below this are dropped, in [0, 1]");
        hard = new BooleanParam(this, "hard", "hard assignment (VLFeat's FAST flag); overrides threshold");
        modelPath = new Param<>(this, "modelPath", ".npz model path (any Hadoop file system); unused when a model is set in memory");
        outputType = new Param<>(this, "outputType", "vector (ml.linalg dense) or array (array<float>)");
        idCol = new Param<>(this, "idCol", "column whose value names a row in error messages; empty: none");
        positionsCol = new Param<>(this, "positionsCol",
                "positions column: array<float> (N x 2 row-major, x, y in pixels) or array<array<float>>; empty: none");
        imageSizeCol = new Param<>(this, "imageSizeCol", "image size column: array<int> (W, H); empty: none");
        pyramid = new Param<>(this, "pyramid", "spatial pyramid grids RxC, comma-separated (e.g. 1x1,2x2,3x1); empty: none");
        spatial = new BooleanParam(this, "spatial", "append the spatial Fisher vector block (4K per block)");
        setDefault(positionsCol, "");
        setDefault(imageSizeCol, "");
        setDefault(pyramid, "");
        setDefault(spatial, false);
        setDefault(outputCol, "fisherVector");
        setDefault(dimension, 0);
        setDefault(form, "vlfeat");
        setDefault(power, 0.0);
        setDefault(l2, false);
        // threshold has no default: unset, each form gets its origin's (FisherForm.defaultSparsity()),
        // as FisherEncoder's builder does.
        setDefault(hard, false);
        setDefault(modelPath, "");
        setDefault(outputType, "vector");
        setDefault(idCol, "");
    }

    @Override
    public String uid() {
        return uid;
    }

    // ---- params (Spark finds them by reflection on these public no-argument methods) ----------

    /**
     * The param: the descriptor column: {@code array<float>} ({@code N x D} row-major) or {@code
     * array<array<float>>}; required.
     */
    public Param<String> inputCol() {
        return inputCol;
    }

    /** The param: the Fisher-vector column to add; default {@code fisherVector}. */
    public Param<String> outputCol() {
        return outputCol;
    }

    /** The param: {@code D} of {@code array<float>} input; 0 (default): the model's. */
    public IntParam dimension() {
        return dimension;
    }

    /** The param: the Fisher-vector form: {@code vlfeat} (default), {@code gist} or {@code skimage}. */
    public Param<String> form() {
        return form;
    }

    /** The param: the power-normalisation exponent, in {@code (0, 1]}; 0 (default): none. */
    public DoubleParam power() {
        return power;
    }

    /** The param: whether the vector is L2-normalised (after power normalisation); default false. */
    public BooleanParam l2() {
        return l2;
    }

    /** The param: posteriors below this are dropped, in {@code [0, 1]}; unset: the form's default. */
    public DoubleParam threshold() {
        return threshold;
    }

    /**
     * The param: hard assignment (each descriptor to its top component only), overriding {@code
     * threshold}; default false.
     */
    public BooleanParam hard() {
        return hard;
    }

    /** The param: an {@code .npz} model path on any Hadoop file system, read when no in-memory model is set. */
    public Param<String> modelPath() {
        return modelPath;
    }

    /**
     * The param: {@code vector} (default: an ml.linalg dense vector) or {@code array} ({@code
     * array<float>}).
     */
    public Param<String> outputType() {
        return outputType;
    }

    /**
     * The param: a column whose value names a row in error messages (e.g. the file path); empty (default):
     * none.
     */
    public Param<String> idCol() {
        return idCol;
    }

    /** The param: the positions column (see {@link #setPositionsCol}); empty (default): none. */
    public Param<String> positionsCol() {
        return positionsCol;
    }

    /** The param: the image size column (see {@link #setImageSizeCol}); empty (default): none. */
    public Param<String> imageSizeCol() {
        return imageSizeCol;
    }

    /** The param: the spatial pyramid's grids, e.g. {@code 1x1,2x2,3x1}; empty (default): none ({@code 1x1}). */
    public Param<String> pyramid() {
        return pyramid;
    }

    /** The param: whether each block gains the spatial Fisher vector's {@code 4K} entries; default false. */
    public BooleanParam spatial() {
        return spatial;
    }

    /**
     * Each image's positions: {@code array<float>} (or double) of {@code N x 2} row-major
     * ({@code x0, y0, x1, y1, ...}) or {@code array<array<float>>} of {@code N} pairs; {@code (x, y)}
     * in pixels, origin top-left, one per descriptor in the descriptors' order. Needed with
     * {@link #setPyramid} or {@link #setSpatial}.
     */
    public FisherVectorTransformer setPositionsCol(String value) {
        set(positionsCol, value);
        return this;
    }

    /**
     * Each image's size {@code (W, H)} in pixels: {@code array<int>} (long, or float/double with
     * integral values, too), each {@code >= 1}. Needed with {@link #setPositionsCol}.
     */
    public FisherVectorTransformer setImageSizeCol(String value) {
        set(imageSizeCol, value);
        return this;
    }

    /**
     * A spatial pyramid, as {@code fvec encode --pyramid}: grids {@code RxC} (R rows by C columns),
     * comma-separated ({@link PyramidLayout#parse}); one block per cell, grid by grid, cells
     * row-major, each normalised alone. Empty (default): the whole image only.
     *
     * @throws IllegalArgumentException if it does not parse
     */
    public FisherVectorTransformer setPyramid(String value) {
        if (!value.isEmpty()) {
            PyramidLayout.parse(value); // the layout's own check and message
        }
        set(pyramid, value);
        return this;
    }

    /**
     * Appends the spatial Fisher vector block ({@code 4K} per block), as {@code fvec encode --spatial};
     * default false. The Gaussians: see the class comment.
     */
    public FisherVectorTransformer setSpatial(boolean value) {
        set(spatial, value);
        return this;
    }

    /**
     * The spatial Gaussians for {@link #setSpatial} (e.g. {@link DiagonalGmmModel#spatialModel()}),
     * held in memory and saved with an in-memory model; {@code null} (default): from the
     * {@code modelPath} archive, or uniform.
     */
    public FisherVectorTransformer setSpatialModel(SpatialModel value) {
        this.spatialModel = value;
        return this;
    }

    /** The in-memory spatial Gaussians, or {@code null}. */
    public SpatialModel getSpatialModel() {
        return spatialModel;
    }

    /** Whether rows are encoded with positions: a positions column, a pyramid or the spatial block is set. */
    private boolean withPositions() {
        return !getOrDefault(positionsCol).isEmpty() || !getOrDefault(pyramid).isEmpty()
                || (Boolean) getOrDefault(spatial);
    }

    /** The layout these params ask for, with the spatial Gaussians resolved for {@code gmm}. */
    private SpatialColumns.Layout layout(DiagonalGmm gmm, SpatialModel fromFile) {
        SpatialModel sm = null;
        if ((Boolean) getOrDefault(spatial)) {
            sm = spatialModel != null ? spatialModel : fromFile != null ? fromFile : SpatialModel.uniform(gmm.components());
            if (sm.components() != gmm.components()) {
                throw new IllegalArgumentException("spatial model of K = " + sm.components()
                        + " does not match the mixture's K = " + gmm.components());
            }
        }
        return new SpatialColumns.Layout(getOrDefault(pyramid), sm);
    }

    /** The mixture and, with {@code spatial} and no in-memory spatial model, the archive's spatial Gaussians. */
    private Object[] models(org.apache.hadoop.conf.Configuration conf) {
        if (model != null) {
            return new Object[] {model, null};
        }
        boolean needSpatial = (Boolean) getOrDefault(spatial) && spatialModel == null;
        ModelFiles.WithSpatial m = ModelFiles.readWithSpatial(getOrDefault(modelPath), conf, needSpatial);
        return new Object[] {m.gmm, m.spatial};
    }

    /** Sets {@link #inputCol()}. */
    public FisherVectorTransformer setInputCol(String value) {
        set(inputCol, value);
        return this;
    }

    /** Sets {@link #outputCol()}. */
    public FisherVectorTransformer setOutputCol(String value) {
        set(outputCol, value);
        return this;
    }

    /** {@code D} of {@code array<float>} input, {@code >= 1}; default the model's. */
    public FisherVectorTransformer setDimension(int value) {
        if (value < 1) {
            throw new IllegalArgumentException("dimension = " + value + ": need D >= 1");
        }
        set(dimension, value);
        return this;
    }

    /** {@code vlfeat} (default), {@code gist} or {@code skimage}, any case. */
    public FisherVectorTransformer setForm(String value) {
        parseForm(value);
        set(form, value.toLowerCase(Locale.ROOT));
        return this;
    }

    /** Power normalisation exponent in {@code (0, 1]}; 0 (default) turns it off. */
    public FisherVectorTransformer setPower(double value) {
        FisherEncoder.builder(UNIT).power(value); // the encoder's own check and message
        set(power, value);
        return this;
    }

    /** Whether to L2-normalise each vector (after power normalisation); default false. */
    public FisherVectorTransformer setL2(boolean value) {
        set(l2, value);
        return this;
    }

    /** Power 0.5 then L2: the "improved" Fisher vector. */
    public FisherVectorTransformer setImproved() {
        return setPower(0.5).setL2(true);
    }

    /** What the params ask for: hard, the threshold that was set, or the form's default. */
    private Sparsity sparsity(FisherForm fisherForm) {
        if ((Boolean) getOrDefault(hard)) {
            return Sparsity.hard();
        }
        return isSet(threshold) ? Sparsity.threshold((Double) $(threshold)) : fisherForm.defaultSparsity();
    }

    /**
     * Posterior threshold in {@code [0, 1]}; 0 is exact. Unset, each form's origin decides, as in
     * {@link dev.fvec.FisherEncoder}: {@code 1e-6} for {@code vlfeat}, exact for {@code gist} and
     * {@code skimage}.
     */
    public FisherVectorTransformer setThreshold(double value) {
        Sparsity.threshold(value);
        set(threshold, value);
        return this;
    }

    /**
     * Hard assignment: each descriptor to its top component only (VLFeat's FAST flag); overrides the
     * threshold. Default false.
     */
    public FisherVectorTransformer setHard(boolean value) {
        set(hard, value);
        return this;
    }

    /** An {@code .npz} model on any Hadoop file system; ignored while an in-memory model is set. */
    public FisherVectorTransformer setModelPath(String value) {
        set(modelPath, value);
        return this;
    }

    /** {@code vector} (default) or {@code array}. */
    public FisherVectorTransformer setOutputType(String value) {
        String v = value.toLowerCase(Locale.ROOT);
        if (!v.equals("vector") && !v.equals("array")) {
            throw new IllegalArgumentException("outputType '" + value + "': expected vector or array");
        }
        set(outputType, v);
        return this;
    }

    /**
     * A column whose value names a failing row in error messages (e.g. the file path); empty (default):
     * none.
     */
    public FisherVectorTransformer setIdCol(String value) {
        set(idCol, value);
        return this;
    }

    /** The model, held in memory (and saved with the transformer); {@code null} clears it. */
    public FisherVectorTransformer setModel(DiagonalGmm value) {
        this.model = value;
        return this;
    }

    /** The in-memory model, or {@code null}. */
    public DiagonalGmm getModel() {
        return model;
    }

    // ---- Transformer ----------------------------------------------------------------------------

    @Override
    public StructType transformSchema(StructType schema) {
        Descriptors.of(schema, getOrDefault(inputCol), true);
        String out = getOrDefault(outputCol);
        if (Arrays.asList(schema.fieldNames()).contains(out)) {
            throw new IllegalArgumentException("output column '" + out + "' already exists in " + schema.simpleString());
        }
        String id = getOrDefault(idCol);
        if (!id.isEmpty() && !Arrays.asList(schema.fieldNames()).contains(id)) {
            throw new IllegalArgumentException("idCol '" + id + "' is not in the schema " + schema.simpleString());
        }
        if (model == null && getOrDefault(modelPath).isEmpty()) {
            throw new IllegalArgumentException("no model: call setModel(DiagonalGmm) or setModelPath(.npz path)");
        }
        if (withPositions()) {
            SpatialColumns.of(schema, getOrDefault(positionsCol), getOrDefault(imageSizeCol), spatialWhy());
        }
        DataType type = getOrDefault(outputType).equals("array")
                ? DataTypes.createArrayType(DataTypes.FloatType, false)
                : SQLDataTypes.VectorType();
        return schema.add(out, type, false);
    }

    /** What asks for positions, for messages. */
    private String spatialWhy() {
        return !getOrDefault(pyramid).isEmpty() ? "pyramid " + getOrDefault(pyramid)
                : (Boolean) getOrDefault(spatial) ? "the spatial block (spatial = true)" : "positionsCol";
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType schema = dataset.schema();
        StructType outSchema = transformSchema(schema);
        SparkSession spark = dataset.sparkSession();
        Object[] models = models(spark.sparkContext().hadoopConfiguration());
        DiagonalGmm gmm = (DiagonalGmm) models[0];
        SpatialColumns.Layout layout = withPositions() ? layout(gmm, (SpatialModel) models[1]) : null;
        SpatialColumns columns = layout == null ? null
                : SpatialColumns.of(schema, getOrDefault(positionsCol), getOrDefault(imageSizeCol), spatialWhy());
        int d = gmm.inputDimension(); // Din: with a PCA projection, the descriptors before it
        int dim = (Integer) getOrDefault(dimension);
        if (dim != 0 && dim != d) {
            throw new IllegalArgumentException("dimension = " + dim + " but the model takes "
                    + (gmm.projection().isPresent() ? "Din = " + d + " (D = " + gmm.dimension() + " after its PCA)"
                            : "D = " + d));
        }
        Broadcast<GmmData> shared = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(new GmmData(gmm));
        String id = getOrDefault(idCol);
        String in = getOrDefault(inputCol);
        FisherForm fisherForm = parseForm(getOrDefault(form));
        EncodeTask task = new EncodeTask(shared, UUID.randomUUID().toString(), fisherForm,
                (Double) getOrDefault(power), (Boolean) getOrDefault(l2), sparsity(fisherForm),
                Descriptors.of(schema, in, true), schema.fieldIndex(in), schema.apply(in).dataType(),
                id.isEmpty() ? -1 : schema.fieldIndex(id), id.isEmpty() ? null : schema.apply(id).dataType(), id,
                getOrDefault(outputType).equals("array"), layout, columns);
        // Spark's internal rows in and out: the descriptors are copied out of Spark's buffers and
        // the vector in as one primitive array, where the Row API would box every value both ways
        // (and re-encode the passed-through descriptor column), at several times the encoder's cost.
        RDD<InternalRow> rows = dataset.toDF().queryExecution().toRdd();
        return Sessions.classic(spark).internalCreateDataFrame(
                rows.toJavaRDD().mapPartitions(task).rdd(), outSchema, false);
    }

    /**
     * Fisher vectors of {@code .npy} files (paths or Hadoop globs, as {@link NpyFiles#read}), each
     * file read and encoded in one step on the executors: equal to
     * {@code transform(NpyFiles.read(spark, paths))} but without a DataFrame of descriptors in
     * between (whose rows of {@code N x D} floats are copied several times into and out of Spark's
     * format; this path reads each file into a buffer reused for the partition's files, as
     * {@code fvec encode} does). Rows: {@code path} (string), {@code index} (long, the file's
     * position in the expanded list, as {@link NpyFiles#read} numbers them) and this transformer's
     * output column. The input column, {@code dimension} and {@code idCol} params are not used; a
     * bad file fails the job with its path named. To write the vectors into one {@code .npy}, see
     * {@link #transformFilesToNpy}.
     *
     * @throws IllegalArgumentException if a path or glob matches no file, or a param is invalid
     */
    public Dataset<Row> transformFiles(SparkSession spark, java.util.List<String> paths) {
        FileJob job = fileJob(spark, paths);
        boolean asArray = getOrDefault(outputType).equals("array");
        StructType schema = new StructType().add("path", DataTypes.StringType, false)
                .add("index", DataTypes.LongType, false)
                .add(getOrDefault(outputCol), asArray ? DataTypes.createArrayType(DataTypes.FloatType, false)
                        : SQLDataTypes.VectorType(), false);
        return Sessions.classic(spark).internalCreateDataFrame(
                job.files.mapPartitions(new FileEncodeTask(job.encoding, asArray)).rdd(), schema, false);
    }

    /**
     * Encodes {@code .npy} files (paths or Hadoop globs, as {@link #transformFiles}) into one float32
     * {@code .npy} at {@code out} on the driver's file system, one row per file in the expanded
     * list's order: the file {@code NpyFiles.writeNpy(transformFiles(spark, paths), ..., "index", out)}
     * writes, byte for byte ({@code fvec encode}'s too), and what {@code fvec-spark encode --out X.npy}
     * runs. The file appears atomically ({@link dev.fvec.io.AtomicFile}); a bad input fails the job,
     * its path named, and leaves {@code out} as it was.
     *
     * <p>With a local master the executors are threads of the driver's JVM: each writes its rows
     * straight into the file at their places ({@code header + 4 index L} bytes, positional writes on
     * one channel), so no vector is serialised, collected or copied on the driver. On a cluster the
     * vectors come back through the driver ({@link NpyFiles#writeNpy}), a chunk at a time.
     *
     * @return the number of rows written (the number of files)
     * @throws IllegalArgumentException if a path or glob matches no file, or a param is invalid
     * @throws java.io.IOException if the output cannot be written
     */
    public long transformFilesToNpy(SparkSession spark, java.util.List<String> paths, java.nio.file.Path out)
            throws java.io.IOException {
        if (!spark.sparkContext().isLocal()) {
            FisherVectorTransformer t = copy(ParamMap.empty()).setOutputType("array");
            return NpyFiles.writeNpy(t.transformFiles(spark, paths), t.getOrDefault(t.outputCol()), "index", out);
        }
        FileJob job = fileJob(spark, paths);
        int length = job.encoding.length(); // built here: local executors share the driver's encoder cache
        long rows = job.count;
        byte[] header = dev.fvec.io.Npy.header2d((int) rows, length);
        String sink = job.encoding.key + "/sink";
        dev.fvec.io.AtomicFile.write(out, ch -> {
            java.nio.ByteBuffer h = java.nio.ByteBuffer.wrap(header);
            while (h.hasRemaining()) {
                ch.write(h, h.position());
            }
            LocalSinks.open(sink, ch);
            try {
                long written = job.files.mapPartitions(new FileWriteTask(job.encoding, sink, header.length))
                        .collect().stream().mapToLong(Long::longValue).sum();
                if (written != rows) {
                    throw new IllegalStateException("wrote " + written + " rows of " + rows);
                }
            } finally {
                LocalSinks.close(sink);
            }
            ch.position(header.length + 4L * rows * length);
        });
        return rows;
    }

    /** What {@link #transformFiles} and {@link #transformFilesToNpy} share: the files, numbered, and how to encode one. */
    private static final class FileJob {
        final org.apache.spark.api.java.JavaRDD<scala.Tuple2<Long, String>> files;
        final long count;
        final FileEncoding encoding;

        FileJob(org.apache.spark.api.java.JavaRDD<scala.Tuple2<Long, String>> files, long count, FileEncoding encoding) {
            this.files = files;
            this.count = count;
            this.encoding = encoding;
        }
    }

    /**
     * Tasks per core for file jobs. Locally 8: the two tasks of one per core each took half the
     * files, and when another process slowed one core the other idled at the end (the single JVM's
     * threads take files one at a time from a shared counter); a task costs a few milliseconds.
     * On a cluster 4, so that a slow executor holds up less of the job.
     */
    static final int LOCAL_TASKS_PER_CORE = Integer.getInteger("fvec.spark.localTasksPerCore", 8);

    private FileJob fileJob(SparkSession spark, java.util.List<String> paths) {
        Object[] models = models(spark.sparkContext().hadoopConfiguration());
        DiagonalGmm gmm = (DiagonalGmm) models[0];
        // With a pyramid or the spatial block, the files are .npz images (positions and size inside).
        SpatialColumns.Layout layout = !getOrDefault(pyramid).isEmpty() || (Boolean) getOrDefault(spatial)
                ? layout(gmm, (SpatialModel) models[1]) : null;
        java.util.List<String> files = NpyFiles.expand(paths, spark.sparkContext().hadoopConfiguration());
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        java.util.List<scala.Tuple2<Long, String>> indexed = new java.util.ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            indexed.add(new scala.Tuple2<>((long) i, files.get(i)));
        }
        Broadcast<GmmData> shared = jsc.broadcast(new GmmData(gmm));
        Broadcast<NpyFiles.HadoopConf> conf = jsc.broadcast(new NpyFiles.HadoopConf(spark.sparkContext().hadoopConfiguration()));
        FisherForm fisherForm = parseForm(getOrDefault(form));
        FileEncoding encoding = new FileEncoding(shared, conf, UUID.randomUUID().toString(), fisherForm,
                (Double) getOrDefault(power), (Boolean) getOrDefault(l2), sparsity(fisherForm), layout);
        int perCore = jsc.sc().isLocal() ? LOCAL_TASKS_PER_CORE : 4;
        int partitions = Math.max(1, Math.min(files.size(), jsc.defaultParallelism() * perCore));
        return new FileJob(jsc.parallelize(indexed, partitions), files.size(), encoding);
    }

    /** The encoder these params describe, one per executor JVM and transformation ({@code key}). */
    private static FisherEncoder cachedEncoder(String key, Broadcast<GmmData> model, FisherForm form, double power,
            boolean l2, boolean hard, double threshold) {
        return EncoderCache.get(key, () -> FisherEncoder.builder(model.value().toModel())
                .form(form)
                .power(power)
                .l2(l2)
                .sparsity(hard ? Sparsity.hard() : Sparsity.threshold(threshold))
                .build());
    }

    /** The spatial encoder on {@link #cachedEncoder}'s, one per executor JVM and transformation. */
    private static SpatialEncoder cachedSpatialEncoder(String key, FisherEncoder plain, SpatialColumns.Layout layout) {
        return EncoderCache.get(key + "/spatial", () -> SpatialEncoder.builder(plain).pyramid(layout.layout())
                .spatial(layout.spatial()).build());
    }

    /**
     * File channels that tasks of a local master (threads of the driver's JVM) write into, by key:
     * {@link #transformFilesToNpy} opens one for its job and closes it after.
     */
    static final class LocalSinks {
        private static final java.util.Map<String, java.nio.channels.FileChannel> OPEN =
                new java.util.concurrent.ConcurrentHashMap<>();

        private LocalSinks() {
        }

        static void open(String key, java.nio.channels.FileChannel ch) {
            OPEN.put(key, ch);
        }

        static void close(String key) {
            OPEN.remove(key);
        }

        static java.nio.channels.FileChannel get(String key) {
            java.nio.channels.FileChannel ch = OPEN.get(key);
            if (ch == null) {
                throw new IllegalStateException("no output open for " + key
                        + ": transformFilesToNpy writes from the executors only with a local master");
            }
            return ch;
        }
    }

    /**
     * How a file job encodes one file on an executor (the model broadcast, the params), shared by
     * {@link FileEncodeTask} and {@link FileWriteTask}.
     */
    private static final class FileEncoding implements java.io.Serializable {
        private static final long serialVersionUID = 1L;

        private final Broadcast<GmmData> model;
        private final Broadcast<NpyFiles.HadoopConf> conf;
        private final String key;
        private final FisherForm form;
        private final double power;
        private final boolean l2;
        private final boolean hard;
        private final double threshold;
        private final SpatialColumns.Layout layout; // null: plain .npy descriptor files

        FileEncoding(Broadcast<GmmData> model, Broadcast<NpyFiles.HadoopConf> conf, String key, FisherForm form,
                double power, boolean l2, Sparsity sparsity, SpatialColumns.Layout layout) {
            this.model = model;
            this.conf = conf;
            this.key = key;
            this.form = form;
            this.power = power;
            this.l2 = l2;
            this.hard = sparsity.isHard();
            this.threshold = sparsity.threshold();
            this.layout = layout;
        }

        /** The vector length, from this JVM's cached encoder. */
        int length() {
            FisherEncoder encoder = cachedEncoder(key, model, form, power, l2, hard, threshold);
            return layout == null ? encoder.length() : cachedSpatialEncoder(key, encoder, layout).length();
        }

        /** A partition's encoder: buffers for one file and one vector, reused file after file. */
        Worker worker() {
            return new Worker(this);
        }
    }

    /** Reads and encodes one file after another into one reused vector. Not thread-safe: one per task. */
    private static final class Worker {
        private final FileEncoding job;
        private final FisherEncoder encoder;
        private final SpatialEncoder spatialEncoder;
        private final int din;
        private final dev.fvec.io.NpyBuffer buffer = new dev.fvec.io.NpyBuffer();
        final float[] fv;

        Worker(FileEncoding job) {
            this.job = job;
            encoder = cachedEncoder(job.key, job.model, job.form, job.power, job.l2, job.hard, job.threshold);
            spatialEncoder = job.layout == null ? null : cachedSpatialEncoder(job.key, encoder, job.layout);
            din = encoder.model().inputDimension();
            fv = new float[spatialEncoder != null ? spatialEncoder.length() : encoder.length()];
        }

        /** File {@code name}'s vector, into {@link #fv}; errors name the file. */
        void encode(String name) {
            if (spatialEncoder != null) {
                dev.fvec.io.SpatialFiles.Image img = ImageFiles.read(name, job.conf.value().get());
                if (img.dimension() != din) {
                    throw new IllegalArgumentException(name + ": descriptors of D = " + img.dimension()
                            + ", but the model takes " + (encoder.model().projection().isPresent() ? "Din = "
                                    : "D = ") + din);
                }
                try {
                    spatialEncoder.encode(img.descriptors(), 0, img.positions(), 0, img.count(), img.width(),
                            img.height(), fv, 0);
                } catch (IllegalArgumentException | ArithmeticException e) {
                    throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
                }
                return;
            }
            float[] x;
            int rows;
            int cols;
            try {
                org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(name);
                if ("file".equals(path.toUri().getScheme())) {
                    // A local file: into the partition's buffer, through a file channel (not Hadoop's
                    // checksummed stream).
                    dev.fvec.io.Npy.readInto(java.nio.file.Path.of(path.toUri()), buffer);
                    x = buffer.data();
                    rows = buffer.ndim() == 2 ? buffer.rows() : -1;
                    cols = buffer.ndim() == 2 ? buffer.cols() : -1;
                } else {
                    dev.fvec.io.NpyArray a = NpyFiles.readArray(name, job.conf.value().get());
                    x = a.data();
                    rows = a.ndim() == 2 ? a.rows() : -1;
                    cols = a.ndim() == 2 ? a.cols() : -1;
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(name + ": " + e.getMessage(), e);
            }
            if (rows < 0) {
                throw new IllegalArgumentException(name + ": not a 2-D array; descriptors must be (N, D)");
            }
            if (cols != din) {
                throw new IllegalArgumentException(name + ": descriptors of D = " + cols + ", but the model takes "
                        + (encoder.model().projection().isPresent() ? "Din = " : "D = ") + din);
            }
            try {
                encoder.encode(x, 0, rows, fv, 0);
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
            }
        }
    }

    /** What {@link #transformFiles} runs on the executors: (index, path) in, (path, index, vector) out. */
    private static final class FileEncodeTask
            implements FlatMapFunction<Iterator<scala.Tuple2<Long, String>>, InternalRow> {
        private static final long serialVersionUID = 1L;

        private final FileEncoding job;
        private final boolean asArray;

        FileEncodeTask(FileEncoding job, boolean asArray) {
            this.job = job;
            this.asArray = asArray;
        }

        @Override
        public Iterator<InternalRow> call(Iterator<scala.Tuple2<Long, String>> files) {
            Worker worker = job.worker();
            float[] fv = worker.fv;
            VectorUDT udt = new VectorUDT();
            double[] v = asArray ? null : new double[fv.length];
            DenseVector dense = asArray ? null : new DenseVector(v);
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return files.hasNext();
                }

                @Override
                public InternalRow next() {
                    scala.Tuple2<Long, String> file = files.next();
                    String name = file._2();
                    worker.encode(name);
                    Object vector;
                    if (asArray) {
                        vector = UnsafeArrayData.fromPrimitiveArray(fv); // a copy: fv is reused
                    } else {
                        for (int j = 0; j < fv.length; j++) {
                            v[j] = fv[j];
                        }
                        vector = udt.serialize(dense); // a copy: v is reused
                    }
                    return new GenericInternalRow(new Object[] {
                        org.apache.spark.unsafe.types.UTF8String.fromString(name), file._1(), vector});
                }
            };
        }
    }

    /**
     * What {@link #transformFilesToNpy} runs on a local master's executors: each file's vector
     * written at its row of the open output ({@link LocalSinks}); returns the partition's row count.
     */
    private static final class FileWriteTask implements FlatMapFunction<Iterator<scala.Tuple2<Long, String>>, Long> {
        private static final long serialVersionUID = 1L;

        private final FileEncoding job;
        private final String sink;
        private final long dataOffset;

        FileWriteTask(FileEncoding job, String sink, long dataOffset) {
            this.job = job;
            this.sink = sink;
            this.dataOffset = dataOffset;
        }

        @Override
        public Iterator<Long> call(Iterator<scala.Tuple2<Long, String>> files) throws java.io.IOException {
            java.nio.channels.FileChannel ch = LocalSinks.get(sink);
            Worker worker = job.worker();
            float[] fv = worker.fv;
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocateDirect(4 * fv.length)
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN);
            long rows = 0;
            while (files.hasNext()) {
                scala.Tuple2<Long, String> file = files.next();
                worker.encode(file._2());
                bytes.clear();
                bytes.asFloatBuffer().put(fv);
                long at = dataOffset + 4L * fv.length * file._1();
                while (bytes.hasRemaining()) { // positional writes: the channel is shared by the tasks
                    ch.write(bytes, at + bytes.position());
                }
                rows++;
            }
            return java.util.List.of(rows).iterator();
        }
    }

    @Override
    public FisherVectorTransformer copy(ParamMap extra) {
        FisherVectorTransformer t = defaultCopy(extra);
        t.model = model;
        t.spatialModel = spatialModel;
        return t;
    }

    /**
     * Saves the params and the in-memory model with its in-memory spatial Gaussians (in
     * {@code data/model.npz}, as {@code fvec train --spatial} writes them).
     *
     * @throws IllegalStateException on save if spatial Gaussians are in memory but the mixture is not
     *     (they are kept with it)
     */
    @Override
    public MLWriter write() {
        return Persistence.writer(this, () -> {
            if (model == null && spatialModel != null) {
                throw new IllegalStateException("the in-memory spatial model is saved with an in-memory mixture"
                        + " (setModel); with modelPath, write it into that .npz instead");
            }
            return model;
        }, () -> spatialModel);
    }

    /** A reader for {@link #write()}'s output. */
    public static MLReader<FisherVectorTransformer> read() {
        return Persistence.reader(FisherVectorTransformer.class, FisherVectorTransformer::new,
                FisherVectorTransformer::setModel, FisherVectorTransformer::setSpatialModel);
    }

    /** Loads what {@link #write()} saved at {@code path}. */
    public static FisherVectorTransformer load(String path) {
        return read().load(path);
    }

    static FisherForm parseForm(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "vlfeat":
                return FisherForm.VLFEAT;
            case "gist":
                return FisherForm.GIST;
            case "skimage":
                return FisherForm.SKIMAGE;
            default:
                throw new IllegalArgumentException("form '" + name + "': expected vlfeat, gist or skimage");
        }
    }

    /** A one-component model, only for running the encoder builder's option checks. */
    private static final DiagonalGmm UNIT = DiagonalGmm.of(new float[] {1f}, new float[] {0f}, new float[] {1f});

    /** What runs on the executors: one partition in, its rows with their vectors out. */
    private static final class EncodeTask implements FlatMapFunction<Iterator<InternalRow>, InternalRow> {
        private static final long serialVersionUID = 1L;

        private final Broadcast<GmmData> model;
        private final String key;
        private final FisherForm form;
        private final double power;
        private final boolean l2;
        private final boolean hard; // Sparsity is not Serializable: rebuilt from these two
        private final double threshold;
        private final Descriptors kind;
        private final int field;
        private final DataType type;
        private final int idField;
        private final DataType idType;
        private final String idName;
        private final boolean asArray;
        private final SpatialColumns.Layout layout; // null: no positions
        private final SpatialColumns columns;

        EncodeTask(Broadcast<GmmData> model, String key, FisherForm form, double power, boolean l2, Sparsity sparsity,
                Descriptors kind, int field, DataType type, int idField, DataType idType, String idName,
                boolean asArray, SpatialColumns.Layout layout, SpatialColumns columns) {
            this.model = model;
            this.key = key;
            this.form = form;
            this.power = power;
            this.l2 = l2;
            this.hard = sparsity.isHard();
            this.threshold = sparsity.threshold();
            this.kind = kind;
            this.field = field;
            this.type = type;
            this.idField = idField;
            this.idType = idType;
            this.idName = idName;
            this.asArray = asArray;
            this.layout = layout;
            this.columns = columns;
        }

        private FisherEncoder encoder() {
            return cachedEncoder(key, model, form, power, l2, hard, threshold);
        }

        @Override
        public Iterator<InternalRow> call(Iterator<InternalRow> rows) {
            FisherEncoder encoder = encoder();
            SpatialEncoder spatialEncoder = layout == null ? null : cachedSpatialEncoder(key, encoder, layout);
            int d = encoder.model().inputDimension();
            int partition = TaskContext.getPartitionId();
            Descriptors.Buffer positions = new Descriptors.Buffer();
            VectorUDT udt = new VectorUDT();
            // The input row may be reused by Spark once the next one is asked for; the joined row is
            // read (and copied) by Spark's scan before that, so one of each serves the partition.
            JoinedRow joined = new JoinedRow();
            GenericInternalRow out = new GenericInternalRow(1);
            // One descriptor array, one vector and one double copy per partition, reused row after row.
            Descriptors.Buffer x = new Descriptors.Buffer();
            float[] fv = new float[spatialEncoder != null ? spatialEncoder.length() : encoder.length()];
            double[] v = asArray ? null : new double[fv.length];
            DenseVector dense = asArray ? null : new DenseVector(v);
            return new Iterator<>() {
                private long index;

                @Override
                public boolean hasNext() {
                    return rows.hasNext();
                }

                @Override
                public InternalRow next() {
                    InternalRow row = rows.next();
                    long i = index++;
                    Supplier<String> where = Descriptors.where(i, partition, row, idField, idName, idType);
                    kind.read(row, field, type, d, where, x);
                    // Positions and size checked here, so a bad one is named with its row.
                    int[] size = spatialEncoder == null ? null : columns.read(row, x.length / d, positions, where);
                    try {
                        if (spatialEncoder != null) {
                            spatialEncoder.encode(x.values, 0, positions.values, 0, x.length / d, size[0], size[1],
                                    fv, 0);
                        } else {
                            encoder.encode(x.values, 0, x.length / d, fv, 0);
                        }
                    } catch (IllegalArgumentException | ArithmeticException e) {
                        throw new IllegalArgumentException(where.get() + ": " + e.getMessage(), e);
                    }
                    // Both conversions copy the values into Spark's format: fv and v are reused.
                    if (asArray) {
                        out.update(0, UnsafeArrayData.fromPrimitiveArray(fv));
                    } else {
                        for (int j = 0; j < fv.length; j++) {
                            v[j] = fv[j];
                        }
                        out.update(0, udt.serialize(dense));
                    }
                    return joined.apply(row, out);
                }
            };
        }
    }
}
