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
import dev.fvec.spi.StatisticsAccess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Trains a diagonal Gaussian mixture by expectation-maximisation (SPEC.md, "EM training of the
 * GMM"), with the same {@link dev.fvec.spi.StatisticsKernel} the encoders use, so with the SIMD kernel
 * where it is available.
 *
 * <pre>{@code
 * TrainingResult r = GmmTrainer.builder(256).seed(7).build().fit(x, n, d);
 * DiagonalGmm vocabulary = r.model();
 * }</pre>
 *
 * <h2>Algorithm</h2>
 * <ol>
 *   <li><b>Initialisation</b> ({@link Init}): greedy k-means++ seeding (each center the best of
 *       {@code 2 + floor(ln K)} candidates drawn by D² sampling, as scikit-learn does, on a sample
 *       of {@code max(4096, 32 * K)} descriptors; the best of 3 attempts by
 *       k-means cost on the sample) followed by
 *       {@link Builder#kmeansIterations(int) Lloyd iterations} on all descriptors (run as
 *       hard-assignment E-steps of the kernel), then one M-step from the hard
 *       assignment (weights = cluster sizes / N, variances = within-cluster variances, floored);
 *       or {@code K} distinct random descriptors as means with the data's variance and equal
 *       weights; or a {@link Builder#initialModel(DiagonalGmm) given model}. All random choices
 *       come from one {@link SplittableRandom} seeded with {@link Builder#seed(long)}.</li>
 *   <li><b>E-step</b>: {@code N}, {@code S0}, {@code S1}, {@code S2} and the total log-likelihood
 *       {@code sum_n logsumexp_k log p_k(x_n)}, with posteriors below {@link #E_STEP_THRESHOLD}
 *       ({@code 1e-9}, far below float resolution {@code 2^-24 ≈ 6e-8}, as SPEC.md allows)
 *       dropped: a kernel can then skip the {@code S1}/{@code S2} updates of negligible terms.
 *       The dropped mass is at most {@code K * 1e-9} per descriptor.</li>
 *   <li><b>M-step</b>, in double: {@code w_k = S0_k / sum_j S0_j} (SPEC's {@code S0_k / N} up to
 *       the dropped mass), {@code mu_k = S1_k / S0_k},
 *       {@code var_kd = max(S2_kd / S0_k - mu_kd^2, floor_d)} with
 *       {@code floor_d = max(absoluteVarianceFloor, relativeVarianceFloor * var(x_d))}, where
 *       {@code var(x_d)} is the data's variance in dimension {@code d}.</li>
 *   <li><b>Re-seeding</b>: a component with {@code S0_k < }{@link #COLLAPSE_MASS} (less than half a
 *       descriptor's worth of posterior mass) is not divided by its tiny mass: it is re-seeded at a
 *       descriptor chosen, as in greedy k-means++, among a few drawn with probability
 *       proportional to their squared distance to the nearest surviving mean (from a sample of at
 *       most 4096 descriptors), with the data's (floored) variance and
 *       weight {@code 1/K}; the other weights are scaled to make room. An iteration whose model came
 *       from a re-seeding M-step is not tested for convergence.</li>
 *   <li><b>Stopping</b>: after iteration {@code i} (E-step then M-step) when
 *       {@code |L_i - L_(i-1)| <= tolerance * max(|L_i|, 1)}, where {@code L_i} is the mean
 *       log-likelihood per descriptor of the E-step (the floor at 1 nat keeps a mean
 *       log-likelihood near zero from stalling the test), or after
 *       {@link Builder#maxIterations(int)} iterations.</li>
 * </ol>
 *
 * <h2>Threads and reproducibility</h2>
 * The E-step, the Lloyd passes and the seeding run on {@link Builder#threads(int)} threads: the calling
 * thread plus a fixed pool created by each {@code fit} and shut down before it returns. The
 * descriptors are cut into chunks of 1024 rows (a constant); each
 * chunk's statistics are computed into zeroed buffers by one thread's kernel and merged into the
 * total strictly in chunk order. The summation order therefore depends neither on the thread count
 * nor on scheduling, and with a deterministic kernel (the scalar one is) the trained model is
 * <b>bit-identical for every thread count</b> and every run with the same seed. A kernel whose
 * floating-point results can vary between calls (e.g. a Vector API cross-lane reduction, whose
 * order is unspecified and may differ between interpreted and compiled code) makes results differ
 * by that kernel's own rounding, which EM can amplify over many iterations; the chunking keeps it
 * from depending on the thread count. (The SIMD kernel has been seen to give bit-identical models
 * for 1, 2 and 3 threads.) Seeding reduces its per-block sums in block order too.
 *
 * <h2>Memory</h2>
 * The data ({@code float[]}, never copied) plus {@code O(K * D * threads)} for kernels and
 * statistics buffers, plus an index and a distance per sampled descriptor
 * ({@code max(4096, 32 * K)} at most) while seeding.
 *
 * <h2>Cost</h2>
 * An EM iteration is one kernel pass over the data plus {@code O(K * D)}. The k-means++ seeding
 * is plain Java, {@code O(3 * sample * K * D * (3 + ln K))}: about as much as a few EM iterations
 * at {@code K = 256} (it grows as {@code K^2}); each Lloyd iteration costs one hard-assignment
 * kernel pass. Starting from a {@link Builder#initialModel(DiagonalGmm) given model} skips both.
 *
 * <h2>Bad input</h2>
 * <ul>
 *   <li>NaN or infinity, or a value of magnitude above {@link #MAX_ABS_VALUE}: rejected with an
 *       {@link IllegalArgumentException} naming the first offending index, descriptor and dimension
 *       (and, for files, the file);</li>
 *   <li>{@code N < K} (including {@code N = 0}): rejected;</li>
 *   <li>a constant dimension: its data variance is 0, so its floor is the absolute floor, and
 *       every component's variance there equals that floor: a valid model;</li>
 *   <li>duplicated points, or fewer distinct points than {@code K}: a valid model in which some
 *       components coincide (same mean, floored variance) and share the posterior mass of their
 *       points.</li>
 * </ul>
 * Parameters are never NaN: every value the M-step produces is checked again by
 * {@link DiagonalGmm#of}.
 *
 * <p>A trainer is immutable and may be used by several threads; each {@code fit} has its own pool.
 * The input array must not be modified while {@code fit} runs.
 *
 * <p>References: A. P. Dempster, N. M. Laird, D. B. Rubin, JRSS B 1977 (EM); D. Arthur,
 * S. Vassilvitskii, SODA 2007 (k-means++); scikit-learn's {@code GaussianMixture} and VLFeat's
 * {@code vl/gmm.c} as peers.
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
    public static final double DEFAULT_TOLERANCE = 1e-4;
    /** Default {@link Builder#absoluteVarianceFloor(double)}: scikit-learn's {@code reg_covar}. */
    public static final double DEFAULT_ABSOLUTE_VARIANCE_FLOOR = 1e-6;
    /** Default {@link Builder#relativeVarianceFloor(double)}. */
    public static final double DEFAULT_RELATIVE_VARIANCE_FLOOR = 1e-4;
    /** Default {@link Builder#kmeansIterations(int)}. */
    public static final int DEFAULT_KMEANS_ITERATIONS = 10;

    private static final Sparsity E_STEP_SPARSITY = Sparsity.threshold(E_STEP_THRESHOLD);

    private final int k;
    private final int maxIterations;
    private final double tolerance;
    private final long seed;
    private final double absoluteFloor;
    private final double relativeFloor;
    private final Init init;
    private final DiagonalGmm initialModel;
    private final int kmeansIterations;
    private final int threads;
    private final KernelProvider kernel; // null: Kernels.provider() at fit time
    private final ProgressListener progress; // may be null

    private GmmTrainer(Builder b) {
        this.k = b.k;
        this.maxIterations = b.maxIterations;
        this.tolerance = b.tolerance;
        this.seed = b.seed;
        this.absoluteFloor = b.absoluteFloor;
        this.relativeFloor = b.relativeFloor;
        this.init = b.init;
        this.initialModel = b.initialModel;
        this.kmeansIterations = b.kmeansIterations;
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
        Objects.requireNonNull(x, "x");
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
        return new Run(x, n, d).train();
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
        return fit(x.data(), x.rows(), x.cols());
    }

    /**
     * Rejects NaN, infinities and values above {@link #MAX_ABS_VALUE} in rows
     * {@code [firstRow, firstRow + count)}, naming the first one; rows are numbered from
     * {@code firstRow} in the message ({@code where} prefixes it).
     */
    private static void requireValues(float[] x, int firstRow, int count, int d, String where) {
        int from = firstRow * d;
        int to = from + count * d;
        for (int i = from; i < to; i++) {
            float v = x[i];
            // NaN fails both comparisons; infinities fail the bound.
            if (!(v >= -MAX_ABS_VALUE && v <= MAX_ABS_VALUE)) {
                int local = i - from;
                throw new IllegalArgumentException(where + (where.isEmpty() ? "x[" + i + "]" : "value " + local)
                        + " = " + v + " (descriptor " + local / d + ", dimension " + local % d
                        + "): every descriptor value must be finite"
                        + (Float.isFinite(v) ? " and of magnitude <= " + MAX_ABS_VALUE : ""));
            }
        }
    }

    /** The state of one {@code fit}. */
    private final class Run {
        private final float[] x;
        private final int n;
        private final int d;
        private final long start = System.nanoTime();
        private final SplittableRandom rnd = new SplittableRandom(seed);
        private final KernelProvider provider = kernel != null ? kernel : Kernels.provider();
        private double[] dataVariance; // per dimension
        private double[] floor; // per dimension
        private Seeding reseeding; // made on first use
        private ParallelPasses passes;

        Run(float[] x, int n, int d) {
            this.x = x;
            this.n = n;
            this.d = d;
        }

        TrainingResult train() {
            scanData();
            try (ParallelPasses p = new ParallelPasses(x, n, d, threads)) {
                passes = p;
                DiagonalGmm model = initialModel != null ? initialModel
                        : init == Init.RANDOM ? randomInit() : kmeansInit();
                double previous = Double.NaN;
                boolean previousReseeded = true; // nothing to compare the first iteration with
                boolean converged = false;
                int reseeded = 0;
                int iteration = 0;
                double meanLogLikelihood = Double.NaN;
                while (iteration < maxIterations) {
                    iteration++;
                    GmmStatistics stats = passes.statistics(provider, model, E_STEP_SPARSITY);
                    meanLogLikelihood = stats.logLikelihood() / n;
                    if (!Double.isFinite(meanLogLikelihood)) {
                        throw new IllegalStateException("the log-likelihood became " + meanLogLikelihood
                                + " at EM iteration " + iteration + " (kernel " + provider.name()
                                + "); the data may be too badly scaled for single precision");
                    }
                    if (progress != null) {
                        progress.onIteration(iteration, meanLogLikelihood, elapsed());
                    }
                    MStep m = mStep(stats);
                    model = m.model;
                    reseeded += m.reseeded;
                    if (!previousReseeded
                            && Math.abs(meanLogLikelihood - previous) <= tolerance * Math.max(Math.abs(meanLogLikelihood), 1)) {
                        converged = true;
                        break;
                    }
                    previous = meanLogLikelihood;
                    previousReseeded = m.reseeded > 0;
                }
                return new TrainingResult(model, iteration, meanLogLikelihood, converged, reseeded, elapsed());
            } finally {
                passes = null;
            }
        }

        private Duration elapsed() {
            return Duration.ofNanos(System.nanoTime() - start);
        }

        /** Rejects non-finite or huge values; computes the per-dimension data variance and the floors. */
        private void scanData() {
            requireValues(x, 0, n, d, "");
            double[] mean = new double[d];
            for (int i = 0; i < n; i++) {
                int row = i * d;
                for (int j = 0; j < d; j++) {
                    mean[j] += x[row + j];
                }
            }
            for (int j = 0; j < d; j++) {
                mean[j] /= n;
            }
            dataVariance = new double[d];
            for (int i = 0; i < n; i++) {
                int row = i * d;
                for (int j = 0; j < d; j++) {
                    double diff = x[row + j] - mean[j];
                    dataVariance[j] += diff * diff;
                }
            }
            floor = new double[d];
            for (int j = 0; j < d; j++) {
                dataVariance[j] /= n;
                floor[j] = Math.max(absoluteFloor, relativeFloor * dataVariance[j]);
            }
        }

        /** The data's variance in dimension {@code j}, floored. */
        private float flooredDataVariance(int j) {
            return (float) Math.max(dataVariance[j], floor[j]);
        }

        // ---- initialisation ------------------------------------------------------------------

        private DiagonalGmm randomInit() {
            float[] means = new float[k * d];
            Set<Integer> chosen = new HashSet<>();
            int c = 0;
            while (c < k) {
                int row = rnd.nextInt(n);
                if (chosen.add(row)) {
                    System.arraycopy(x, row * d, means, c * d, d);
                    c++;
                }
            }
            return spreadModel(means);
        }

        /** Equal weights, the data's floored variance, the given means. */
        private DiagonalGmm spreadModel(float[] means) {
            float[] weights = new float[k];
            Arrays.fill(weights, 1f / k);
            float[] variances = new float[k * d];
            for (int c = 0; c < k; c++) {
                for (int j = 0; j < d; j++) {
                    variances[c * d + j] = flooredDataVariance(j);
                }
            }
            return DiagonalGmm.of(k, d, weights, means, variances);
        }

        private DiagonalGmm kmeansInit() {
            float[] centers = new float[k * d];
            // Greedy k-means++ on a sample: the first center uniformly, each next one the best
            // of a few candidates drawn with probability ∝ D².
            seedCenters(centers);
            // Lloyd iterations as hard-assignment E-steps: with equal weights and equal
            // variances, the most likely component is the nearest center (ties: lowest index).
            float[] weights = new float[k];
            Arrays.fill(weights, 1f / k);
            float[] variances = new float[k * d];
            double meanVariance = 0;
            for (int j = 0; j < d; j++) {
                meanVariance += dataVariance[j] / d;
            }
            // Any positive value gives the same nearest-center assignment; keep it a normal float.
            float v = (float) meanVariance;
            Arrays.fill(variances, v >= Float.MIN_NORMAL && v < Float.MAX_VALUE ? v : 1f);
            GmmStatistics stats;
            for (int iteration = 0; ; iteration++) {
                DiagonalGmm hard = DiagonalGmm.of(k, d, weights, centers, variances);
                stats = passes.statistics(provider, hard, Sparsity.hard());
                if (iteration == kmeansIterations) {
                    break;
                }
                if (progress != null) {
                    progress.onInitialisation("k-means", iteration + 1, kmeansIterations, elapsed());
                }
                float[] next = lloydUpdate(stats, centers);
                if (Arrays.equals(next, centers)) {
                    break; // assignments stable
                }
                centers = next;
            }
            // One M-step from the final hard assignment gives weights and variances too.
            return mStep(stats).model;
        }

        /** New centers: the mean of each cluster; empty clusters re-seeded by D² sampling. */
        private float[] lloydUpdate(GmmStatistics stats, float[] centers) {
            double[] s0 = StatisticsAccess.s0(stats);
            double[] s1 = StatisticsAccess.s1(stats);
            float[] next = new float[k * d];
            List<Integer> empty = new ArrayList<>();
            List<Integer> kept = new ArrayList<>();
            for (int c = 0; c < k; c++) {
                if (s0[c] > 0) {
                    kept.add(c);
                    for (int j = 0; j < d; j++) {
                        next[c * d + j] = (float) (s1[c * d + j] / s0[c]);
                    }
                } else {
                    empty.add(c);
                }
            }
            if (!empty.isEmpty()) {
                reseedCenters(next, toArray(kept), toArray(empty));
            }
            return next;
        }

        private int[] allComponents() {
            int[] all = new int[k];
            for (int c = 0; c < k; c++) {
                all[c] = c;
            }
            return all;
        }

        /** Initial greedy k-means++ seeding on a sample (see {@link Seeding}); reports progress. */
        private void seedCenters(float[] centers) {
            // TEMPORARY knobs for the quality measurements of issue 12 item 3.
            int perK = Integer.getInteger("fvec.seed.perK", Seeding.SAMPLE_PER_COMPONENT);
            int attempts = Integer.getInteger("fvec.seed.attempts", 1);
            Seeding seeding = new Seeding(x, n, d, k,
                    Math.max(Seeding.MIN_SAMPLE, (long) perK * k), passes, rnd);
            int step = Math.max(1, (k + 7) / 8);
            float[] attempt = new float[centers.length];
            double best = Double.POSITIVE_INFINITY;
            for (int a = 0; a < attempts; a++) {
                double potential = seeding.place(attempt, new int[0], allComponents(), placed -> {
                    if (progress != null && (placed % step == 0 || placed == k)) {
                        progress.onInitialisation("k-means++ seeding", placed, k, elapsed());
                    }
                });
                if (potential < best) {
                    best = potential;
                    System.arraycopy(attempt, 0, centers, 0, centers.length);
                }
            }
        }

        /** Re-seeding of empty clusters and collapsed components, on a small sample made on first use. */
        private void reseedCenters(float[] centers, int[] existing, int[] targets) {
            if (reseeding == null) {
                reseeding = new Seeding(x, n, d, k, Seeding.MIN_SAMPLE, passes, rnd);
            }
            reseeding.place(centers, existing, targets, null);
        }

        // ---- M-step ----------------------------------------------------------------------------

        private MStep mStep(GmmStatistics stats) {
            double[] s0 = StatisticsAccess.s0(stats);
            double[] s1 = StatisticsAccess.s1(stats);
            double[] s2 = StatisticsAccess.s2(stats);
            float[] means = new float[k * d];
            float[] variances = new float[k * d];
            double[] w = new double[k];
            List<Integer> collapsed = new ArrayList<>();
            List<Integer> kept = new ArrayList<>();
            double keptMass = 0;
            for (int c = 0; c < k; c++) {
                if (!(s0[c] >= COLLAPSE_MASS)) {
                    collapsed.add(c);
                    continue;
                }
                kept.add(c);
                keptMass += s0[c];
                w[c] = s0[c];
                for (int j = 0; j < d; j++) {
                    int i = c * d + j;
                    double mu = s1[i] / s0[c];
                    double var = s2[i] / s0[c] - mu * mu;
                    means[i] = (float) mu;
                    variances[i] = (float) Math.max(var, floor[j]);
                }
            }
            // kept is never empty: sum S0 ~ N >= K, so some S0_k >= N/K >= 1.
            double keptShare = 1.0 - (double) collapsed.size() / k;
            float[] weights = new float[k];
            for (int c : kept) {
                weights[c] = (float) (w[c] / keptMass * keptShare);
            }
            if (!collapsed.isEmpty()) {
                reseedCenters(means, toArray(kept), toArray(collapsed));
                for (int c : collapsed) {
                    weights[c] = 1f / k;
                    for (int j = 0; j < d; j++) {
                        variances[c * d + j] = flooredDataVariance(j);
                    }
                }
            }
            return new MStep(DiagonalGmm.of(k, d, weights, means, variances), collapsed.size());
        }
    }

    private static int[] toArray(List<Integer> list) {
        int[] a = new int[list.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = list.get(i);
        }
        return a;
    }

    private static final class MStep {
        final DiagonalGmm model;
        final int reseeded;

        MStep(DiagonalGmm model, int reseeded) {
            this.model = model;
            this.reseeded = reseeded;
        }
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
        private int kmeansIterations = DEFAULT_KMEANS_ITERATIONS;
        private int threads = Runtime.getRuntime().availableProcessors();
        private KernelProvider kernel;
        private ProgressListener progress;

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
         * {@code |L_i - L_(i-1)| <= tolerance * max(|L_i|, 1)}; {@code >= 0}, default {@code 1e-4}.
         * 0 runs {@link #maxIterations(int)} iterations unless the log-likelihood stops changing
         * exactly.
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
         * Lloyd iterations after k-means++ seeding ({@link Init#KMEANS_PP} only), {@code >= 0};
         * default 10. They stop early when no center moves. Each costs about one E-step.
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

        /** Called once per EM iteration; default none; {@code null} clears it. */
        public Builder progress(ProgressListener listener) {
            this.progress = listener;
            return this;
        }

        public GmmTrainer build() {
            return new GmmTrainer(this);
        }
    }
}
