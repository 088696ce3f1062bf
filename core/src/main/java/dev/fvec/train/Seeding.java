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
 * into one contiguous array: {@code min(N, max(}{@link #MIN_SAMPLE}{@code , }{@link
 * #SAMPLE_PER_COMPONENT}{@code * K))} for the initial seeding (the Lloyd iterations and EM that
 * follow use every descriptor), {@link #RESEED_SAMPLE} for re-seeding. A larger sample improved
 * the held-out likelihood at K = 256 as much as the best of several attempts did, for less time
 * (see {@link #SAMPLE_PER_COMPONENT}); small K, which are cheap to seed, get several attempts
 * ({@link #attempts}).
 *
 * <p><b>Cost.</b> Each candidate needs {@code min(D²_i, |x_i - c|²)} for every sampled {@code x_i};
 * two exact shortcuts skip part of the arithmetic once a few centers are placed:
 * <ul>
 *   <li>if {@code |c - a|² >= 4 D²_i}, where {@code a} is the center nearest to {@code x_i}, the
 *       triangle inequality gives {@code |x_i - c| >= |x_i - a|}: {@code x_i} is skipped (the
 *       center-to-center distances cost {@code O(K * D)} per candidate, not per point);</li>
 *   <li>otherwise the distance is summed 16 dimensions at a time and abandoned as soon as the
 *       partial sum reaches {@code D²_i} (partial sums of squares only grow, also in floating
 *       point, so the minimum is the same as with the full sum).</li>
 * </ul>
 * The chosen candidate's distances are kept, so placing it costs no further pass. The centers are
 * bit for bit those of the plain computation.
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

    /** Smallest initial sample (when {@code N} allows): small K are cheap to seed anyway. */
    static final int MIN_SAMPLE = 8192;

    /** The re-seeding sample: re-seeding may happen at any M-step, so it stays small. */
    static final int RESEED_SAMPLE = 4096;

    /**
     * The triangle-inequality skip needs {@code |c - a|² >= 4 D²_i}; this factor keeps it clear of
     * rounding in the double sums, so a skipped point provably keeps its {@code D²}.
     */
    private static final double SKIP_MARGIN = 4 * (1 + 1e-9);

    private final int d;
    private final int size;
    private final float[] sample; // size x d, the sampled rows in ascending row order
    private final ParallelPasses passes;
    private final SplittableRandom rnd;
    private final int trials;
    private final double[] dist; // D² of each sampled row to its nearest placed center
    private final int[] nearest; // that center's index
    private final double[][] candidateDist; // per trial: min(dist, D² to the candidate)
    private final double[][] gap; // per trial: squared distance from the candidate to each center

    /**
     * Seeding work (sampled descriptors times K) per {@code fit} up to which several attempts are
     * made: 3 up to K = 64 on 8192 sampled descriptors, 2 up to K = 96, then one. Measured (issue 12,
     * item 3) on the end-to-end benchmark's 12,000 x 64 training set (256 rotated anisotropic
     * Gaussians), K = 64, mean held-out log-likelihood of 6 seeds: -119.99 with one attempt,
     * -119.49 with the best of 3, -119.37 of 5 (scikit-learn: -119.46), each attempt costing about
     * 0.1 s of CPU there; at K = 256 an attempt costs about 1 s, where a larger sample did as much
     * as more attempts (see {@link #SAMPLE_PER_COMPONENT}).
     */
    static final long ATTEMPT_BUDGET = 3L * 8192 * 64;

    /** Greedy attempts for a sample of {@code size} descriptors: {@code clamp(budget / (size K), 1, 3)}. */
    static int attempts(int size, int k) {
        return (int) Math.max(1, Math.min(3, ATTEMPT_BUDGET / ((long) size * k)));
    }

    /** The initial seeding's sample size before the cap at {@code N}: {@code max(8192, 64 K)}. */
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
        this.sample = new float[Math.toIntExact((long) size * d)];
        if (size == n) {
            System.arraycopy(x, 0, sample, 0, sample.length);
        } else {
            // Selection sampling (Knuth, TAOCP vol. 2, 3.4.2, algorithm S): sorted, one pass.
            int chosen = 0;
            for (int i = 0; i < n && chosen < size; i++) {
                if ((n - i) * rnd.nextDouble() < size - chosen) {
                    System.arraycopy(x, i * d, sample, chosen * d, d);
                    chosen++;
                }
            }
        }
        this.dist = new double[size];
        this.nearest = new int[size];
        this.candidateDist = new double[trials][size];
        this.gap = new double[trials][k];
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
        int[] placed = Arrays.copyOf(existing, existing.length + targets.length);
        int placedCount = existing.length;
        if (placedCount > 0) {
            passes.forEachBlock(size, (block, from, to) -> {
                for (int i = from; i < to; i++) {
                    double best = Double.POSITIVE_INFINITY;
                    int arg = existing[0];
                    for (int c : existing) {
                        double dc = squaredDistance(sample, i * d, centers, c * d, d, best);
                        if (dc < best) {
                            best = dc;
                            arg = c;
                        }
                    }
                    dist[i] = best;
                    nearest[i] = arg;
                }
            });
        }
        int blocks = ParallelPasses.chunkCount(size);
        double[] partial = new double[blocks * trials];
        int[] candidates = new int[trials];
        for (int t = 0; t < targets.length; t++) {
            int target = targets[t];
            double total = 0;
            if (placedCount > 0) {
                for (int i = 0; i < size; i++) {
                    total += dist[i];
                }
            }
            if (!(total > 0)) {
                // First center, or every sampled point already on a center: uniformly.
                int chosen = rnd.nextInt(size);
                System.arraycopy(sample, chosen * d, centers, target * d, d);
                boolean first = placedCount == 0;
                passes.forEachBlock(size, (block, from, to) -> {
                    for (int i = from; i < to; i++) {
                        double di = squaredDistance(sample, i * d, centers, target * d, d,
                                first ? Double.POSITIVE_INFINITY : dist[i]);
                        if (first || di < dist[i]) {
                            dist[i] = di;
                            nearest[i] = target;
                        }
                    }
                });
            } else {
                for (int l = 0; l < trials; l++) {
                    candidates[l] = sampleProportional(total);
                    for (int p = 0; p < placedCount; p++) {
                        int c = placed[p];
                        gap[l][c] = squaredDistance(sample, candidates[l] * d, centers, c * d, d,
                                Double.POSITIVE_INFINITY);
                    }
                }
                passes.forEachBlock(size, (block, from, to) -> {
                    for (int l = 0; l < trials; l++) {
                        double[] cd = candidateDist[l];
                        double[] g = gap[l];
                        int co = candidates[l] * d;
                        double sum = 0;
                        for (int i = from; i < to; i++) {
                            double di = dist[i];
                            if (!(g[nearest[i]] >= SKIP_MARGIN * di)) {
                                di = Math.min(di, squaredDistance(sample, i * d, sample, co, d, di));
                            }
                            cd[i] = di;
                            sum += di;
                        }
                        partial[block * trials + l] = sum;
                    }
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
                System.arraycopy(sample, candidates[best] * d, centers, target * d, d);
                double[] cd = candidateDist[best];
                for (int i = 0; i < size; i++) {
                    if (cd[i] < dist[i]) {
                        dist[i] = cd[i];
                        nearest[i] = target;
                    }
                }
            }
            placed[placedCount++] = target;
            if (onPlaced != null) {
                onPlaced.accept(t + 1);
            }
        }
        double potential = 0;
        for (int i = 0; i < size; i++) {
            potential += dist[i];
        }
        return potential;
    }

    /** A sampled index drawn with probability {@code dist[i] / total}. */
    private int sampleProportional(double total) {
        double u = rnd.nextDouble() * total;
        double cumulative = 0;
        int last = 0;
        for (int i = 0; i < size; i++) {
            if (dist[i] > 0) {
                cumulative += dist[i];
                last = i;
                if (cumulative > u) {
                    return i;
                }
            }
        }
        return last; // rounding: u landed at the very end
    }

    /**
     * {@code ||a[ao..ao+d) - b[bo..bo+d)||²} in double, four accumulators for throughput; once a
     * partial sum (checked every 16 dimensions) reaches {@code bound}, that partial sum, which is
     * then {@code >= bound} and {@code <=} the full one. Below {@code bound} the result is the full
     * sum, bit for bit whatever the bound.
     */
    static double squaredDistance(float[] a, int ao, float[] b, int bo, int d, double bound) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int end4 = d & ~3;
        int j = 0;
        while (j < end4) {
            int stop = Math.min(end4, j + 16);
            for (; j < stop; j += 4) {
                double e0 = (double) a[ao + j] - b[bo + j];
                double e1 = (double) a[ao + j + 1] - b[bo + j + 1];
                double e2 = (double) a[ao + j + 2] - b[bo + j + 2];
                double e3 = (double) a[ao + j + 3] - b[bo + j + 3];
                s0 += e0 * e0;
                s1 += e1 * e1;
                s2 += e2 * e2;
                s3 += e3 * e3;
            }
            double partial = (s0 + s1) + (s2 + s3);
            if (partial >= bound) {
                return partial;
            }
        }
        for (; j < d; j++) {
            double e = (double) a[ao + j] - b[bo + j];
            s0 += e * e;
        }
        return (s0 + s1) + (s2 + s3);
    }
}
