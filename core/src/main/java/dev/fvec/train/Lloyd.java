package dev.fvec.train;

import dev.fvec.GmmStatistics;
import dev.fvec.spi.StatisticsAccess;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.IntConsumer;

/**
 * Lloyd's k-means iterations on every row, until the centers settle, as scikit-learn's
 * {@code KMeans} runs them before its {@code GaussianMixture} EM: each row goes to its nearest
 * center, each center moves to the mean of its rows; stop when no row changes cluster, when an
 * update moves the centers by at most a tolerance in all (the sum over centers of the squared
 * distance each moved; scikit-learn's rule), or after a given number of updates; then the rows are
 * assigned once more to the final centers, and the statistics of that assignment returned.
 *
 * <p><b>Most rows are not looked at again.</b> Hamerly's bounds (G. Hamerly, "Making k-means even
 * faster", SDM 2010): each row keeps an upper bound {@code u} on the distance to its center and a
 * lower bound {@code l} on the distance to every other center. When the centers move by
 * {@code delta_c}, {@code u} grows by its center's move and {@code l} shrinks by the largest move of
 * another center; a row whose {@code u} is at most {@code max(l, s_a)} ({@code s_a}: half the
 * distance from its center to the nearest other one) keeps its center without a distance computed.
 * Otherwise {@code u} is tightened (one distance), and only if the test still fails are all
 * {@code K} distances computed. After the first few updates most rows pass the first test, so an
 * update costs far less than a pass over {@code N x K x D}. The tests carry a relative slack of
 * {@link #SLACK} (well above the float rounding of a distance of up to a few thousand terms), so a
 * row is skipped only when its center is the nearest by more than rounding.
 *
 * <p><b>Distances</b>: {@code |x - mu|^2} in float, one sum over the dimensions in order (as
 * {@link Seeding#squaredDistance}); a row's {@code K} distances are computed together from the
 * centers stored by dimension ({@code D x K}), the loop over centers innermost and element-wise,
 * which the JIT compiles to vector instructions. Ties go to the lowest index.
 *
 * <p><b>Reproducible</b>: every decision about a row depends on that row and the centers only;
 * rows are cut into the fixed blocks of {@link ParallelPasses#forEachBlock}, and the cluster sums
 * are updated from the rows that changed cluster, block by block in row order, after each pass; so
 * the centers depend on the inputs only, not on the thread count.
 */
final class Lloyd {

    /** Relative slack of the bound tests (distances, not squared). */
    static final float SLACK = 1e-4f;

    /** Re-seeds empty clusters: sets rows {@code targets} of {@code centers} given the rows {@code existing}. */
    interface Reseeder {
        void reseed(float[] centers, int[] existing, int[] targets);
    }

    private final float[] x;
    private final int n;
    private final int d;
    private final int k;
    private final ParallelPasses passes;
    private final int[] assignment;
    private final float[] upper; // >= distance of each row to its center
    private final float[] lower; // <= distance of each row to every other center
    private final ConcurrentLinkedQueue<float[]> scratch = new ConcurrentLinkedQueue<>();
    private final int[][] changed; // per block: rows that changed cluster in the last pass, then their old clusters
    private final int[] changedCount; // per block
    private long fullScans; // rows whose K distances were all computed, over all passes

    Lloyd(float[] x, int n, int d, int k, ParallelPasses passes) {
        this.x = x;
        this.n = n;
        this.d = d;
        this.k = k;
        this.passes = passes;
        this.assignment = new int[n];
        this.upper = new float[n];
        this.lower = new float[n];
        int blocks = ParallelPasses.chunkCount(n);
        this.changed = new int[blocks][];
        this.changedCount = new int[blocks];
    }

    /** Rows whose distances to all {@code K} centers were computed, in all passes so far (for tests and tuning). */
    long fullScans() {
        return fullScans;
    }

