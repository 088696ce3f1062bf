package dev.fvec.simd;

import dev.fvec.DiagonalGmm;
import java.util.Arrays;

/**
 * The float tables of seeded pruning for one {@link PackedModel} (see
 * {@code SimdKernel#seededBatch}), from its {@link GroupGeometry}, every value rounded so that the
 * bound it feeds can only be looser than the exact one.
 *
 * <h2>The bound, and why it holds in float</h2>
 * With {@code s} the seed component, {@code r} the descriptor's distance to its mean and
 * {@code n_sg} the distance from {@code s} to the nearest component of group {@code g} (metric of
 * {@link GroupGeometry}), every component {@code k} of {@code g} has
 * {@code quad_k >= q_g = max(0, n_sg - r)^2}, so its log-likelihood is at most
 * {@code max_{k in g} logNorm_k - q_g}. The kernel's float log-likelihood exceeds the exact one by
 * at most {@code E_k = 1.1 u (|logNorm_k| + (D + 8) quad_k + 4 sqrt(quad_k) B_k + 8 u B_k^2 + |lp_k|)}
 * ({@code FloatErrorModel}, {@code u = 2^-24}); with {@code 4 sqrt(q) B <= 2 (q + B^2)} and
 * {@code |lp_k| <= |logNorm_k| + quad_k}, the float value is at most
 * {@code logNorm_k (1 + 2.2 u) - quad_k (1 - 1.1 u (D + 11)) + 2.2 u B^2 + 8.8 u^2 B^2}. The tables
 * carry {@link #slack} {@code rho = max(1e-4, 8 u (D + 16))}, which covers the {@code 1.1 u (D + 11)}
 * and the roundings of the few float operations of the check: {@link #normUp} is
 * {@code max logNorm (1 + rho)} rounded up, {@link #nearestDown} rounded down, the descriptor's
 * {@code r} taken as {@code r_f (1 + rho) + rho (|x'| + |pivot|)} (its float sum's error and the
 * roundings of the centred, scaled values), and {@code q_g} multiplied by {@link #shrink}
 * {@code = 1 - rho}. The threshold a group must fall below takes {@code 1 + rho (|L| + |cut|) + 4 u B^2}
 * off {@code L + cut} (see {@code SimdKernel#threshold}).
 */
final class Seeds {

    /** D: {@code fl(sqrt(hmin_j))}. */
    final float[] scale;
    /** K rows of D, by lane position: {@code fl((mu_pj - centre_j) * sqrt(hmin_j))}, in double then rounded. */
    final float[] pivots;
    /** K, by lane position: the norm of its {@link #pivots} row, in double, rounded up. */
    final double[] pivotNorms;
    /** Groups rounded up to a multiple of lanes. */
    final int groupsPadded;
    /** K rows of {@link #groupsPadded}: {@code n_pg} rounded down to float; {@code +inf} past the groups ({@link GroupGeometry#nearestDown}, shared). */
    final float[] nearestDown;
    /** {@link #groupsPadded}: {@code max logNorm} of the group, plus {@code rho |.|}, rounded up; {@code -inf} past the groups. */
    final float[] normUp;
    /** {@code rho}. */
    final double slack;
    /** {@code 1 - rho}, rounded down. */
    final float shrink;
    /**
     * From {@link GroupGeometry#MIN_GROUPS} groups on (a block's union): the groups' centres as a
     * model of their own (variances {@code 1 / (2 hmin)}), whose pass names each descriptor's seed
     * group, the nearest centre's; null below.
     */
    final PackedModel centres;
    /**
     * Below {@link GroupGeometry#MIN_GROUPS} groups (gathered groups): a row of
     * {@link #seedDimensions} per group, {@code fl(c_gj scale_j)} for the group centres {@code c},
     * for {@link Lanes#nearestCentres}; null from there on.
     */
    final float[] scaledCentres;
    /** The dimensions {@link #scaledCentres} span: {@value #FEW_GROUPS_SEED_DIMENSIONS} for gathered groups, else D. */
    final int seedDimensions;
    /** The groups (not padded). */
    final int groups;

    /**
     * The first dimensions that choose the seeds of the gathered groups, whose seeds are a larger
     * share of the work than the union's: offline (session 29, D = 128, K = 64, 4 groups, exact
     * log-likelihoods) the nearest centre over the first 16 or 32 dimensions left as many
     * descriptors needing the other pair of groups as over all 128 (17.5%). Every pruned model has
     * them ({@link SimdKernel#MIN_PRUNE_DIMENSION}), and whole vectors at every width: a loop of a
     * fixed count, which C2 unrolls (with a count read from the tables, the seeds took 27 against
     * 22 us per 1792 descriptors at 32 dimensions, the sums alike; Zen 5, 512 bits, Temurin 25). Descriptors reduced by PCA,
     * as Fisher vectors' usually are, have their largest components first.
     */
    static final int FEW_GROUPS_SEED_DIMENSIONS = 16;

