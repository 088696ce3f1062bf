package dev.fvec.simd;

import dev.fvec.DiagonalGmm;
import java.util.Arrays;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Where a model's components lie relative to each other, for the seeded pruning of
 * {@link SimdKernel} (see {@code SimdKernel#seededBatch}): an order of the components that puts
 * near ones in the same group of lanes, and for each component the distance to the nearest
 * component of every group, in the metric {@code ||y||^2 = sum_j hmin_j y_j^2},
 * {@code hmin_j = min_k 1 / (2 var_kj)}, under which every component's quadratic term is at least
 * the squared distance ({@code (x - mu_k)^2 / (2 var_k) >= hmin (x - mu_k)^2}, per dimension).
 *
 * <p>The triangle inequality then bounds every component of a group from a single "seed"
 * component {@code s} at distance {@code r} from the descriptor: {@code quad_k >= max(0,
 * dist(s, k) - r)^2}. A model whose components form clusters (most trained models at K in the
 * hundreds) keeps most of its groups out of reach of most descriptors.
 *
 * <p>The order pays without pruning too: near components in the same group leave fewer groups
 * with a lane near a descriptor's max, which are all the exps and the kept terms visit. K = 64,
 * D = 128 at 512 bits (4 groups, not pruned then), ordered against not (JarAB, Zen 5, Temurin
 * 25, t = 1e-6, whole encodes): 0.945, 0.953, 0.952; t = 0 0.962, hard 0.959; E-step 0.955.
 * So every model of two groups or more has one, and {@link #prunes} says whether it also prunes.
 *
 * <p>Computing it costs {@code K^2 D} operations (about 20 ms at K = 1024, D = 64), so it is
 * computed once per model and shared (models are immutable; the cache holds them weakly); models
 * where it would cost more than {@link #MAX_WORK} have none (no order, no pruning).
 */
final class GroupGeometry {

    /** Largest {@code K^2 D} computed: K = 2048 at D = 64. */
    static final long MAX_WORK = 1L << 28;

    /**
     * Fewest groups of lanes for a block's union ({@code SimdKernel#seededBatch}): every group that
     * some descriptor of a block cannot rule out is computed for all of the block. Choosing a seed
     * costs about one group's pass (the centres'), the bookkeeping about another. Below this, from
     * {@link #MIN_GATHERED_GROUPS}, each descriptor's groups are gathered instead. With K = 64 at
     * 512 bits (4 groups, D = 128, synthetic, 42% of the pairs skipped) a seeded encode with the
     * union took 782 us against 626 unpruned; the log-likelihoods alone, seeded at every batch
     * ({@code PruneAB ... ll}), 495 against 402 us in session 24, and the seeds chosen on 16 of the
     * dimensions (the centres' pass an eighth as long) 400 against 390 (49% skipped) but 64 x 256
     * lost a fifth of its skipped pairs.
     */
    static final int MIN_GROUPS = 8;

    /**
     * Fewest groups of lanes to prune among at all where {@link #GATHERS}. From here to
     * {@link #MIN_GROUPS} the groups a descriptor cannot rule out are gathered per group over the
     * whole batch (blocks of their own) and the seeds chosen on the first
     * {@link Seeds#FEW_GROUPS_SEED_DIMENSIONS} dimensions: at 4 groups a block's union computes
     * most groups (an offline count: 1.32 of 4 groups needed per descriptor, but 2.3 per sorted
     * block of 8). At 16 groups (64 x 256) gathering lost to the union (0.78-0.81 of the unpruned
     * encode against 0.73-0.74; session 29's prototype).
     */
    static final int MIN_GATHERED_GROUPS = 4;

    /**
     * Whether models of {@link #MIN_GATHERED_GROUPS} to {@link #MIN_GROUPS} groups prune (gathered
     * groups): from JDK 21 on, unless {@code -Dfvec.simd.gather=false}. K = 64, D = 128 at 512 bits
     * (4 groups), t = 1e-6, whole encodes against the unpruned kernel (JarAB, Zen 5, 6 JVMs):
     * Temurin 25 0.961 (0.923-0.989); JDK 17 1.03-1.13 in every variant tried, its float reductions
     * (in lane order, one long chain: the seeds' and radii's sums) and mask-to-bits conversions
     * costing more than the groups saved. Auto kernels use them only after a warm-up of their own
     * ({@code VectorWarmUp#gatheredPhase}), which only processes with such models pay for.
     */
    static final boolean GATHERS = Runtime.version().feature() >= 21
            && Boolean.parseBoolean(System.getProperty("fvec.simd.gather", "true"));

    private static final Map<DiagonalGmm, GroupGeometry> CACHE = new WeakHashMap<>();

    final int lanes;
    /**
     * Whether seeded pruning applies: at least {@link #MIN_GATHERED_GROUPS} groups (where
     * {@link #GATHERS}, else {@link #MIN_GROUPS}) and
     * {@link SimdKernel#MIN_PRUNE_DIMENSION} dimensions (else only the order is used).
     */
    final boolean prunes;
    /** Lane position {@code p < K} holds component {@code order[p]}. */
    final int[] order;
    /** D: {@code hmin_j}. */
    final double[] hmin;
    /** Groups rounded up to a multiple of lanes (0 without {@link #prunes}). */
    final int groupsPadded;
    /**
     * K rows of {@link #groupsPadded}, by lane position: the distance from component
     * {@code order[p]} to the nearest component of group {@code g} ({@code 0} for its own group),
     * rounded down to float; {@code +inf} past the groups. Shared by every kernel of the model
     * (K^2 / lanes floats: 1 MB at K = 2048 and 16 lanes).
     */
    final float[] nearestDown;
    /** Groups x D: the mean of each group's means (the groups' centres, for choosing seeds); empty without {@link #prunes}. */
    final float[] centres;

    private GroupGeometry(int lanes, boolean prunes, int[] order, double[] hmin, int groupsPadded, float[] nearestDown, float[] centres) {
        this.lanes = lanes;
        this.prunes = prunes;
        this.order = order;
        this.hmin = hmin;
        this.groupsPadded = groupsPadded;
        this.nearestDown = nearestDown;
        this.centres = centres;
    }

    /** The geometry of {@code model} for groups of {@code lanes}, or null: one group, or too large. */
    static GroupGeometry of(DiagonalGmm model, int lanes) {
        int k = model.components();
        int d = model.dimension();
        if (k <= lanes || (long) k * k * d > MAX_WORK) {
            return null;
        }
        synchronized (CACHE) {
            GroupGeometry g = CACHE.get(model);
            if (g != null && g.lanes == lanes) {
                return g;
            }
        }
        GroupGeometry g = compute(model, lanes);
        synchronized (CACHE) {
            CACHE.put(model, g);
        }
        return g;
    }

    /** The distance between components {@code a} and {@code b} in the metric, from their scaled means (rows of D). */
    private static double distance(double[] scaled, int a, int b, int d) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            double y = scaled[a * d + j] - scaled[b * d + j];
            s += y * y;
        }
        return Math.sqrt(s);
    }

    private static GroupGeometry compute(DiagonalGmm model, int lanes) {
        int k = model.components();
        int d = model.dimension();
        float[] means = model.means();
        float[] vars = model.variances();
        double[] hmin = new double[d];
        Arrays.fill(hmin, Double.POSITIVE_INFINITY);
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                hmin[j] = Math.min(hmin[j], 0.5 / vars[c * d + j]);
            }
        }
        double[] scaled = new double[k * d];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                scaled[c * d + j] = means[c * d + j] * Math.sqrt(hmin[j]);
            }
        }
        boolean prunes = k > ((GATHERS ? MIN_GATHERED_GROUPS : MIN_GROUPS) - 1) * lanes && d >= SimdKernel.MIN_PRUNE_DIMENSION;
        // Pruning needs every distance (nearestDown); the order alone only each group's first
        // component's row: groups x K x D rather than K^2 D / 2 (a model per EM iteration in
        // training: 0.5 ms at K = 64, D = 64 with every distance, against a few ms of E-step).
        double[] dist = new double[prunes ? k * k : k]; // without pruning: the current first's row
        if (prunes) {
            for (int a = 0; a < k; a++) {
                for (int b = a + 1; b < k; b++) {
                    dist[a * k + b] = dist[b * k + a] = distance(scaled, a, b, d);
                }
            }
        }
        // Greedy groups: the lowest unplaced component and its nearest unplaced ones.
        int groups = (k + lanes - 1) / lanes;
        int[] order = new int[k];
        boolean[] placed = new boolean[k];
        int p = 0;
        for (int first = 0; p < k; ) {
            while (placed[first]) {
                first++;
            }
            int at = first * k;
            if (!prunes) {
                at = 0;
                for (int c = 0; c < k; c++) {
                    dist[c] = placed[c] || c == first ? 0 : distance(scaled, first, c, d);
                }
            }
            int end = Math.min(k, p + lanes);
            placed[first] = true;
            order[p++] = first;
            while (p < end) {
                int best = -1;
                for (int c = 0; c < k; c++) {
                    if (!placed[c] && (best < 0 || dist[at + c] < dist[at + best])) {
                        best = c;
                    }
                }
                placed[best] = true;
                order[p++] = best;
            }
        }
        if (!prunes) {
            return new GroupGeometry(lanes, false, order, hmin, 0, new float[0], new float[0]);
        }
        int gpad = (groups + lanes - 1) / lanes * lanes;
        float[] nearestDown = new float[k * gpad];
        Arrays.fill(nearestDown, Float.POSITIVE_INFINITY);
        for (int a = 0; a < k; a++) {
            for (int g = 0; g < groups; g++) {
                double m = Double.POSITIVE_INFINITY;
                for (int q = g * lanes; q < Math.min(k, (g + 1) * lanes); q++) {
                    m = Math.min(m, dist[order[a] * k + order[q]]);
                }
                // Below the double value: the float bound may only be looser (see Seeds).
                nearestDown[a * gpad + g] = Seeds.down(m * (1 - 1e-12));
            }
        }
        float[] centres = new float[groups * d];
        for (int g = 0; g < groups; g++) {
            int from = g * lanes;
            int to = Math.min(k, from + lanes);
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int q = from; q < to; q++) {
                    s += means[order[q] * d + j];
                }
                centres[g * d + j] = (float) (s / (to - from));
            }
        }
        return new GroupGeometry(lanes, true, order, hmin, gpad, nearestDown, centres);
    }
}