    /**
     * Runs at most {@code iterations} center updates from {@code centers} ({@code K x D}, updated in
     * place), stopping early as the class comment says; {@code shiftTolerance} is the bound on the
     * summed squared center moves. {@code onIteration} (may be null) is told the number of updates
     * made after each.
     *
     * @return the hard-assignment statistics of the rows under the final centers: {@code S0} the
     *     cluster sizes, {@code S1}, {@code S2} the sums of the rows and of their squares, in double,
     *     summed in row order
     */
    GmmStatistics run(float[] centers, int iterations, double shiftTolerance, Reseeder reseeder,
            IntConsumer onIteration) {
        assignToSeeds(centers);
        if (iterations == 0) {
            return statistics(); // the cluster sums below are for the updates only
        }
        double[] count = new double[k];
        double[] sums = new double[k * d];
        for (int i = 0; i < n; i++) {
            int c = assignment[i];
            count[c]++;
            addRow(sums, c, i, 1);
        }
        float[] moves = new float[k];
        for (int iteration = 0; iteration < iterations; iteration++) {
            float[] next = new float[k * d];
            int[] kept = new int[k];
            int[] empty = new int[k];
            int keptCount = 0;
            int emptyCount = 0;
            for (int c = 0; c < k; c++) {
                if (count[c] > 0) {
                    kept[keptCount++] = c;
                    for (int j = 0; j < d; j++) {
                        next[c * d + j] = (float) (sums[c * d + j] / count[c]);
                    }
                } else {
                    empty[emptyCount++] = c;
                }
            }
            if (emptyCount > 0) {
                reseeder.reseed(next, Arrays.copyOf(kept, keptCount), Arrays.copyOf(empty, emptyCount));
            }
            if (onIteration != null) {
                onIteration.accept(iteration + 1);
            }
            double shift = 0;
            for (int c = 0; c < k; c++) {
                double squared = 0;
                for (int j = 0; j < d; j++) {
                    double e = (double) next[c * d + j] - centers[c * d + j];
                    squared += e * e;
                }
                shift += squared;
                // Rounded up, so the bounds stay bounds.
                moves[c] = squared == 0 ? 0f : Math.nextUp((float) Math.sqrt(squared));
            }
            if (shift == 0) {
                return statistics(); // no center moved: the assignment is that of these centers
            }
            System.arraycopy(next, 0, centers, 0, next.length);
            float[] byDimension = transpose(centers);
            float[] half = halfGaps(byDimension);
            int changes = reassign(centers, byDimension, half, moves);
            if (changes == 0) {
                return statistics();
            }
            for (int b = 0; b < changed.length; b++) {
                int[] rows = changed[b];
                for (int t = 0; t < changedCount[b]; t++) {
                    int i = rows[2 * t];
                    int from = rows[2 * t + 1];
                    int to = assignment[i];
                    count[from]--;
                    count[to]++;
                    addRow(sums, from, i, -1);
                    addRow(sums, to, i, 1);
                }
            }
            if (emptyCount == 0 && shift <= shiftTolerance) {
                return statistics(); // settled; the rows are assigned to the final centers
            }
        }
        return statistics();
    }

    /**
     * One assignment pass with Hamerly's tests after the centers moved by {@code moves}; records the
     * rows that changed cluster per block.
     *
     * @return how many rows changed cluster
     */
    private int reassign(float[] centers, float[] byDimension, float[] half, float[] moves) {
        int largest = 0;
        for (int c = 1; c < k; c++) {
            if (moves[c] > moves[largest]) {
                largest = c;
            }
        }
        float secondMove = 0;
        for (int c = 0; c < k; c++) {
            if (c != largest) {
                secondMove = Math.max(secondMove, moves[c]);
            }
        }
        float largestMove = moves[largest];
        float second = secondMove;
        int at = largest;
        long[] scans = new long[changed.length];
        passes.forEachBlock(n, (block, from, to) -> {
            float[] acc = null;
            int found = 0;
            int[] rows = changed[block];
            for (int i = from; i < to; i++) {
                int a = assignment[i];
                float u = upper[i] + moves[a];
                float l = lower[i] - (a == at ? second : largestMove);
                float bound = Math.max(l, half[a]) * (1 - SLACK);
                if (u <= bound) {
                    upper[i] = u;
                    lower[i] = l;
                    continue;
                }
                u = (float) Math.sqrt(Seeding.squaredDistance(x, i * d, centers, a * d, d));
                if (u <= bound) {
                    upper[i] = u;
                    lower[i] = l;
                    continue;
                }
                if (acc == null) {
                    acc = take();
                }
                scans[block]++;
                scan(i, byDimension, acc);
                if (assignment[i] != a) {
                    if (rows == null || rows.length < 2 * (found + 1)) {
                        rows = Arrays.copyOf(rows == null ? new int[0] : rows, Math.max(16, 2 * (2 * found + 2)));
                    }
                    rows[2 * found] = i;
                    rows[2 * found + 1] = a;
                    found++;
                }
            }
            changed[block] = rows;
            changedCount[block] = found;
            if (acc != null) {
                scratch.add(acc);
            }
        });
        int total = 0;
        for (int b = 0; b < changed.length; b++) {
            total += changedCount[b];
            fullScans += scans[b];
        }
        return total;
    }

