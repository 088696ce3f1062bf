package dev.fvec.train;

import dev.fvec.DiagonalGmm;
import dev.fvec.GmmStatistics;
import dev.fvec.Kernels;
import dev.fvec.Sparsity;
import dev.fvec.io.DescriptorFiles;
import dev.fvec.io.Npy;
import dev.fvec.io.NpyArray;
import dev.fvec.io.NpyFormatException;
import dev.fvec.spi.KernelProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Trains a diagonal Gaussian mixture by expectation-maximisation (SPEC.md, "EM training of the
 * GMM") on the same {@link dev.fvec.spi.StatisticsKernel} the encoders use, so on the SIMD kernel
 * where it is available, with scikit-learn's {@code GaussianMixture(covariance_type='diag')} and
 * VLFeat's {@code vl_gmm} as the peers to match in held-out likelihood and to beat in time.
 *
 * <pre>{@code
 * TrainingResult r = GmmTrainer.builder(256).seed(7).build().fit(x, n, d);
 * DiagonalGmm vocabulary = r.model();
 * }</pre>
 *
 * <p>Initialisation ({@link Init}): greedy k-means++ on a sample of {@code max(4096, 64 K)}
 * descriptors (the best of up to 6 attempts when K is small: 6 up to K = 64; 2 from K = 128 to 511;
 * one from K = 512 on),
 * then, from K = 128
 * on by default, 5 {@link Builder#kmeansIterations Lloyd iterations} on every descriptor (fewer
 * if the centers settle by scikit-learn's {@code KMeans} rule), then one M-step from the hard
 * assignment of every descriptor; or random descriptors; or a {@link Builder#initialModel given model}. E-step: posteriors below {@link #E_STEP_THRESHOLD} dropped (far below float resolution,
 * as SPEC.md allows). M-step in double, variances floored per dimension (see the builder's
 * floors); a component whose mass falls below {@link #COLLAPSE_MASS} is re-seeded. Stop when
 * {@code |L_i - L_(i-1)| <= tolerance * max(|L_i|, 1)} for the mean log-likelihood per descriptor
 * {@code L_i} (SPEC.md's relative rule; default {@code 1e-5}; not tested right after a re-seeding),
 * or after {@link Builder#maxIterations} iterations.
 *
 * <p><b>Cost</b> (CPU time of the calling thread, one thread, AMD Zen 5, 512-bit SIMD kernel, a
 * fresh JVM; {@code InitTiming} and {@code NpyQuality} in the tests): at N = 100,000, D = 64,
 * K = 256 an EM iteration is one kernel pass over every descriptor, about 0.075 s once the
 * kernel's vector lanes are warm (about 0.18 s on its scalar twin before); the seeding, on 16,384
 * sampled descriptors, takes about 0.26 s per attempt (it grows as {@code K^2 ln K}; 2 attempts
 * from K = 128 to 511: about 0.5 s; one from K = 512 on); the Lloyd iterations cost
 * one pass of {@code N K D} distance terms to assign the seeds (about 0.25 s there, in a fresh JVM
 * on a loaded machine: a whole fit went from 1.13 s to 1.38 s of CPU on the end-to-end benchmark's
 * 100,000 x 64 set, the held-out likelihood the same, one EM iteration fewer), then each update
 * computes distances only for the rows Hamerly's bounds cannot settle (on that set none: the
 * centers settled after one update; on PCA-64 SIFT-like data, 40,000 rows, K = 256, a Lloyd
 * iteration costs about half an E-step). At N = 12,000, K = 64 (no Lloyd iterations by default):
 * seeding (6 attempts on 4096) 0.12 s, an EM iteration 0.02-0.04 s; over 30 seeds EM took 13.2
 * iterations on average (12.7 after the former 5 Lloyd iterations on the sample), but the default
 * seed 0 takes 24 instead of 7 (to a held-out -118.17 instead of -118.96), so the end-to-end
 * benchmark's single {@code fvec train --components 64} run takes longer than the 0.49 s of wall
 * time it took with them. A fit sure to do a lot of kernel work
 * (with the default tolerance, 2 EM passes of {@code N K D >= 2^33}) starts the kernel's warm-up
 * beside the seeding; otherwise the kernel starts it itself after that much work on the twin.
 * Memory: the data (never copied) plus {@code O(K * D * threads)}, plus a copy of the seeding sample
 * ({@code 4 D max(4096, 64 K)} bytes at most) and {@code 2 + ln K} distances per sampled descriptor,
 * plus, with Lloyd iterations, 12 bytes per descriptor (its cluster and two bounds).
 *
 * <p><b>Threads and reproducibility</b>: every pass runs on {@link Builder#threads(int)} threads
 * (the caller plus a pool per {@code fit}) over chunks of 1024 rows merged in chunk order, so with
 * a deterministic kernel the model is bit-identical for every thread count and every run with the
 * same seed (the SIMD kernel has been seen to give bit-identical models for 1, 2 and 3 threads).
 *
 * <p><b>Bad input</b>: NaN, infinity, or {@code |x| >} {@link #MAX_ABS_VALUE}, and {@code N < K},
 * are rejected naming the index (and file). A constant dimension gets the absolute floor;
 * duplicated points give a valid model whose coinciding components share their points.
 *
 * <p>A trainer is immutable and may be used by several threads. The input array must not be
 * modified while {@code fit} runs.
 *
 * <p>References: A. P. Dempster, N. M. Laird, D. B. Rubin, JRSS B 1977 (EM); D. Arthur,
 * S. Vassilvitskii, SODA 2007 (k-means++).
 */
public final class GmmTrainer {

    /** How the EM starting point is chosen when no {@link Builder#initialModel initial model} is given. */
    public enum Init {
        /** Greedy k-means++ seeding, then Lloyd iterations, then one M-step from the hard assignment. */
        KMEANS_PP,
        /** {@code K} distinct random descriptors as means, the data's variance, equal weights. */
        RANDOM
    }

    /** Posteriors below this are dropped in the E-step (far below float resolution). */
    public static final double E_STEP_THRESHOLD = 1e-9;

    /** A component whose {@code S0} falls below this many descriptors' worth of mass is re-seeded. */
    public static final double COLLAPSE_MASS = 0.5;

    /** Largest accepted {@code |x|}: squares must fit in a float, which SIMD kernels may compute in. */
    public static final double MAX_ABS_VALUE = 1e18;

    /** Default {@link Builder#maxIterations(int)}. */
    public static final int DEFAULT_MAX_ITERATIONS = 100;
    /** Default {@link Builder#tolerance(double)}. */
    public static final double DEFAULT_TOLERANCE = 1e-5;
    /** Default {@link Builder#absoluteVarianceFloor(double)}: scikit-learn's {@code reg_covar}. */
    public static final double DEFAULT_ABSOLUTE_VARIANCE_FLOOR = 1e-6;
    /** Default {@link Builder#relativeVarianceFloor(double)}. */
    public static final double DEFAULT_RELATIVE_VARIANCE_FLOOR = 1e-4;
    /**
     * Default {@link Builder#kmeansIterations(int)} from {@link #FULL_KMEANS_MIN_COMPONENTS} components
     * on (below, the default is none: {@link #defaultKmeansIterations}).
     */
    public static final int DEFAULT_KMEANS_ITERATIONS = 5;

    /**
     * Components from which Lloyd iterations run by default. Measured (held-out log-likelihood after
     * EM, the same seeds paired, {@code NpyQuality} in the tests): at K = 64 on the end-to-end
     * benchmark's 12,000 x 64 set (256 rotated anisotropic clusters), 30 seeds, EM from the seeds'
     * own hard assignment beat the former 5 Lloyd iterations on the seeding's 4096-row sample by
     * 0.29 nats (standard error 0.07), while Lloyd on every row did worse than both: -0.65 (2
     * iterations), -0.71 (5), -0.73 (until settled), standard errors 0.11. At K = 256 on SIFT-like
     * 128-D descriptors through PCA to 64 (40,000 rows, 12 seeds) the order is the reverse: 5 on
     * every row +0.011 (standard error 0.010) over 5 on the sample (until settled: the same, for
     * 45 iterations that cost as much as 20 EM iterations), which was +0.015 over none. Two data
     * sets, not a law: {@link Builder#kmeansIterations} overrides it.
     */
    public static final int FULL_KMEANS_MIN_COMPONENTS = 128;

    /**
     * The default {@link Builder#kmeansIterations(int)} for {@code components} components:
     * {@link #DEFAULT_KMEANS_ITERATIONS} from {@link #FULL_KMEANS_MIN_COMPONENTS} on, else 0.
     *
     * @param components {@code K}
     * @return the most Lloyd iterations a trainer of K components runs by default
     */
    public static int defaultKmeansIterations(int components) {
        return components >= FULL_KMEANS_MIN_COMPONENTS ? DEFAULT_KMEANS_ITERATIONS : 0;
    }

    static final Sparsity E_STEP_SPARSITY = Sparsity.threshold(E_STEP_THRESHOLD);

    final int k;
    final int maxIterations;
    final double tolerance;
    final long seed;
    final double absoluteFloor;
    final double relativeFloor;
    final Init init;
    final DiagonalGmm initialModel;
    final int kmeansIterations;
    final int threads;
    final KernelProvider kernel; // null: Kernels.provider() at fit time
    final ProgressListener progress; // may be null
    final int pcaDimensions; // 0: no projection
    final boolean pcaWhiten;

    private GmmTrainer(Builder b) {
        this.pcaDimensions = b.pcaDimensions;
        this.pcaWhiten = b.pcaWhiten;
        this.k = b.k;
        this.maxIterations = b.maxIterations;
        this.tolerance = b.tolerance;
        this.seed = b.seed;
        this.absoluteFloor = b.absoluteFloor;
        this.relativeFloor = b.relativeFloor;
        this.init = b.init;
        this.initialModel = b.initialModel;
        this.kmeansIterations = b.kmeansIterations >= 0 ? b.kmeansIterations : defaultKmeansIterations(b.k);
        this.threads = b.threads;
        this.kernel = b.kernel;
        this.progress = b.progress;
    }

    /**
     * A builder for a trainer of {@code components} ({@code K}) components.
     *
     * @throws IllegalArgumentException if {@code components < 1}
     */
    public static Builder builder(int components) {
        if (components < 1) {
            throw new IllegalArgumentException("K = " + components + ": a model needs K >= 1 components");
        }
        return new Builder(components);
    }

    /** The number of components {@code K} this trainer fits. */
    public int components() {
        return k;
    }

    /** The number of threads each {@code fit} uses. */
    public int threads() {
        return threads;
    }

    /**
     * Fits a model to {@code n} descriptors of dimension {@code d}, {@code x[i * d + j]},
     * row-major. {@code x} is read, never modified or copied.
     *
     * @throws IllegalArgumentException if {@code n < K}, {@code d < 1}, {@code x} is shorter than
     *     {@code n * d}, a value is NaN, infinite or above {@link #MAX_ABS_VALUE} in magnitude (the
     *     message names the index), or the initial model's shape does not match
     */
    public TrainingResult fit(float[] x, int n, int d) {
        return fit(x, n, d, false);
    }

    /** {@link #fit(float[], int, int)}; {@code valuesChecked}: the values were checked as it checks them. */
    private TrainingResult fit(float[] x, int n, int d, boolean valuesChecked) {
        Objects.requireNonNull(x, "x");
        if (pcaDimensions > 0) {
            return fitWithProjection(x, n, d);
        }
        if (d < 1) {
            throw new IllegalArgumentException("D = " + d + ": descriptors need D >= 1 dimensions");
        }
        if (n < k) {
            throw new IllegalArgumentException("N = " + n + " descriptors cannot train K = " + k
                    + " components: need N >= K");
        }
        if ((long) n * d > x.length) {
            throw new IllegalArgumentException("x has length " + x.length + ", too short for N x D = " + n
                    + " x " + d + " = " + (long) n * d);
        }
        if (initialModel != null && initialModel.dimension() != d) {
            throw new IllegalArgumentException("the initial model has D = " + initialModel.dimension()
                    + " but the descriptors have D = " + d);
        }
        return new Training(this, x, n, d, null, n, null, valuesChecked).train();
    }

    /**
     * With {@link Builder#pca}: fits the projection ({@link Pca#fit}, on at most {@link Pca#MAX_ROWS}
     * evenly spaced rows), projects every row (in blocks, on the kernel provider's projection), runs
     * EM in the projected space, and returns the mixture carrying the projection.
     */
    private TrainingResult fitWithProjection(float[] x, int n, int din) {
        if (din < 1) {
            throw new IllegalArgumentException("D = " + din + ": descriptors need D >= 1 dimensions");
        }
        if (pcaDimensions > din) {
            throw new IllegalArgumentException("PCA to D = " + pcaDimensions + " dimensions needs descriptors of at least"
                    + " as many, but they have Din = " + din);
        }
        if (n < k || n < 2) {
            throw new IllegalArgumentException("N = " + n + " descriptors cannot train K = " + k
                    + " components: need N >= K (and N >= 2 for PCA)");
        }
        if ((long) n * din > x.length) {
            throw new IllegalArgumentException("x has length " + x.length + ", too short for N x Din = " + n
                    + " x " + din + " = " + (long) n * din);
        }
        if (initialModel != null && initialModel.dimension() != pcaDimensions) {
            throw new IllegalArgumentException("the initial model has D = " + initialModel.dimension()
                    + " but PCA projects the descriptors to D = " + pcaDimensions);
        }
        dev.fvec.Projection projection = Pca.fit(x, n, din, pcaDimensions, pcaWhiten);
        long projectedLength = (long) n * pcaDimensions;
        if (projectedLength > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("N x D = " + n + " x " + pcaDimensions + " projected values do not fit"
                    + " one Java array");
        }
        float[] y = new float[(int) projectedLength];
        KernelProvider provider = kernel != null ? kernel : dev.fvec.Kernels.provider();
        dev.fvec.spi.ProjectionKernel step = provider.createProjection(projection);
        float[] block = new float[PROJECTION_BLOCK * pcaDimensions];
        for (int start = 0; start < n; start += PROJECTION_BLOCK) {
            int rows = Math.min(PROJECTION_BLOCK, n - start);
            step.project(x, start * din, rows, block);
            System.arraycopy(block, 0, y, start * pcaDimensions, rows * pcaDimensions);
        }
        // Training checks the projected values as it checks any data (finite, not too large).
        TrainingResult r = new Training(this, y, n, pcaDimensions, null, n, null, false).train();
        return r.withModel(r.model().withProjection(projection));
    }

    /** Rows projected per call when training with PCA. */
    private static final int PROJECTION_BLOCK = 256;

    /**
     * The E-step of EM over descriptors this JVM does not hold (on a cluster, say), for
     * {@link #fit(EStep, long, double[], float[], int)}.
     */
    @FunctionalInterface
    public interface EStep {
        /**
         * The statistics of all {@code N} descriptors under {@code model} with {@code sparsity}.
         * For a reproducible model, the summation order must not depend on scheduling.
         *
         * @param model the current model
         * @param sparsity the E-step's ({@link #E_STEP_THRESHOLD})
         * @return the statistics, which the trainer may keep and modify
         */
        GmmStatistics statistics(DiagonalGmm model, Sparsity sparsity);
    }

    /**
     * The sample size {@link #fit(EStep, long, double[], float[], int)} wants: as many descriptors as
     * the k-means++ seeding of {@link #fit(float[], int, int)} samples, {@code max(4096, 64 K)}.
     *
     * @param components {@code K}
     * @return the number of descriptors to sample
     */
    public static int seedingSampleSize(int components) {
        return (int) Math.min(Npy.MAX_ELEMENTS, Seeding.initialSampleSize(components));
    }

    /**
     * Fits a model to {@code n} descriptors held elsewhere (fvec-spark's distributed EM): every EM
     * E-step is {@code eStep}'s; the rest follows {@link #fit(float[], int, int)}'s rules: the
     * initialisation (k-means++ seeding and the Lloyd iterations run on {@code sample}), the M-step
     * with the variance floors (from {@code dataVariance}), the re-seeding of collapsed components
     * (from {@code sample}), the stopping rule and the progress calls. The mean log-likelihood is
     * per descriptor of all {@code n}.
     *
     * @param eStep the statistics of all {@code n} descriptors under a model
     * @param n the number of descriptors, {@code >= K}
     * @param dataVariance each dimension's variance over all {@code n} descriptors,
     *     {@code sum (x - mean)^2 / n}; its length is {@code D}
     * @param sample a uniform sample of the descriptors, {@code sampleRows x D} row-major (about
     *     {@link #seedingSampleSize(int)} rows); values checked as {@link #fit(float[], int, int)}
     *     checks its data
     * @param sampleRows rows of {@code sample}, {@code >= K}
     * @return the model and how training went
     * @throws IllegalArgumentException if a size is inconsistent, a variance is negative or not
     *     finite, or as {@link #fit(float[], int, int)}
     */
    public TrainingResult fit(EStep eStep, long n, double[] dataVariance, float[] sample, int sampleRows) {
        Objects.requireNonNull(eStep, "eStep");
        if (pcaDimensions > 0) {
            throw new IllegalStateException("a trainer with PCA fits the projection on the rows themselves: with an"
                    + " external E-step, fit it first (Pca.fit on a sample) and give projected descriptors");
        }
        Objects.requireNonNull(dataVariance, "dataVariance");
        Objects.requireNonNull(sample, "sample");
        int d = dataVariance.length;
        if (d < 1) {
            throw new IllegalArgumentException("D = " + d + ": descriptors need D >= 1 dimensions");
        }
        if (n < k || sampleRows < k) {
            throw new IllegalArgumentException("N = " + n + " descriptors with a sample of " + sampleRows
                    + " cannot train K = " + k + " components: need both >= K");
        }
        if ((long) sampleRows * d > sample.length) {
            throw new IllegalArgumentException("sample has length " + sample.length + ", too short for "
                    + sampleRows + " x " + d);
        }
        for (int j = 0; j < d; j++) {
            if (!(dataVariance[j] >= 0 && dataVariance[j] < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("dataVariance[" + j + "] = " + dataVariance[j]
                        + ": need a finite value >= 0");
            }
        }
        if (initialModel != null && initialModel.dimension() != d) {
            throw new IllegalArgumentException("the initial model has D = " + initialModel.dimension()
                    + " but the descriptors have D = " + d);
        }
        return new Training(this, sample, sampleRows, d, eStep, n, dataVariance.clone(), false).train();
    }

    /**
     * Fits a model to the descriptors of one or more {@code .npy} files (2-D {@code (N_i, D)},
     * float32 or float64, C order; see {@link Npy}), taken in list order as one data set. All
     * headers are read and checked first, then one {@code float[]} of {@code sum N_i x D} is
     * allocated and each file is read straight into its place: the data is never held twice
     * ({@link DescriptorFiles#read(List, double)} reads and checks them).
     *
     * @throws NpyFormatException if a file is malformed, truncated or unsupported (names the file)
     * @throws IOException if a file cannot be read
     * @throws IllegalArgumentException if the list is empty, a file is not 2-D, the files disagree
     *     on {@code D}, the total does not fit one Java array, a value is NaN, infinite or too large
     *     (names the file, the row and the column), or as {@link #fit(float[], int, int)}
     */
    public TrainingResult fit(List<Path> npyFiles) throws IOException {
        Objects.requireNonNull(npyFiles, "npyFiles");
        NpyArray x = DescriptorFiles.read(npyFiles, MAX_ABS_VALUE); // checks shapes and values, naming the file
        return fit(x.data(), x.rows(), x.cols(), true); // not a second pass over the values
    }

    /** Options of a {@link GmmTrainer}; not thread-safe, reusable. */
    public static final class Builder {
        private final int k;
        private int maxIterations = DEFAULT_MAX_ITERATIONS;
        private double tolerance = DEFAULT_TOLERANCE;
        private long seed;
        private double absoluteFloor = DEFAULT_ABSOLUTE_VARIANCE_FLOOR;
        private double relativeFloor = DEFAULT_RELATIVE_VARIANCE_FLOOR;
        private Init init = Init.KMEANS_PP;
        private DiagonalGmm initialModel;
        private int kmeansIterations = -1; // by K
        private int threads = Runtime.getRuntime().availableProcessors();
        private KernelProvider kernel;
        private ProgressListener progress;
        private int pcaDimensions;
        private boolean pcaWhiten;

        private Builder(int k) {
            this.k = k;
        }

        /** Maximum number of EM iterations, {@code >= 1}; default 100. */
        public Builder maxIterations(int iterations) {
            if (iterations < 1) {
                throw new IllegalArgumentException("maxIterations = " + iterations + ": need at least 1");
            }
            this.maxIterations = iterations;
            return this;
        }

        /**
         * Convergence tolerance on the relative change of the mean log-likelihood per descriptor,
         * SPEC.md's rule: EM stops when {@code |L_i - L_(i-1)| <= tolerance * max(|L_i|, 1)};
         * {@code >= 0}, default {@code 1e-5}. 0 runs {@link #maxIterations(int)} iterations unless
         * the log-likelihood stops changing exactly.
         *
         * <p>Why 1e-5 (it was 1e-4): scikit-learn's {@code GaussianMixture} stops at an absolute
         * change of {@code tol = 1e-3} nats per descriptor. At {@code L} near -270 (SIFT-like
         * descriptors through PCA to 64 dimensions, K = 256) 1e-4 stopped at changes of 0.027
         * nats, after 9 or 10 iterations, about 0.05 nats of held-out log-likelihood below
         * scikit-learn; 1e-5 stops at 0.0027 nats (29-36 iterations) and gives within 0.005 nats
         * of what the absolute 1e-3 gives there (12 seeds, docs/PCA.md). Where the initialisation
         * is already good (the end-to-end benchmark's 100,000 x 64, K = 256) both stop after 3
         * iterations; at 12,000 x 64, K = 64 (|L| near 120) 1e-5 takes 2 iterations more than 1e-4
         * (7 instead of 5, which change L by 0.002 and 0.00002): about 35-40 ms more of a
         * 0.45-0.7 s {@code fvec train} on the 2-core machine.
         */
        public Builder tolerance(double tolerance) {
            if (!(tolerance >= 0 && tolerance < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("tolerance = " + tolerance + ": need a finite value >= 0");
            }
            this.tolerance = tolerance;
            return this;
        }

        /** Seed of every random choice (initialisation, re-seeding); default 0. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Absolute variance floor: no variance goes below it; a normal positive float (at least
         * {@link Float#MIN_NORMAL}), default
         * {@code 1e-6} (scikit-learn's {@code reg_covar}, which sklearn adds rather than takes the
         * maximum with). It is what a constant dimension's variances end up at.
         */
        public Builder absoluteVarianceFloor(double floor) {
            if (!(floor >= Float.MIN_NORMAL && floor < Float.MAX_VALUE)) {
                throw new IllegalArgumentException("absolute variance floor " + floor + ": need a finite value >= "
                        + Float.MIN_NORMAL + " (a zero floor would let a constant dimension give a zero variance)");
            }
            this.absoluteFloor = floor;
            return this;
        }

        /**
         * Variance floor relative to each dimension's data variance: dimension {@code d}'s
         * variances stay {@code >= relative * var(x_d)}; in {@code [0, 1]}, default {@code 1e-4}
         * (a standard deviation of 1% of the data's). Scale-free, unlike the absolute floor, so
         * it also keeps a component from shrinking onto duplicated descriptors when the data's
         * scale is large. 0 disables it.
         */
        public Builder relativeVarianceFloor(double relative) {
            if (!(relative >= 0 && relative <= 1)) {
                throw new IllegalArgumentException("relative variance floor " + relative + " is outside [0, 1]");
            }
            this.relativeFloor = relative;
            return this;
        }

        /** The initialisation; default {@link Init#KMEANS_PP}. Ignored when an initial model is set. */
        public Builder init(Init init) {
            this.init = Objects.requireNonNull(init, "init");
            return this;
        }

        /**
         * Starts EM from {@code model} instead of an {@link Init}; {@code null} clears it.
         *
         * @throws IllegalArgumentException if the model does not have {@code K} components
         */
        public Builder initialModel(DiagonalGmm model) {
            if (model != null && model.components() != k) {
                throw new IllegalArgumentException("the initial model has K = " + model.components()
                        + " components, the trainer K = " + k);
            }
            this.initialModel = model;
            return this;
        }

        /**
         * Most Lloyd iterations after k-means++ seeding ({@link Init#KMEANS_PP} only), {@code >= 0};
         * default {@link #defaultKmeansIterations}{@code (K)}: none below K = 128 (EM starts from the
         * seeds' hard assignment), 5 from there. They run on every descriptor ({@code Lloyd}:
         * Hamerly's bounds skip the rows whose center cannot have changed, so later updates compute
         * fewer distances) and stop early when the centers settle: no
         * row changes cluster, or an update moves the centers by at most {@code 1e-4} times the
         * data's mean per-dimension variance in all (summed squared moves; scikit-learn's
         * {@code KMeans} rule and default {@code tol}).
         *
         * <p>Measured: see {@link #FULL_KMEANS_MIN_COMPONENTS}. Before, they ran on the seeding's
         * sample, 5 at most by default.
         */
        public Builder kmeansIterations(int iterations) {
            if (iterations < 0) {
                throw new IllegalArgumentException("kmeansIterations = " + iterations + ": need >= 0");
            }
            this.kmeansIterations = iterations;
            return this;
        }

        /**
         * Threads per {@code fit}, {@code >= 1}, including the calling thread; default
         * {@link Runtime#availableProcessors()}. The result does not depend on it (see the class
         * comment).
         */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads = " + threads + ": need at least 1");
            }
            this.threads = threads;
            return this;
        }

        /** Forces a kernel provider; default {@link Kernels#provider()}, decided at {@code fit}. */
        public Builder kernel(KernelProvider provider) {
            String why = Objects.requireNonNull(provider, "provider").unavailableReason();
            if (why != null) {
                throw new IllegalStateException("kernel '" + provider.name() + "' cannot run here: " + why);
            }
            this.kernel = provider;
            return this;
        }

        /**
         * Fits a PCA projection to {@code dimensions} first (SPEC.md, "PCA projection": the mean,
         * the top eigenvectors of the covariance; {@link Pca#fit}, on at most {@link Pca#MAX_ROWS}
         * evenly spaced rows), then EM on the projected rows; the model carries the projection, so
         * its encoders take the raw descriptors. {@code whiten} divides each projected dimension by
         * the square root of its variance. {@code dimensions = 0} turns it off (the default). Not
         * available with an external E-step.
         *
         * @param dimensions {@code D}, at most the descriptors' dimension; 0 for none
         * @param whiten whether to whiten
         * @return this builder
         */
        public Builder pca(int dimensions, boolean whiten) {
            if (dimensions < 0) {
                throw new IllegalArgumentException("PCA dimensions = " + dimensions + ": need >= 1 (or 0 for none)");
            }
            this.pcaDimensions = dimensions;
            this.pcaWhiten = whiten;
            return this;
        }

        /** Called once per EM iteration; default none; {@code null} clears it. */
        public Builder progress(ProgressListener listener) {
            this.progress = listener;
            return this;
        }

        /**
         * A trainer with these options; the builder can be changed and used again.
         *
         * @return the trainer (immutable, safe to share)
         */
        public GmmTrainer build() {
            return new GmmTrainer(this);
        }
    }
}
