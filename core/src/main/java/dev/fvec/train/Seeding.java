package dev.fvec.train;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * Greedy k-means++ seeding (D. Arthur, S. Vassilvitskii, SODA 2007, section 6; the variant
 * scikit-learn uses): each new center is the best of {@code 2 + floor(ln K)} candidates drawn
 * with probability proportional to the squared distance {@code D²} to the nearest center placed so
 * far, "best" meaning the smallest total {@code D²} after adding it. The same routine re-seeds
 * collapsed components and empty clusters, with the surviving centers as the starting set.
 *
 * <p>It works on a uniform random sample of the descriptors, drawn once per instance and copied
 * into {@code D} arrays, one per dimension (column): {@code min(N, max(}{@link #MIN_SAMPLE}{@code , }{@link
 * #SAMPLE_PER_COMPONENT}{@code * K))} for the initial seeding (the Lloyd iterations and EM that
 * follow use every descriptor), {@link #RESEED_SAMPLE} for re-seeding. A larger sample improved
 * the held-out likelihood at K = 256 as much as the best of several attempts did, for less time
 * (see {@link #SAMPLE_PER_COMPONENT}); small K, which are cheap to seed, get several attempts
 * ({@link #attempts}).
 *
 * <p><b>Cost.</b> Each candidate needs {@code min(D²_i, |x_i - c|²)} for every sampled {@code x_i},
 * {@code size x D} differences, all of them computed: the sample is stored by column, so the loop
 * over sampled rows is the inner one and element-wise (one float sum per row, dimensions in
 * order), which C2 compiles to vector instructions, and all candidates of a step go through a
 * block of the sample while it is in cache. This replaced a row-by-row double loop with two exact
 * shortcuts (a triangle-inequality skip, an early exit), which the JIT cannot vectorise: on the
 * end-to-end benchmark's 12,000 x 64 set, K = 64, 3 attempts, a fresh JVM's seeding went from
 * about 0.4 s to 0.11 s of CPU (distances in float instead of double: other centers, the same quality,
 * see {@link #ATTEMPT_BUDGET}). The chosen candidate's distances are kept, so placing it costs no
 * further pass.
 *
 * <p>Reproducible: distances are element-wise and the candidate totals are reduced in fixed block
 * order, so the centers depend on the seed only, not on the thread count.
 */
final class Seeding {

    /**
     * Descriptors sampled per component for the initial seeding. Measured (issue 12, item 3; N =
     * 100,000, D = 64, K = 256, 1024 overlapping clusters, 10 EM iterations, mean of 5 seeds):
     * held-out log-likelihood -120.95 with 16 per component, -119.36 with 32, -119.02 with 64,
     * -118.86 with 128, while 3 attempts at 32 (the former default) gave -119.00 for more time,
     * and 5, 10 or 20 Lloyd iterations changed nothing. 64 buys the quality of three attempts with
     * one. The candidates must be compared on the whole sample: comparing them on an evenly spread
     * subset of 32 K (or 16 K) rows, to save time, gave -119.74 (-120.58).
     */
    static final int SAMPLE_PER_COMPONENT = 64;

    /**
     * Smallest initial sample (when {@code N} allows). Small K are cheap to seed, so they get more
     * attempts on a smaller sample rather than fewer on a larger one: at K = 64 on the end-to-end
     * benchmark's set (20 seeds, see {@link #ATTEMPT_BUDGET}), 6 attempts on 4096 descriptors gave a
     * held-out log-likelihood of -119.43 against -119.67 for 3 on 8192, for the same seeding work
     * (3 on 4096: -119.75; 3 on all 12,000: -119.53).
     */
    static final int MIN_SAMPLE = 4096;

    /** The re-seeding sample: re-seeding may happen at any M-step, so it stays small. */
    static final int RESEED_SAMPLE = 4096;

    private final int d;
    private final int size;
    private final float[][] columns; // the sampled rows, in ascending row order, by column: d arrays of size
    private final ParallelPasses passes;
    private final SplittableRandom rnd;
    private final int trials;
    private final float[] dist; // D² of each sampled row to its nearest placed center
    private final float[][] candidateDist; // per trial: min(dist, D² to the candidate)
    private final float[] candidateRows; // trials x d: the candidates' coordinates

    /**
     * Seeding work (sampled descriptors times K) per {@code fit} up to which several attempts are
     * made: on 4096 sampled descriptors {@code 384 / K} of them, so 6 up to K = 64, 5 up to K = 76,
     * 4 up to K = 96, 3 up to K = 127 (K = 128 and up: 64 K descriptors, one attempt by the budget,
     * but see {@link #LARGE_K_ATTEMPTS} and {@link #SINGLE_ATTEMPT_MIN_COMPONENTS}). Measured (issue 12,
     * item 3) on the end-to-end benchmark's 12,000 x 64 training set (256 rotated anisotropic
     * Gaussians), K = 64, mean held-out log-likelihood of 6 seeds: -119.99 with one attempt,
     * -119.49 with the best of 3, -119.37 of 5 (scikit-learn, random_state 0: -119.46). Again with
     * the column sweeps and Lloyd on the sample, 20 seeds: -119.89 with one attempt, -119.67 with 3,
     * -119.19 with 6 (and see {@link #MIN_SAMPLE}). With EM from the seeds' own assignment (no
     * Lloyd iterations, the default there now), seeds 0-29: -119.58 with 3, -119.04 with 6,
     * -118.87 with 10 (scikit-learn, random_state 0-39: -119.58); with 6 attempts and Lloyd on
     * every row until settled, -120.06, and with 1 or 3 attempts on all 12,000 rows, then Lloyd
     * until settled (scikit-learn's procedure) -120.40 and -119.55: the attempts, not the Lloyd
     * iterations, are what the quality needs there. An attempt on 8192 descriptors costs about 0.035 s of CPU there in a fresh JVM,
     * on 4096 about half.
     */
    static final long ATTEMPT_BUDGET = 3L * 8192 * 64;

    /** Most greedy attempts. */
    static final int MAX_ATTEMPTS = 6;

    /**
     * Fewest greedy attempts from {@link GmmTrainer#FULL_KMEANS_MIN_COMPONENTS} components on, whatever
     * the budget. Measured (issue 16) at K = 256 on SIFT-like 128-D descriptors through PCA to 64
     * (40,000 rows, 16,384 sampled, 5 Lloyd iterations on every row, 12 seeds paired): held-out
     * -269.3361 with the best of 3 against -269.3545 with one (+0.018, standard error 0.016;
     * scikit-learn: -269.2967); the best of 2 gave the same model as the best of 3 in all 12 seeds
     * (the third attempt never won), for about 0.26 s more of CPU per fit than one attempt on the
     * idle machine (the seeding's javadoc'd cost of an attempt at N = 100,000) instead of 0.5 s.
     */
    static final int LARGE_K_ATTEMPTS = 2;

    /**
     * Components from which the seeding makes one attempt again ({@link #LARGE_K_ATTEMPTS} stops
     * there). An attempt costs about {@code K^2 ln K} (64 K sampled rows, {@code 2 + ln K}
     * candidates per center): at K = 1024 on 100,000 x 64 (65,536 sampled rows) one attempt took
     * about 5 s of wall time on the loaded 2-core machine ({@code fvec train --components 1024}'s
     * progress), and fvec-spark's K = 1024 row in the README went from 5.3 s to 19.8 s when the
     * second attempt came in (a slower VM that night did the rest). Measured (the end-to-end benchmark's
     * 100,000 x 64 set and its 20,000 held-out rows, {@code NpyQuality}, default options but one
     * thread, seeds 0-2 paired; held-out mean log-likelihood, best of 2 minus one attempt): K = 512
     * +0.066, 0, 0 (seeds 1 and 2: the first attempt won, the same model); K = 1024 -0.053,
     * +0.124, 0; over the six, +0.023 (standard error 0.025): the size of the K = 256 gain above,
     * not distinguishable from none with these seeds and within the 0.05 nats issue 12 allows
     * against scikit-learn, while the second attempt's cost grows as {@code K^2 ln K}. (Those fits
     * ran 47-81 EM iterations, 11-40 s of CPU each on the loaded machine, so there the EM, not the
     * seeding, dominated.)
     */
    static final int SINGLE_ATTEMPT_MIN_COMPONENTS = 512;

    /**
     * Greedy attempts for a sample of {@code size} descriptors: {@code clamp(budget / (size K), 1, 6)},
     * at least {@link #LARGE_K_ATTEMPTS} from K = 128 up to {@link #SINGLE_ATTEMPT_MIN_COMPONENTS}
     * (exclusive).
     */
    static int attempts(int size, int k) {
        int byBudget = (int) Math.max(1, Math.min(MAX_ATTEMPTS, ATTEMPT_BUDGET / ((long) size * k)));
        boolean large = k >= GmmTrainer.FULL_KMEANS_MIN_COMPONENTS && k < SINGLE_ATTEMPT_MIN_COMPONENTS;
        return large ? Math.max(LARGE_K_ATTEMPTS, byBudget) : byBudget;
    }

    /** The initial seeding's sample size before the cap at {@code N}: {@code max(4096, 64 K)}. */
    static long initialSampleSize(int k) {
        return Math.max(MIN_SAMPLE, (long) SAMPLE_PER_COMPONENT * k);
    }

    /** A seeding over a sample of at most {@code maxSample} of the {@code n} descriptors. */
    Seeding(float[] x, int n, int d, int k, long maxSample, ParallelPasses passes, SplittableRandom rnd) {
        this.d = d;
        this.passes = passes;
        this.rnd = rnd;
        this.trials = 2 + (int) Math.log(k);
        this.size = (int) Math.min(n, Math.max(1, maxSample));
        this.columns = new float[d][size];
        int chosen = 0;
        // Selection sampling (Knuth, TAOCP vol. 2, 3.4.2, algorithm S): sorted, one pass; every row
        // when the sample is the whole data set.
        for (int i = 0; i < n && chosen < size; i++) {
            if (size == n || (n - i) * rnd.nextDouble() < size - chosen) {
                scatterRow(x, i * d, columns, chosen);
                chosen++;
            }
        }
        this.dist = new float[size];
        this.candidateDist = new float[trials][size];
        this.candidateRows = new float[trials * d];
    }

    /**
     * Samples of at most this many descriptors are swept by the calling thread alone, block after
     * block; larger ones by every thread of the fit ({@link ParallelPasses#forEachBlock}). Each
     * seeding step is one short pass (on 4096 sampled rows about 0.1 ms of work once compiled), and
     * handing half of it to the pool's thread and waiting for it cost more than it saved. Measured
     * on the end-to-end benchmark's {@code fvec train --components 64} (12,000 x 64, 4096 sampled,
     * 6 attempts of 64 steps), fresh JVMs on the 2-core Zen 5 under load 5-7, per-thread CPU from
     * perf, 10 alternated runs each: the process 832 ms (median) against 919 ms, the pool thread
     * 146 ms against 202 ms, the calling thread 368 ms against 348 ms; whole processes, 10 other
     * alternated runs: CPU 835 ms against 880 ms, wall 1.34 s against 1.41 s. The blocks and the
     * order of their partial sums are the same either way, so are the centers.
     */
    static final int SERIAL_MAX_SAMPLE = 4096;

    /** {@code task} over the blocks of {@code [0, count)}: see {@link #SERIAL_MAX_SAMPLE}. */
    private void forEachBlock(int count, ParallelPasses.BlockTask task) {
        if (size > SERIAL_MAX_SAMPLE) {
            passes.forEachBlock(count, task);
            return;
        }
        int blocks = ParallelPasses.chunkCount(count);
        for (int b = 0; b < blocks; b++) {
            task.run(b, ParallelPasses.chunkStart(b), ParallelPasses.chunkEnd(b, count));
        }
    }

    /** Sampled descriptors. */
    int size() {
        return size;
    }

    /**
     * Sets the rows {@code targets} of {@code centers} ({@code K x D}), in order, to sampled
     * descriptors chosen greedily by {@code D²} with respect to the centers {@code existing} and
     * the targets already placed. With no center yet, the first is drawn uniformly; when every
     * sampled descriptor coincides with a center, uniformly too. {@code onPlaced} (may be null) is
     * told the number of targets placed so far after each one.
     *
     * @return the potential: the sum over the sample of {@code D²} to the nearest center
     */
    double place(float[] centers, int[] existing, int[] targets, IntConsumer onPlaced) {
        int placedCount = existing.length;
        if (placedCount > 0) {
            float[] scratch = candidateDist[0];
            forEachBlock(size, (block, from, to) -> {
                for (int e = 0; e < existing.length; e++) {
                    float[] out = e == 0 ? dist : scratch;
                    sweep(centers, existing[e] * d, 1, out, from, to);
                    if (e > 0) {
                        lowerTo(dist, scratch, from, to);
                    }
                }
            });
        }
        int blocks = ParallelPasses.chunkCount(size);
        double[] partial = new double[blocks * trials];
        for (int t = 0; t < targets.length; t++) {
            int target = targets[t];
            double total = 0;
            if (placedCount > 0) {
                total = sum(dist, 0, size);
            }
            if (!(total > 0)) {
                // First center, or every sampled point already on a center: uniformly.
                int chosen = rnd.nextInt(size);
                copyRow(chosen, centers, target * d);
                boolean first = placedCount == 0;
                float[] scratch = candidateDist[0];
                forEachBlock(size, (block, from, to) -> {
                    sweep(centers, target * d, 1, first ? dist : scratch, from, to);
                    if (!first) {
                        lowerTo(dist, scratch, from, to);
                    }
                });
            } else {
                int[] candidates = sampleProportional(total);
                for (int l = 0; l < trials; l++) {
                    copyRow(candidates[l], candidateRows, l * d);
                }
                forEachBlock(size, (block, from, to) -> {
                    sweep(candidateRows, 0, trials, null, from, to);
                    for (int l = 0; l < trials; l++) {
                        lowerTo(candidateDist[l], dist, from, to);
                    }
                    candidateSums(block * trials, partial, from, to);
                });
                int best = 0;
                double bestPotential = Double.POSITIVE_INFINITY;
                for (int l = 0; l < trials; l++) {
                    double potential = 0;
                    for (int b = 0; b < blocks; b++) {
                        potential += partial[b * trials + l];
                    }
                    if (potential < bestPotential) {
                        bestPotential = potential;
                        best = l;
                    }
                }
                System.arraycopy(candidateRows, best * d, centers, target * d, d);
                System.arraycopy(candidateDist[best], 0, dist, 0, size);
            }
            placedCount++;
            if (onPlaced != null) {
                onPlaced.accept(t + 1);
            }
        }
        return sum(dist, 0, size);
    }

    /** Copies sampled row {@code row} to {@code to[offset..offset+d)}. */
    private void copyRow(int row, float[] to, int offset) {
        for (int j = 0; j < d; j++) {
            to[offset + j] = columns[j][row];
        }
    }

    /**
     * The squared distances of sampled rows {@code [from, to)} to {@code count} points, the rows of
     * {@code points} from {@code offset} on ({@code count x d}): into {@code out[from..to)} when
     * {@code count == 1}, else into {@code candidateDist[l][from..to)} for point {@code l}. Each is
     * {@link #squaredDistance}, bit for bit: one float sum per sampled row, dimensions in order;
     * the loop over rows is the inner one, element-wise on the columns, which the JIT vectorises.
     */
    private void sweep(float[] points, int offset, int count, float[] out, int from, int to) {
        for (int l = 0; l < count; l++) {
            Arrays.fill(count == 1 && out != null ? out : candidateDist[l], from, to, 0f);
        }
        int j = 0;
        for (; j + 4 <= d; j += 4) {
            for (int l = 0; l < count; l++) {
                float[] o = count == 1 && out != null ? out : candidateDist[l];
                int at = offset + l * d + j;
                addSquares4(columns, j, points[at], points[at + 1], points[at + 2], points[at + 3], o, from, to);
            }
        }
        for (; j < d; j++) {
            float[] column = columns[j];
            for (int l = 0; l < count; l++) {
                float[] o = count == 1 && out != null ? out : candidateDist[l];
                float c = points[offset + l * d + j];
                addSquares(column, c, o, from, to);
            }
        }
    }

    // The loops below are small static methods of their own so that C2 compiles each once, small
    // and early, while the drivers above (place, the block tasks) stay cold: with the loops
    // inline, C2 compiled the drivers too, some twice (on-stack replacement, then normally), which
    // cost about 0.5 s of compiler time in a fresh JVM's K = 64 fit.

    /** Row {@code x[from..from+d)} into position {@code at} of the {@code d} columns. */
    static void scatterRow(float[] x, int from, float[][] columns, int at) {
        for (int j = 0; j < columns.length; j++) {
            columns[j][at] = x[from + j];
        }
    }

    /**
     * {@code out[i] += (column[i] - c)²} for {@code i} in {@code [from, to)}. The same index in
     * both arrays: C2 vectorises the loop only then (the arrays might alias).
     */
    static void addSquares(float[] column, float c, float[] out, int from, int to) {
        for (int i = from; i < to; i++) {
            float e = column[i] - c;
            out[i] += e * e;
        }
    }

    /**
     * {@link #addSquares} for the four columns {@code j .. j+3} and their centre coordinates
     * {@code c0 .. c3}, in that order, in one pass: {@code out[i]} is loaded and stored once for the
     * four (the same float additions in the same order as four passes, so bit for bit the same
     * sums), where the one-column loop spent a store per column on data in the core's cache.
     */
    static void addSquares4(float[][] columns, int j, float c0, float c1, float c2, float c3, float[] out, int from,
            int to) {
        float[] a = columns[j];
        float[] b = columns[j + 1];
        float[] c = columns[j + 2];
        float[] e = columns[j + 3];
        for (int i = from; i < to; i++) {
            float v = out[i];
            float t0 = a[i] - c0;
            v += t0 * t0;
            float t1 = b[i] - c1;
            v += t1 * t1;
            float t2 = c[i] - c2;
            v += t2 * t2;
            float t3 = e[i] - c3;
            v += t3 * t3;
            out[i] = v;
        }
    }

    /** {@code a[i] = min(a[i], b[i])} for {@code i} in {@code [from, to)}. */
    private static void lowerTo(float[] a, float[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            a[i] = Math.min(a[i], b[i]);
        }
    }

    /**
     * {@code partial[at + l]} = the sum of {@code candidateDist[l][from..to)}, in order, in double,
     * for every candidate {@code l}: four (then two) candidates' sums in one loop, so that their
     * chains of dependent additions overlap. Each sum is still one running sum in index order, so
     * bit for bit what a loop per candidate gives; that loop was about a third of a seeding step
     * (4096 dependent double additions per candidate).
     */
    private void candidateSums(int at, double[] partial, int from, int to) {
        int l = 0;
        for (; l + 4 <= trials; l += 4) {
            sums4(candidateDist[l], candidateDist[l + 1], candidateDist[l + 2], candidateDist[l + 3], from, to,
                    partial, at + l);
        }
        for (; l + 2 <= trials; l += 2) {
            sums2(candidateDist[l], candidateDist[l + 1], from, to, partial, at + l);
        }
        for (; l < trials; l++) {
            partial[at + l] = sum(candidateDist[l], from, to);
        }
    }

    /** {@link #sum} of four arrays, into {@code out[at .. at+3]}. */
    private static void sums4(float[] a, float[] b, float[] c, float[] e, int from, int to, double[] out, int at) {
        double sa = 0;
        double sb = 0;
        double sc = 0;
        double se = 0;
        for (int i = from; i < to; i++) {
            sa += a[i];
            sb += b[i];
            sc += c[i];
            se += e[i];
        }
        out[at] = sa;
        out[at + 1] = sb;
        out[at + 2] = sc;
        out[at + 3] = se;
    }

    /** {@link #sum} of two arrays, into {@code out[at]}, {@code out[at + 1]}. */
    private static void sums2(float[] a, float[] b, int from, int to, double[] out, int at) {
        double sa = 0;
        double sb = 0;
        for (int i = from; i < to; i++) {
            sa += a[i];
            sb += b[i];
        }
        out[at] = sa;
        out[at + 1] = sb;
    }

    /** The sum of {@code a[from..to)}, in order, in double. */
    private static double sum(float[] a, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += a[i];
        }
        return sum;
    }

    /**
     * {@link #trials} sampled indices, each drawn independently with probability
     * {@code dist[i] / total}: the uniform draws first (in this order from the fit's random
     * source), then one pass of the running sum serves all of them. It used to be one pass per
     * draw; the running sum is the same double sum in index order, so each draw lands on the same
     * index, for a sixth of the serial work (about 20 ms of a fresh JVM's K = 64 fit on 4096
     * sampled rows).
     */
    private int[] sampleProportional(double total) {
        double[] u = new double[trials];
        int[] order = new int[trials];
        for (int l = 0; l < trials; l++) {
            u[l] = rnd.nextDouble() * total;
            order[l] = l;
        }
        // Insertion sort of the draws by u (a handful): ties keep their draw order; equal draws land alike.
        for (int a = 1; a < trials; a++) {
            int o = order[a];
            int b = a - 1;
            for (; b >= 0 && u[order[b]] > u[o]; b--) {
                order[b + 1] = order[b];
            }
            order[b + 1] = o;
        }
        int[] chosen = new int[trials];
        int next = 0; // the draws order[0..next) have landed
        double cumulative = 0;
        int last = 0;
        for (int i = 0; i < size && next < trials; i++) {
            if (dist[i] > 0) {
                cumulative += dist[i];
                last = i;
                while (next < trials && cumulative > u[order[next]]) {
                    chosen[order[next++]] = i;
                }
            }
        }
        while (next < trials) {
            chosen[order[next++]] = last; // rounding: u landed at the very end
        }
        return chosen;
    }

    /**
     * {@code ||a[ao..ao+d) - b[bo..bo+d)||²} as the seeding computes it: in float, one sum, the
     * dimensions in order.
     */
    static float squaredDistance(float[] a, int ao, float[] b, int bo, int d) {
        float s = 0;
        for (int j = 0; j < d; j++) {
            float e = a[ao + j] - b[bo + j];
            s += e * e;
        }
        return s;
    }
}
