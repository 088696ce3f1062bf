package dev.fvec.train;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Greedy k-means++ seeding (D. Arthur, S. Vassilvitskii, SODA 2007, section 6; the variant
 * scikit-learn uses): each new center is the best of {@code 2 + floor(ln K)} candidates drawn
 * with probability proportional to the squared distance {@code D²} to the nearest center placed so
 * far, "best" meaning the smallest total {@code D²} after adding it. The same routine re-seeds
 * collapsed components and empty clusters, with the surviving centers as the starting set.
 *
 * <p>It works on a uniform random sample of the descriptors, drawn once per instance: for the
 * initial seeding {@code max(}{@link #MIN_SAMPLE}{@code , }{@link #SAMPLE_PER_COMPONENT}{@code * K)}
 * (all of them when {@code N} is smaller), since seeding costs
 * {@code O(sample * K * D * trials)}, which on the full data would dwarf the EM iterations (the
 * Lloyd iterations and EM that follow use every descriptor); for re-seeding, {@link #MIN_SAMPLE},
 * because it may happen at any M-step. The initial seeding is tried {@link #ATTEMPTS} times and
 * the attempt with the lowest potential (k-means cost on the sample) kept: on data with many
 * local optima this makes a bad start much rarer, for three times the (small) seeding cost.
 *
 * <p>Reproducible: distances are element-wise and the candidate totals are reduced in fixed block
 * order, so the centers depend on the seed only, not on the thread count.
 */
final class Seeding {

    /** Descriptors sampled per component for the initial seeding. */
    static final int SAMPLE_PER_COMPONENT = 32;

    /** Smallest sample (when {@code N} allows), and the re-seeding sample. */
    static final int MIN_SAMPLE = 4096;

    /** Initial seedings tried; the one with the lowest potential on the sample is kept. */
    static final int ATTEMPTS = 3;

    private final float[] x;
    private final int d;
    private final ParallelPasses passes;
    private final SplittableRandom rnd;
    private final int trials;
    private final int[] rows; // sampled row indices, ascending
    private final double[] dist; // D² of each sampled row to its nearest placed center

    /** A seeding over a sample of at most {@code maxSample} of the {@code n} descriptors. */
    Seeding(float[] x, int n, int d, int k, long maxSample, ParallelPasses passes, SplittableRandom rnd) {
        this.x = x;
        this.d = d;
        this.passes = passes;
        this.rnd = rnd;
        this.trials = 2 + (int) Math.log(k);
        int size = (int) Math.min(n, Math.max(1, maxSample));
        this.rows = new int[size];
        if (size == n) {
            for (int i = 0; i < n; i++) {
                rows[i] = i;
            }
        } else {
            // Selection sampling (Knuth, TAOCP vol. 2, 3.4.2, algorithm S): sorted, no extra memory.
            int chosen = 0;
            for (int i = 0; i < n && chosen < size; i++) {
                if ((n - i) * rnd.nextDouble() < size - chosen) {
                    rows[chosen++] = i;
                }
            }
        }
        this.dist = new double[size];
    }

    /**
     * Sets the rows {@code targets} of {@code centers} ({@code K x D}), in order, to sampled
     * descriptors chosen greedily by {@code D²} with respect to the centers {@code existing} and
     * the targets already placed. With no center yet, the first is drawn uniformly; when every
     * sampled descriptor coincides with a center, uniformly too.
     *
     * @return the potential: the sum over the sample of {@code D²} to the nearest center
     */
    double place(float[] centers, int[] existing, int[] targets) {
        int size = rows.length;
        boolean placedAny = existing.length > 0;
        if (placedAny) {
            passes.forEachBlock(size, (block, from, to) -> {
                for (int i = from; i < to; i++) {
                    double best = Double.POSITIVE_INFINITY;
                    for (int c : existing) {
                        best = Math.min(best, squaredDistance(x, rows[i] * d, centers, c * d, d));
                    }
                    dist[i] = best;
                }
            });
        }
        int blocks = ParallelPasses.chunkCount(size);
        double[] partial = new double[blocks * trials];
        int[] candidates = new int[trials];
        for (int target : targets) {
            int chosen;
            double total = 0;
            if (placedAny) {
                for (int i = 0; i < size; i++) {
                    total += dist[i];
                }
            }
            if (!(total > 0)) {
                chosen = rnd.nextInt(size); // first center, or every point already on a center
            } else {
                for (int l = 0; l < trials; l++) {
                    candidates[l] = sampleProportional(total);
                }
                Arrays.fill(partial, 0);
                passes.forEachBlock(size, (block, from, to) -> {
                    for (int i = from; i < to; i++) {
                        int xi = rows[i] * d;
                        for (int l = 0; l < trials; l++) {
                            double dl = Math.min(dist[i], squaredDistance(x, xi, x, rows[candidates[l]] * d, d));
                            partial[block * trials + l] += dl;
                        }
                    }
                });
                chosen = candidates[0];
                double bestPotential = Double.POSITIVE_INFINITY;
                for (int l = 0; l < trials; l++) {
                    double potential = 0;
                    for (int b = 0; b < blocks; b++) {
                        potential += partial[b * trials + l];
                    }
                    if (potential < bestPotential) {
                        bestPotential = potential;
                        chosen = candidates[l];
                    }
                }
            }
            System.arraycopy(x, rows[chosen] * d, centers, target * d, d);
            boolean first = !placedAny;
            passes.forEachBlock(size, (block, from, to) -> {
                for (int i = from; i < to; i++) {
                    double di = squaredDistance(x, rows[i] * d, centers, target * d, d);
                    dist[i] = first ? di : Math.min(dist[i], di);
                }
            });
            placedAny = true;
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
        for (int i = 0; i < dist.length; i++) {
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

    /** {@code ||a[ao..ao+d) - b[bo..bo+d)||²} in double, four accumulators for throughput. */
    static double squaredDistance(float[] a, int ao, float[] b, int bo, int d) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 3 < d; j += 4) {
            double e0 = (double) a[ao + j] - b[bo + j];
            double e1 = (double) a[ao + j + 1] - b[bo + j + 1];
            double e2 = (double) a[ao + j + 2] - b[bo + j + 2];
            double e3 = (double) a[ao + j + 3] - b[bo + j + 3];
            s0 += e0 * e0;
            s1 += e1 * e1;
            s2 += e2 * e2;
            s3 += e3 * e3;
        }
        for (; j < d; j++) {
            double e = (double) a[ao + j] - b[bo + j];
            s0 += e * e;
        }
        return (s0 + s1) + (s2 + s3);
    }
}