    private Seeds(float[] scale, float[] pivots, double[] pivotNorms, int groupsPadded, float[] nearestDown, float[] normUp,
            double slack, PackedModel centres, float[] scaledCentres, int seedDimensions, int groups) {
        this.scale = scale;
        this.pivots = pivots;
        this.pivotNorms = pivotNorms;
        this.groupsPadded = groupsPadded;
        this.nearestDown = nearestDown;
        this.normUp = normUp;
        this.slack = slack;
        this.shrink = down(1 - slack);
        this.centres = centres;
        this.scaledCentres = scaledCentres;
        this.seedDimensions = seedDimensions;
        this.groups = groups;
    }

    /** The tables of {@code m} (laid out in {@code geometry}'s order), or null where float cannot hold them. */
    static Seeds of(PackedModel m, DiagonalGmm model, GroupGeometry geometry) {
        int k = m.k;
        int d = m.d;
        int lanes = m.lanes;
        int groups = m.kpad / lanes;
        int gpad = PackedModel.roundUp(groups, lanes);
        double rho = Math.max(1e-4, 8 * 0x1p-24 * (d + 16));
        float[] scale = new float[d];
        float[] centreVars = new float[d];
        for (int j = 0; j < d; j++) {
            scale[j] = (float) Math.sqrt(geometry.hmin[j]);
            centreVars[j] = (float) (0.5 / geometry.hmin[j]);
        }
        float[] means = model.means();
        float[] pivots = new float[k * d];
        double[] pivotNorms = new double[k];
        for (int p = 0; p < k; p++) {
            int of = m.component[p];
            double s = 0;
            for (int j = 0; j < d; j++) {
                double v = ((double) means[of * d + j] - m.centre[j]) * Math.sqrt(geometry.hmin[j]);
                pivots[p * d + j] = (float) v;
                s += v * v;
            }
            pivotNorms[p] = Math.sqrt(s) * (1 + 1e-12);
        }
        float[] nearestDown = geometry.nearestDown;
        assert geometry.groupsPadded == gpad;
        float[] normUp = new float[gpad];
        Arrays.fill(normUp, Float.NEGATIVE_INFINITY);
        for (int g = 0; g < groups; g++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int l = 0; l < lanes; l++) {
                max = Math.max(max, m.logNorm[g * lanes + l]);
            }
            normUp[g] = max == Float.NEGATIVE_INFINITY ? max : up(max + rho * Math.abs(max));
        }
        for (float f : nearestDown) {
            if (Float.isNaN(f)) {
                return null;
            }
        }
        if (groups < GroupGeometry.MIN_GROUPS) {
            int dims = FEW_GROUPS_SEED_DIMENSIONS;
            if (d < dims || dims % lanes != 0) {
                return null; // not at any width this runs (lanes <= 16 <= D), but the seeds read whole vectors
            }
            float[] scaled = new float[groups * dims];
            for (int g = 0; g < groups; g++) {
                for (int j = 0; j < dims; j++) {
                    float v = (float) ((double) geometry.centres[g * d + j] * scale[j]);
                    if (!Float.isFinite(v)) {
                        return null;
                    }
                    scaled[g * dims + j] = v;
                }
            }
            return new Seeds(scale, pivots, pivotNorms, gpad, nearestDown, normUp, rho, null, scaled, dims, groups);
        }
        float[] w = new float[groups];
        Arrays.fill(w, 1f / groups);
        float[] cv = new float[groups * d];
        for (int g = 0; g < groups; g++) {
            System.arraycopy(centreVars, 0, cv, g * d, d);
        }
        PackedModel centres;
        try {
            centres = new PackedModel(DiagonalGmm.of(groups, d, w, geometry.centres, cv), lanes);
        } catch (IllegalArgumentException e) {
            return null; // variances beyond float (the model's own checks passed in double)
        }
        return centres.floatCanHold ? new Seeds(scale, pivots, pivotNorms, gpad, nearestDown, normUp, rho, centres, null, d, groups) : null;
    }

    /** The largest float {@code <= v}. */
    static float down(double v) {
        float f = (float) v;
        return f > v ? Math.nextDown(f) : f;
    }

    /** The smallest float {@code >= v}. */
    static float up(double v) {
        float f = (float) v;
        return f < v ? Math.nextUp(f) : f;
    }
}
