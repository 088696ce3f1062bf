package dev.fvec.spark;

import dev.fvec.DiagonalGmm;
import dev.fvec.Projection;
import dev.fvec.SpatialModel;
import dev.fvec.train.GmmTrainer;
import dev.fvec.train.Pca;
import dev.fvec.train.ProgressListener;
import dev.fvec.train.TrainingResult;
import java.time.Duration;
import java.util.Locale;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a diagonal Gaussian mixture by EM on a DataFrame of descriptors, with
 * {@link GmmTrainer}'s algorithm: the same initialisation (greedy k-means++ and, by default from
 * {@link GmmTrainer#FULL_KMEANS_MIN_COMPONENTS} components on, Lloyd iterations, as a
 * {@link GmmTrainer} of that K runs them; here on a sample of {@link GmmTrainer#seedingSampleSize}
 * descriptors drawn to the driver), M-step, variance
 * floors, re-seeding of collapsed components and stopping rule (it is {@link GmmTrainer} that
 * runs them); only the E-step runs on the executors, one {@link dev.fvec.GmmStatistics} per
 * partition, merged in partition-index order, so the model does not depend on the order in which
 * tasks finish. Given the same initial model, it gives {@link GmmTrainer}'s model up to the
 * summation order of the statistics.
 *
 * <pre>{@code
 * DiagonalGmmModel model = new DiagonalGmmEstimator().setK(256).setSeed(1)
 *         .setInputCol("descriptors").setDimension(128)   // array<float> of N x 128 per row
 *         .fit(NpyFiles.read(spark, List.of("hdfs:///sift/*.npy")));
 * model.toNpz("hdfs:///models/gmm.npz");
 * }</pre>
 *
 * <p><b>Input</b>: {@code array<float>} with {@link #setDimension} set: each row a set of
 * {@code N x D} descriptors, row-major (as {@link NpyFiles#read} gives); {@code array<float>}
 * without it: each row one descriptor; {@code array<array<float>>}: each row a set;
 * {@code vector}: each row one descriptor. Values must be finite and at most
 * {@link GmmTrainer#MAX_ABS_VALUE} in magnitude; a bad row fails with the row named (and the
 * {@code idCol} value). The descriptors are cached on the executors ({@code MEMORY_AND_DISK})
 * during {@code fit}, as float arrays of {@code N x D}.
 *
 * <p><b>PCA</b> ({@code fvec train --pca D [--whiten]}): {@link #setPca} fits a projection on a
 * sample drawn to the driver, projects every descriptor on the executors and runs EM in the
 * projected space; an initial model with a projection ({@link DiagonalGmm#withProjection}) brings
 * its own. Either way the model carries the projection, and its encoders take the original
 * {@code Din}-column descriptors ({@link #setDimension} is {@code Din}).
 *
 * <p><b>Spatial Gaussians</b> ({@code fvec train --spatial}; {@code docs/SPATIAL.md}): with
 * {@link #setSpatial}, rows are images (descriptor sets) with {@link #setPositionsCol} and
 * {@link #setImageSizeCol} (as {@link FisherVectorTransformer} reads them; {@link ImageFiles#read}
 * gives such rows); after EM one more pass over the images fits each component's 2-D Gaussian over
 * normalised positions ({@link dev.fvec.SpatialFit}'s rule, per-partition sums merged in
 * partition-index order), {@link DiagonalGmmModel#spatialModel()}, written with the model.
 *
 * <p><b>Progress</b>: one line per EM iteration in Spark's log (logger
 * {@code dev.fvec.spark.DiagonalGmmEstimator}, INFO), and a {@link ProgressListener} if set.
 *
 * <p><b>Reproducibility</b>: seeded ({@link #setSeed}); the same data in the same partitioning
 * gives the same model on every run with a deterministic kernel.
 */
public final class DiagonalGmmEstimator extends Estimator<DiagonalGmmModel> implements MLWritable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DiagonalGmmEstimator.class);

    private final String uid;
    private final Param<String> inputCol;
    private final IntParam dimension;
    private final Param<String> idCol;
    private final IntParam k;
    private final IntParam maxIter;
    private final DoubleParam tol;
    private final LongParam seed;
    private final DoubleParam absoluteVarianceFloor;
    private final DoubleParam relativeVarianceFloor;
    private final Param<String> init;
    private final IntParam kmeansIterations;
    private final IntParam pca;
    private final BooleanParam whiten;
    private final Param<String> positionsCol;
    private final Param<String> imageSizeCol;
    private final BooleanParam spatial;
    private final IntParam numPartitions;
    private transient DiagonalGmm initialModel;
    private transient ProgressListener progress;

    /** An estimator with a random uid. */
    public DiagonalGmmEstimator() {
        this(Identifiable.randomUID("diagonalGmm"));
    }

    /** An estimator with the given uid (Spark's persistence and {@code copy} need this constructor). */
    public DiagonalGmmEstimator(String uid) {
        this.uid = uid;
        inputCol = new Param<>(this, "inputCol", "descriptor column");
        dimension = new IntParam(this, "dimension",
                "D of array<float> rows holding N x D descriptors row-major; 0: each array<float> row is one descriptor");
        idCol = new Param<>(this, "idCol", "column whose value names a row in error messages; empty: none");
        k = new IntParam(this, "k", "number of components K");
        maxIter = new IntParam(this, "maxIter", "maximum EM iterations");
        tol = new DoubleParam(this, "tol", "stop when the mean log-likelihood changes by at most tol * max(|L|, 1)");
        seed = new LongParam(this, "seed", "seed of every random choice");
        absoluteVarianceFloor = new DoubleParam(this, "absoluteVarianceFloor", "no variance goes below this");
        relativeVarianceFloor = new DoubleParam(this, "relativeVarianceFloor",
                "variances stay >= this times the data's variance in their dimension");
        init = new Param<>(this, "init", "initialisation: kmeans++ or random (ignored with an initial model)");
        kmeansIterations = new IntParam(this, "kmeansIterations",
                "Lloyd iterations after k-means++ seeding; -1 (default): GmmTrainer's default for K");
        pca = new IntParam(this, "pca", "PCA to this many dimensions before EM (fitted on a sample); 0: none");
        whiten = new BooleanParam(this, "whiten", "with pca: divide each projected dimension by its standard deviation");
        positionsCol = new Param<>(this, "positionsCol",
                "with spatial: positions column, array<float> (N x 2 row-major, x, y in pixels) or array<array<float>>");
        imageSizeCol = new Param<>(this, "imageSizeCol", "with spatial: image size column, array<int> (W, H)");
        spatial = new BooleanParam(this, "spatial", "after EM, fit the spatial Gaussians over the images' positions");
        numPartitions = new IntParam(this, "numPartitions", "EM passes run on at most this many partitions of the"
                + " cached descriptors (joined in order, no shuffle); 0: the input's; -1: one per core in local mode,"
                + " else the input's");
        setDefault(numPartitions, -1);
        setDefault(positionsCol, "");
        setDefault(imageSizeCol, "");
        setDefault(spatial, false);
        setDefault(dimension, 0);
        setDefault(idCol, "");
        setDefault(k, 256);
        setDefault(maxIter, GmmTrainer.DEFAULT_MAX_ITERATIONS);
        setDefault(tol, GmmTrainer.DEFAULT_TOLERANCE);
        setDefault(seed, 0L);
        setDefault(absoluteVarianceFloor, GmmTrainer.DEFAULT_ABSOLUTE_VARIANCE_FLOOR);
        setDefault(relativeVarianceFloor, GmmTrainer.DEFAULT_RELATIVE_VARIANCE_FLOOR);
        setDefault(init, "kmeans++");
        setDefault(kmeansIterations, BY_K);
        setDefault(pca, 0);
        setDefault(whiten, false);
    }

    @Override
    public String uid() {
        return uid;
    }

    /** The param: the descriptor column (see the class comment for the accepted types); required. */
    public Param<String> inputCol() {
        return inputCol;
    }

    /**
     * The param: {@code D} of {@code array<float>} rows holding {@code N x D} descriptors; 0 (default):
     * one descriptor per row.
     */
    public IntParam dimension() {
        return dimension;
    }

    /** The param: a column whose value names a row in error messages; empty (default): none. */
    public Param<String> idCol() {
        return idCol;
    }

    /** The param: the number of components {@code K}; default 256. */
    public IntParam k() {
        return k;
    }

    /** The param: the maximum number of EM iterations; default {@link GmmTrainer#DEFAULT_MAX_ITERATIONS}. */
    public IntParam maxIter() {
        return maxIter;
    }

    /**
     * The param: the stopping tolerance: EM stops when the mean log-likelihood changes by at most {@code
     * tol * max(|L|, 1)}.
     */
    public DoubleParam tol() {
        return tol;
    }

    /** The param: the seed of every random choice (sampling, seeding, re-seeding); default 0. */
    public LongParam seed() {
        return seed;
    }

    /** The param: no variance goes below this; default {@link GmmTrainer#DEFAULT_ABSOLUTE_VARIANCE_FLOOR}. */
    public DoubleParam absoluteVarianceFloor() {
        return absoluteVarianceFloor;
    }

    /** The param: variances stay at least this times the data's variance in their dimension. */
    public DoubleParam relativeVarianceFloor() {
        return relativeVarianceFloor;
    }

    /**
     * The param: the initialisation: {@code kmeans++} (default) or {@code random}; ignored with an initial
     * model.
     */
    public Param<String> init() {
        return init;
    }

    /**
     * The param: Lloyd iterations after k-means++ seeding; default {@code -1}, which means
     * {@link GmmTrainer#defaultKmeansIterations(int)} for the estimator's K (none below
     * {@link GmmTrainer#FULL_KMEANS_MIN_COMPONENTS} components, {@link GmmTrainer#DEFAULT_KMEANS_ITERATIONS}
     * from there on), as a {@link GmmTrainer} with the same K runs.
     */
    public IntParam kmeansIterations() {
        return kmeansIterations;
    }

    /** The descriptor column: {@code array<float>}, {@code array<array<float>>} or {@code vector}; required. */
    public DiagonalGmmEstimator setInputCol(String value) {
        set(inputCol, value);
        return this;
    }

    /**
     * {@code D} of {@code array<float>} rows that hold {@code N x D} descriptors; 0 (default): one
     * descriptor per row.
     */
    public DiagonalGmmEstimator setDimension(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("dimension = " + value + ": need D >= 1, or 0 for one descriptor per row");
        }
        set(dimension, value);
        return this;
    }

    /**
     * A column whose value names a failing row in error messages (e.g. the file path); empty (default):
     * none.
     */
    public DiagonalGmmEstimator setIdCol(String value) {
        set(idCol, value);
        return this;
    }

    /** {@code K >= 1}; default 256. */
    public DiagonalGmmEstimator setK(int value) {
        GmmTrainer.builder(value); // the trainer's check and message
        set(k, value);
        return this;
    }

    /** Maximum EM iterations, {@code >= 1}; default {@link GmmTrainer#DEFAULT_MAX_ITERATIONS}. */
    public DiagonalGmmEstimator setMaxIter(int value) {
        GmmTrainer.builder(1).maxIterations(value);
        set(maxIter, value);
        return this;
    }

    /**
     * Stop when the mean log-likelihood changes by at most {@code tol * max(|L|, 1)}, {@code >= 0} (0: run
     * {@code maxIter} iterations); default {@link GmmTrainer#DEFAULT_TOLERANCE}.
     */
    public DiagonalGmmEstimator setTol(double value) {
        GmmTrainer.builder(1).tolerance(value);
        set(tol, value);
        return this;
    }

    /** The seed of every random choice: the driver sample, the seeding and the re-seeding; default 0. */
    public DiagonalGmmEstimator setSeed(long value) {
        set(seed, value);
        return this;
    }

    /**
     * No variance goes below this, {@code > 0}; default {@link GmmTrainer#DEFAULT_ABSOLUTE_VARIANCE_FLOOR}
     * (scikit-learn's {@code reg_covar}).
     */
    public DiagonalGmmEstimator setAbsoluteVarianceFloor(double value) {
        GmmTrainer.builder(1).absoluteVarianceFloor(value);
        set(absoluteVarianceFloor, value);
        return this;
    }

    /**
     * Variances stay at least this times the data's variance in their dimension, {@code >= 0}; default
     * {@link GmmTrainer#DEFAULT_RELATIVE_VARIANCE_FLOOR}.
     */
    public DiagonalGmmEstimator setRelativeVarianceFloor(double value) {
        GmmTrainer.builder(1).relativeVarianceFloor(value);
        set(relativeVarianceFloor, value);
        return this;
    }

    /** {@code kmeans++} (default) or {@code random}. */
    public DiagonalGmmEstimator setInit(String value) {
        parseInit(value);
        set(init, value.toLowerCase(Locale.ROOT));
        return this;
    }

    /**
     * Lloyd iterations after k-means++ seeding, {@code >= 0}; by default {@link GmmTrainer}'s rule
     * for the estimator's K ({@link #kmeansIterations()}).
     */
    public DiagonalGmmEstimator setKmeansIterations(int value) {
        GmmTrainer.builder(1).kmeansIterations(value);
        set(kmeansIterations, value);
        return this;
    }

    /** The param: PCA to this many dimensions before EM; 0 (default): none. */
    public IntParam pca() {
        return pca;
    }

    /** The param: with {@code pca}, whether each projected dimension is divided by its standard deviation. */
    public BooleanParam whiten() {
        return whiten;
    }

    /**
     * PCA to {@code value} dimensions first, as {@code fvec train --pca} ({@link GmmTrainer.Builder#pca}):
     * the projection is fitted ({@link Pca#fit}) on a uniform sample of at most {@link Pca#MAX_ROWS}
     * descriptors drawn to the driver, every descriptor is projected on the executors, EM runs in the
     * projected space, and the model carries the projection (its encoders take {@code Din}-column
     * descriptors). 0 (default): none. An initial model with a projection brings its own (this must
     * then be 0 or its {@code D}).
     */
    public DiagonalGmmEstimator setPca(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("pca = " + value + ": need D >= 1, or 0 for no PCA");
        }
        set(pca, value);
        return this;
    }

    /** With {@link #setPca}: divide each projected dimension by its standard deviation; default false. */
    public DiagonalGmmEstimator setWhiten(boolean value) {
        set(whiten, value);
        return this;
    }

    /** The param: the number of partitions EM's passes run on (see {@link #setNumPartitions}). */
    public IntParam numPartitions() {
        return numPartitions;
    }

    /**
     * EM's passes run on at most this many partitions of the cached descriptors: consecutive input
     * partitions are joined in order, without a shuffle (so the model stays deterministic; it
     * depends on this partitioning only through the summation order). Each task's fixed cost
     * (scheduling, its statistics shipped and merged) is paid on every iteration, so fewer, larger
     * tasks are faster as long as every core has one. {@code 0}: the input's partitioning; {@code -1}
     * (default): in local mode one partition per core (Spark's default parallelism), on a cluster the
     * input's (whose executors may not all be there yet when training starts).
     */
    public DiagonalGmmEstimator setNumPartitions(int value) {
        if (value < -1) {
            throw new IllegalArgumentException("numPartitions = " + value + ": need >= 1, 0 (the input's) or -1"
                    + " (Spark's default parallelism)");
        }
        set(numPartitions, value);
        return this;
    }

    /** The param: with {@code spatial}, the positions column; empty (default): none. */
    public Param<String> positionsCol() {
        return positionsCol;
    }

    /** The param: with {@code spatial}, the image size column; empty (default): none. */
    public Param<String> imageSizeCol() {
        return imageSizeCol;
    }

    /** The param: whether the spatial Gaussians are fitted after EM; default false. */
    public BooleanParam spatial() {
        return spatial;
    }

    /**
     * Each image's positions ({@code array<float>} of {@code N x 2} row-major or
     * {@code array<array<float>>}, {@code (x, y)} in pixels, one per descriptor), for {@link #setSpatial}.
     */
    public DiagonalGmmEstimator setPositionsCol(String value) {
        set(positionsCol, value);
        return this;
    }

    /** Each image's size {@code (W, H)}, {@code array<int>}, for {@link #setSpatial}. */
    public DiagonalGmmEstimator setImageSizeCol(String value) {
        set(imageSizeCol, value);
        return this;
    }

    /**
     * After EM, fit each component's spatial Gaussian over the images' normalised positions, as
     * {@code fvec train --spatial}; needs image rows (descriptor sets) and the positions and image size
     * columns. Default false.
     */
    public DiagonalGmmEstimator setSpatial(boolean value) {
        set(spatial, value);
        return this;
    }

    /**
     * Starts EM from {@code model} ({@code K} components) instead of an initialisation; {@code null}
     * clears it.
     */
    public DiagonalGmmEstimator setInitialModel(DiagonalGmm model) {
        this.initialModel = model;
        return this;
    }

    /** The initial model {@link #setInitialModel} set, or {@code null}. */
    public DiagonalGmm getInitialModel() {
        return initialModel;
    }

    /** Called once per EM iteration on the driver; {@code null} clears it. */
    public DiagonalGmmEstimator setProgress(ProgressListener listener) {
        this.progress = listener;
        return this;
    }

    private static GmmTrainer.Init parseInit(String value) {
        switch (value.toLowerCase(Locale.ROOT)) {
            case "kmeans++":
                return GmmTrainer.Init.KMEANS_PP;
            case "random":
                return GmmTrainer.Init.RANDOM;
            default:
                throw new IllegalArgumentException("init '" + value + "': expected kmeans++ or random");
        }
    }

    /** The {@link #kmeansIterations()} param's default: whatever {@link GmmTrainer} runs for K. */
    private static final int BY_K = -1;

    /** Lloyd iterations for {@code components}: the param when set, else {@link GmmTrainer}'s default for K. */
    int lloydIterations(int components) {
        int iterations = (Integer) getOrDefault(kmeansIterations);
        return iterations == BY_K ? GmmTrainer.defaultKmeansIterations(components) : iterations;
    }

    /** The single-JVM trainer these params describe (it runs everything but the E-step). */
    GmmTrainer trainer() {
        int components = (Integer) getOrDefault(k);
        ProgressListener listener = progress;
        return GmmTrainer.builder(components)
                .maxIterations((Integer) getOrDefault(maxIter))
                .tolerance((Double) getOrDefault(tol))
                .seed((Long) getOrDefault(seed))
                .absoluteVarianceFloor((Double) getOrDefault(absoluteVarianceFloor))
                .relativeVarianceFloor((Double) getOrDefault(relativeVarianceFloor))
                .init(parseInit(getOrDefault(init)))
                .kmeansIterations(lloydIterations(components))
                .initialModel(initialModel == null ? null : initialModel.withProjection(null)) // EM runs after any PCA
                .progress((iteration, meanLogLikelihood, elapsed) -> {
                    LOG.info("EM iteration {}: mean log-likelihood {} ({} s)", iteration, meanLogLikelihood,
                            elapsed.toMillis() / 1000.0);
                    if (listener != null) {
                        listener.onIteration(iteration, meanLogLikelihood, elapsed);
                    }
                })
                .build();
    }

    @Override
    public StructType transformSchema(StructType schema) {
        Descriptors kind = Descriptors.of(schema, getOrDefault(inputCol), (Integer) getOrDefault(dimension) > 0);
        spatialColumns(schema, kind);
        return schema;
    }

    /** With {@code spatial}: the positions and size columns, checked; else null. */
    private SpatialColumns spatialColumns(StructType schema, Descriptors kind) {
        if (!(Boolean) getOrDefault(spatial)) {
            return null;
        }
        if (kind != Descriptors.FLAT && kind != Descriptors.NESTED) {
            throw new IllegalArgumentException("spatial needs one image per row: the input column '"
                    + getOrDefault(inputCol) + "' must hold descriptor sets (array<float> with dimension set, or"
                    + " array<array<float>>), not one descriptor per row");
        }
        return SpatialColumns.of(schema, getOrDefault(positionsCol), getOrDefault(imageSizeCol),
                "spatial (the spatial Gaussians)");
    }

    @Override
    public DiagonalGmmModel fit(Dataset<?> dataset) {
        StructType schema = dataset.schema();
        transformSchema(schema);
        GmmTrainer trainer = trainer();
        Dataset<Row> df = dataset.toDF();
        String col = getOrDefault(inputCol);
        int dim = (Integer) getOrDefault(dimension);
        Descriptors kind = Descriptors.of(schema, col, dim > 0);
        SpatialColumns positions = spatialColumns(schema, kind);
        int din = dim > 0 ? dim : firstDimension(df, kind, col);
        int pcaDimensions = (Integer) getOrDefault(pca);
        Projection given = initialModel == null ? null : initialModel.projection().orElse(null);
        if (given != null) {
            if (given.inputDimension() != din) {
                throw new IllegalArgumentException("the initial model's PCA takes Din = " + given.inputDimension()
                        + " but the descriptors have D = " + din);
            }
            if (pcaDimensions != 0 && pcaDimensions != given.outputDimension()) {
                throw new IllegalArgumentException("pca = " + pcaDimensions + " but the initial model's PCA projects"
                        + " to D = " + given.outputDimension() + " (set pca to 0: the initial model's projection is used)");
            }
        } else if (pcaDimensions > din) {
            throw new IllegalArgumentException("pca = " + pcaDimensions + " needs descriptors of at least that many"
                    + " dimensions, but they have D = " + din);
        } else if (initialModel != null && initialModel.dimension() != (pcaDimensions > 0 ? pcaDimensions : din)) {
            throw new IllegalArgumentException("the initial model has D = " + initialModel.dimension()
                    + " but the descriptors have D = " + din + (pcaDimensions > 0 ? ", " + pcaDimensions
                            + " after PCA" : ""));
        }
        String id = getOrDefault(idCol);
        long start = System.nanoTime();
        long seedValue = (Long) getOrDefault(seed);
        int partitions = (Integer) getOrDefault(numPartitions);
        DescriptorBlocks raw = new DescriptorBlocks(df, kind, schema.fieldIndex(col), din,
                id.isEmpty() ? -1 : schema.fieldIndex(id), id,
                partitions >= 0 ? partitions : df.sparkSession().sparkContext().isLocal()
                        ? df.sparkSession().sparkContext().defaultParallelism() : 0);
        DescriptorBlocks data = raw;
        Projection projection = given;
        try {
            if (projection == null && pcaDimensions > 0) {
                // As GmmTrainer with pca(...): fitted on at most Pca.MAX_ROWS rows (here a uniform
                // sample drawn to the driver, not evenly spaced rows), before any EM.
                float[] rows = raw.sample(Pca.MAX_ROWS, seedValue ^ 0x5CA1AB1EL);
                projection = Pca.fit(rows, rows.length / din, din, pcaDimensions, (Boolean) getOrDefault(whiten));
                LOG.info("PCA from Din = {} to D = {} fitted on {} sampled descriptors", din, pcaDimensions,
                        rows.length / din);
            }
            if (projection != null) {
                data = raw.project(projection);
                raw.close(); // the projected blocks are computed and cached; the originals are not needed
            }
            int d = data.d;
            int components = trainer.components();
            if (data.n < components) {
                throw new IllegalArgumentException("N = " + data.n + " descriptors cannot train K = " + components
                        + " components: need N >= K");
            }
            double[] variance = data.variance();
            // The driver's sample: k-means++ and Lloyd run on it, and collapsed components are re-seeded from it.
            float[] sample = data.sample(GmmTrainer.seedingSampleSize(components), seedValue);
            LOG.info("training K = {} on N = {} descriptors of D = {} ({} partitions), {} sampled to the driver for"
                    + " initialisation and re-seeding", components, data.n, d, df.rdd().getNumPartitions(),
                    sample.length / d);
            TrainingResult r = trainer.fit(data::statistics, data.n, variance, sample, sample.length / d);
            LOG.info("trained in {} s: {}", Duration.ofNanos(System.nanoTime() - start).toMillis() / 1000.0, r);
            // With PCA the result's model() is the mixture in the projected space; gmm() carries the projection.
            DiagonalGmm gmm = projection == null ? r.model() : r.model().withProjection(projection);
            SpatialModel spatialModel = null;
            if (positions != null) {
                long t = System.nanoTime();
                spatialModel = SpatialPass.fit(df, gmm, kind, schema.fieldIndex(col), din, positions,
                        id.isEmpty() ? -1 : schema.fieldIndex(id), id);
                LOG.info("spatial Gaussians fitted in {} s", Duration.ofNanos(System.nanoTime() - t).toMillis() / 1000.0);
            }
            DiagonalGmmModel model = new DiagonalGmmModel(Identifiable.randomUID("diagonalGmmModel"), gmm,
                    spatialModel, r);
            model.setInputCol(col);
            return model.setParent(this);
        } finally {
            raw.close();
            data.close();
        }
    }

    /** {@code D} of single-descriptor or nested rows: the length of the first descriptor. */
    private static int firstDimension(Dataset<Row> df, Descriptors kind, String col) {
        Column c = functions.col(col);
        Dataset<Row> values = kind == Descriptors.NESTED ? df.select(functions.explode(c).as("x")) : df.select(c);
        java.util.List<Row> first = values.filter(values.col(values.columns()[0]).isNotNull()).takeAsList(1);
        if (first.isEmpty()) {
            throw new IllegalArgumentException("input column '" + col + "' holds no descriptors");
        }
        return kind == Descriptors.VECTOR ? ((Vector) first.get(0).get(0)).size() : first.get(0).getList(0).size();
    }

    @Override
    public DiagonalGmmEstimator copy(ParamMap extra) {
        DiagonalGmmEstimator e = defaultCopy(extra);
        e.initialModel = initialModel;
        e.progress = progress;
        return e;
    }

    @Override
    public MLWriter write() {
        return Persistence.writer(this, () -> initialModel);
    }

    /** A reader for {@link #write()}'s output. */
    public static MLReader<DiagonalGmmEstimator> read() {
        return Persistence.reader(DiagonalGmmEstimator.class, DiagonalGmmEstimator::new,
                DiagonalGmmEstimator::setInitialModel);
    }

    /** Loads what {@link #write()} saved at {@code path}. */
    public static DiagonalGmmEstimator load(String path) {
        return read().load(path);
    }
}