    /** Rows per sub-block of {@link #assignToSeeds}: their {@code D} columns stay in the core's cache. */
    static final int SEED_ROWS = 256;

    /** One thread's scratch of {@link #assignToSeeds}. */
    private static final class SeedScratch {
        final float[][] columns;
        final float[] dist = new float[SEED_ROWS];
        final float[] best = new float[SEED_ROWS];
        final float[] second = new float[SEED_ROWS];
        final int[] nearest = new int[SEED_ROWS];

        SeedScratch(int d) {
            columns = new float[d][SEED_ROWS];
        }
    }

    private final ConcurrentLinkedQueue<SeedScratch> seedScratch = new ConcurrentLinkedQueue<>();

    /**
     * The first pass: every row to its nearest seed, with its bounds, as {@link #scan} would set
     * them, bit for bit (the same float sums, {@code (c - x)^2} being {@code (x - c)^2} exactly, the
     * dimensions in order; ties to the lowest index). Computed as the seeding computes its distances
     * ({@link Seeding#addSquares4}, {@link Seeding#addSquares}: sub-blocks of rows stored by column, the loop over rows
     * innermost), so it runs on code the seeding has just had compiled instead of code of its own:
     * in a fresh JVM's {@code fvec train --components 64} on 12,000 rows, this pass took 80-100 ms
     * with {@link #scan} (interpreted, then compiled while it ran) against about 10 ms.
     */
    private void assignToSeeds(float[] centers) {
        passes.forEachBlock(n, (block, from, to) -> {
            SeedScratch s = seedScratch.poll();
            if (s == null) {
                s = new SeedScratch(d);
            }
            for (int start = from; start < to; start += SEED_ROWS) {
                int rows = Math.min(SEED_ROWS, to - start);
                for (int r = 0; r < rows; r++) {
                    Seeding.scatterRow(x, (start + r) * d, s.columns, r);
                }
                for (int c = 0; c < k; c++) {
                    float[] dist = c == 0 ? s.best : s.dist;
                    Arrays.fill(dist, 0, rows, 0f);
                    int at = c * d;
                    int j = 0;
                    for (; j + 4 <= d; j += 4) {
                        Seeding.addSquares4(s.columns, j, centers[at + j], centers[at + j + 1], centers[at + j + 2],
                                centers[at + j + 3], dist, 0, rows);
                    }
                    for (; j < d; j++) {
                        Seeding.addSquares(s.columns[j], centers[at + j], dist, 0, rows);
                    }
                    if (c == 0) {
                        Arrays.fill(s.second, 0, rows, Float.POSITIVE_INFINITY);
                        Arrays.fill(s.nearest, 0, rows, 0);
                    } else {
                        nearestTwo(s.dist, s.best, s.second, s.nearest, c, rows);
                    }
                }
                for (int r = 0; r < rows; r++) {
                    int i = start + r;
                    assignment[i] = s.nearest[r];
                    upper[i] = (float) Math.sqrt(s.best[r]);
                    lower[i] = (float) Math.sqrt(s.second[r]);
                }
            }
            seedScratch.add(s);
        });
    }

    /** Center {@code c}'s distances {@code dist} into the nearest and second-nearest so far, as {@link #scan} keeps them. */
    private static void nearestTwo(float[] dist, float[] best, float[] second, int[] nearest, int c, int rows) {
        for (int r = 0; r < rows; r++) {
            float v = dist[r];
            if (v < best[r]) {
                second[r] = best[r];
                best[r] = v;
                nearest[r] = c;
            } else if (v < second[r]) {
                second[r] = v;
            }
        }
    }

    /**
     * All {@code K} squared distances of row {@code i} (into {@code acc}), then its nearest center,
     * the distance to it and to the second nearest as its bounds (ties: the lowest index).
     */
    private void scan(int i, float[] byDimension, float[] acc) {
        Arrays.fill(acc, 0, k, 0f);
        int row = i * d;
        for (int j = 0; j < d; j++) {
            addSquares(byDimension, j * k, x[row + j], acc, k);
        }
        int best = 0;
        float bestDist = acc[0];
        float secondDist = Float.POSITIVE_INFINITY;
        for (int c = 1; c < k; c++) {
            float v = acc[c];
            if (v < bestDist) {
                secondDist = bestDist;
                bestDist = v;
                best = c;
            } else if (v < secondDist) {
                secondDist = v;
            }
        }
        assignment[i] = best;
        upper[i] = (float) Math.sqrt(bestDist);
        lower[i] = (float) Math.sqrt(secondDist);
    }

    /** {@code acc[c] += (centers[offset + c] - v)^2} for {@code c < k}: element-wise, vectorised by the JIT. */
    private static void addSquares(float[] centers, int offset, float v, float[] acc, int k) {
        for (int c = 0; c < k; c++) {
            float e = centers[offset + c] - v;
            acc[c] += e * e;
        }
    }

    /** Adds {@code sign} times row {@code i} to cluster {@code c}'s sums. */
    private void addRow(double[] sums, int c, int i, int sign) {
        int row = i * d;
        int at = c * d;
        for (int j = 0; j < d; j++) {
            sums[at + j] += sign * (double) x[row + j];
        }
    }

    /** The statistics of the current assignment, summed in row order. */
    private GmmStatistics statistics() {
        GmmStatistics stats = new GmmStatistics(k, d);
        double[] s0 = StatisticsAccess.s0(stats);
        double[] s1 = StatisticsAccess.s1(stats);
        double[] s2 = StatisticsAccess.s2(stats);
        for (int i = 0; i < n; i++) {
            int c = assignment[i];
            s0[c]++;
            int row = i * d;
            int at = c * d;
            for (int j = 0; j < d; j++) {
                double v = x[row + j];
                s1[at + j] += v;
                s2[at + j] += v * v;
            }
        }
        return stats;
    }

    /** The {@code K x D} centers stored by dimension, {@code D x K}. */
    private float[] transpose(float[] centers) {
        float[] t = new float[d * k];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                t[j * k + c] = centers[c * d + j];
            }
        }
        return t;
    }

    /**
     * Half the distance from each center to the nearest other one, rounded down (0 when two
     * coincide; the largest float when K = 1, where every row keeps its only center).
     */
    private float[] halfGaps(float[] byDimension) {
        float[] half = new float[k];
        float[] acc = new float[k];
        for (int c = 0; c < k; c++) {
            Arrays.fill(acc, 0f);
            for (int j = 0; j < d; j++) {
                addSquares(byDimension, j * k, byDimension[j * k + c], acc, k);
            }
            float nearest = Float.POSITIVE_INFINITY;
            for (int o = 0; o < k; o++) {
                if (o != c && acc[o] < nearest) {
                    nearest = acc[o];
                }
            }
            half[c] = Math.nextDown((float) (0.5 * Math.sqrt(nearest)));
        }
        return half;
    }

    private float[] take() {
        float[] acc = scratch.poll();
        return acc != null ? acc : new float[k];
    }
}
