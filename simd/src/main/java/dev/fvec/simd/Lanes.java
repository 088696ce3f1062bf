package dev.fvec.simd;

/**
 * The lane operations of the kernel: everything that {@link VectorLanes} does with the Vector API
 * and {@link ScalarLanes} (the twin) does one lane at a time with the same float operations in the
 * same order, so both give bitwise the same results. Everything else (blocking, the kept-term
 * queue and its counting sort, flushes, fallback decisions, sparsification) is shared code in
 * {@link SimdKernel} and {@link KeptTerms}. {@link VectorLanes} is stateless; a {@link ScalarLanes}
 * holds scratch (and the state of its look-ahead) for the one kernel that owns it.
 */
abstract class Lanes {

    /**
     * {@code lp[b * Kpad + k] = logNorm_k - sum_j t_bkj^2}, {@code t_bkj = fma(xc_bj, -s_kj, b_kj)}
     * (see {@link PackedModel}; the square added by an FMA, over {@code j} in order) and
     * {@code maxes[b] = max_k lp[b * Kpad + k]}, for the {@link SimdKernel#BLOCK} centred
     * descriptors {@code xc[b * D ..]}.
     */
    abstract void logLikelihoodsBlock(PackedModel m, float[] xc, float[] lp, float[] maxes);

    /**
     * {@link #logLikelihoodsBlock} of the {@link SimdKernel#BLOCK} descriptors at {@code x[row ..]}
     * (rows of D, not centred), {@code outside[b]} their {@link #outOfRange}; {@code centred}:
     * scratch of {@code BLOCK x D} floats for their centred copies, where the lanes need them.
     */
    void logLikelihoodsOfRows(PackedModel m, float[] x, int row, float[] centred, float[] lp, float[] maxes, boolean[] outside) {
        int d = m.d;
        for (int b = 0; b < SimdKernel.BLOCK; b++) {
            outside[b] = centre(m, x, row + b * d, centred, b * d);
        }
        logLikelihoodsBlock(m, centred, lp, maxes);
    }

    /** {@link #logLikelihoodsBlock} for one centred descriptor {@code xc[0 .. D)}, into {@code lp[0 .. Kpad)} and {@code maxes[0]}. */
    abstract void logLikelihoods1(PackedModel m, float[] xc, float[] lp, float[] maxes);

    /**
     * Look-ahead: the log-likelihoods of the next descriptors at once, for lanes that compute them
     * faster many at a time than block by block. Computes those of the first {@code r}
     * descriptors at {@code x[row ..]} (rows of {@code D}, not centred), {@code r} a multiple of
     * {@link SimdKernel#BLOCK} and at most {@code count}, and returns {@code r}; the next
     * {@code r / BLOCK} calls of {@link #aheadBlock} give them, block after block, with no other
     * log-likelihood call (of a block, of one descriptor, of pruning, another look-ahead) in
     * between. {@code 0} (the default): nothing computed.
     */
    int logLikelihoodsAhead(PackedModel m, float[] x, int row, int count) {
        return 0;
    }

    /**
     * The next {@link SimdKernel#BLOCK} descriptors' log-likelihoods from
     * {@link #logLikelihoodsAhead}, into {@code lp} and {@code maxes} as
     * {@link #logLikelihoodsBlock} gives them, bit for bit.
     */
    void aheadBlock(PackedModel m, float[] lp, float[] maxes) {
        throw new IllegalStateException("no look-ahead on " + getClass().getSimpleName());
    }

    /**
     * For each group of lanes in {@code lp[base .. base + Kpad)}: {@code z = lp - max}; when some
     * lane has {@code z >= liveCut} ({@code >= LOW}), the group is live. Where {@code z >= liveCut},
     * {@code lp} becomes {@code exp(z)}; elsewhere it is left {@code <= 0} (its {@code lp}, or 0),
     * which no cut {@code > 0} keeps. The groups with a lane {@code exp(z) >= groupCut} (which is
     * {@code > 0}) are listed in {@code candidates} from {@code candidates[candidatesAt]} on, in
     * order; {@code live} is the implementation's scratch ({@code Kpad / lanes} ints). With
     * {@code liveCut = LOW} the exps left out are all 0 anyway; with a higher cut (a threshold
     * {@code t > 0}, {@link SimdKernel#pruneCut}) they are left out of the sum, each below
     * {@code 2^-26 / Kpad} of it.
     *
     * <p>Stores, in {@code laneSums[sumsAt .. sumsAt + lanes)}, the sums per lane of the
     * {@code exp(z)} with {@code z >= liveCut}, each in group order; the caller adds the lanes in
     * index order (not {@code reduceLanes(ADD)}, whose order is unspecified), for all the block's
     * descriptors together ({@link SimdKernel}). Adding zeros besides leaves every lane sum's bits
     * unchanged (it starts at {@code +0} and adds values {@code >= 0}), so the vector lanes add
     * whole live groups and the twin only the exps. The sums are taken in the pass that
     * exponentiates, not in a pass of their own. Returns the number of candidates.
     */
    abstract int expOfLiveGroups(float[] lp, int base, int kpad, float max, float liveCut, float groupCut, int[] live,
            int[] candidates, int candidatesAt, float[] laneSums, int sumsAt);

    /**
     * {@link #expOfLiveGroups}, bitwise, for each descriptor {@code b < n} with
     * {@code slots[b] >= 0}: its row {@code lp[from + b * Kpad ..]}, max {@code maxes[b]}, candidates from
     * {@code candidates[b * Kpad / lanes]}, their number in {@code counts[b]}, lane sums at
     * {@code laneSums[b * lanes]}; the other descriptors get {@code counts[b] = 0} and lane sums of
     * {@code +0}, their rows left as they are. {@code live}: scratch of {@code n * Kpad / lanes}
     * ints. For models of few groups, where the vector lanes interleave the descriptors' exps.
     */
    abstract void expOfLiveGroupsInterleaved(float[] lp, int from, int kpad, float[] maxes, int[] slots, int n, float liveCut,
            float groupCut, int[] live, int[] candidates, int[] counts, float[] laneSums);

    /**
     * The lanes {@code l} of the group at {@code lp[at .. at + lanes)} with {@code lp[at + l] >= cut}, as
     * the bits {@code 1 << l}; {@code cut > 0}, and the values are exps ({@code >= +0}) or, in the
     * twin, values {@code <= 0} that {@link #expOfLiveGroups} left (never set).
     */
    abstract int keptBits(float[] lp, int at, float cut);

    /**
     * Seeded pruning: the log-likelihoods of the {@code n} groups {@code list[0 .. n)} for the
     * {@link SimdKernel#BLOCK} centred descriptors {@code xc[b * D ..]}, into
     * {@code lp[bases[b] + c]} for each listed group's components {@code c}: bitwise the values
     * {@link #logLikelihoodsBlock} gives them (each lane's chain of FMAs is the same). Each
     * descriptor's values are folded into its running maxima {@code maxLanes[b * lanes ..]}
     * (lane by lane, with {@code Math.max}).
     */
    abstract void passGroups(PackedModel m, float[] xc, int[] list, int n, float[] lp, int[] bases, float[] maxLanes);

    /** {@code max} of {@code v[at .. at + lanes)} with {@code Math.max} (exact: any order gives the same). */
    abstract float reduceMax(float[] v, int at);

    /**
     * For each descriptor {@code b} of the block ({@link SimdKernel#BLOCK}) whose seed lane
     * {@code p = seeds[b]} is not negative, with its centred values at {@code xc[b D ..]}:
     * {@code out[2 b]} the float sum of {@code (x'_j scale_j - pivot_pj)^2} and {@code out[2 b + 1]}
     * that of {@code (x'_j scale_j)^2} ({@link Seeds}), in any order (their error is bounded by the
     * caller's slack); the others' pairs unspecified.
     */
    abstract void seedRadii(PackedModel m, float[] xc, int[] seeds, float[] out);

    /**
     * Gathered groups' seeds: for each of the {@code n} descriptors at {@code x[row + t D ..]}, into
     * {@code out[t]}, the group {@code g} whose centre is nearest over the first
     * {@link Seeds#seedDimensions} values, by {@code sum_j (x_j scale_j - c'_gj)^2}
     * ({@link Seeds#scaledCentres}), the first of equal sums; the sums in any order (twin and
     * vector lanes may choose differently on near ties): any group gives the same outputs (the
     * bounds hold from every seed), a near one rules most others out.
     */
    abstract void nearestCentres(Seeds sd, float[] x, int row, int d, int n, int[] out);

    /**
     * Sets {@code words}' bit {@code g} for each group {@code g < groupsPadded} whose bound from seed
     * {@code p} at distance {@code radius}, {@code fl(normUp_g - fl(fl(lo^2) shrink))} with
     * {@code lo = max(0, fl(nearestDown_pg - radius))}, is not below {@code threshold} (or is NaN);
     * leaves the other bits as they are, so that a block's descriptors add up their groups.
     */
    abstract void keepGroups(Seeds sd, int p, float radius, float threshold, int[] words);

    /** The first lane {@code l < lanes} with {@code lp[at + l] == max}, or -1. */
    abstract int firstLaneOf(float[] lp, int at, float max);

    /** The first component {@code c}, {@code from <= c < Kpad}, with {@code lp[base + c] == max}, or -1. */
    abstract int nextIndexOf(float[] lp, int base, int from, int kpad, float max);

    /**
     * {@code out[at + j] = fl(x[row + j] - centre_j)}, {@code j < D}: as {@link PackedModel#centre};
     * returns {@link #outOfRange}{@code (x, row, D)}, which the vector lanes decide in the same pass
     * over {@code x} (a pass of its own, after the log-likelihoods, took 4% of an encode at
     * D = 128, K = 64).
     */
    abstract boolean centre(PackedModel m, float[] x, int row, float[] out, int at);

    /**
     * Whether some {@code x[row + j]}, {@code j < d}, is NaN or has {@code |x| > }
     * {@link PackedModel#VALUE_LIMIT}: an exact predicate, so every implementation decides alike.
     */
    boolean outOfRange(float[] x, int row, int d) {
        // Not a running max (one chain of dependent maxima): each value tested on its own, NaN
        // failing the test as it would the max's. The vector lanes decide it in centre.
        boolean out = false;
        for (int j = 0; j < d; j++) {
            out |= !(Math.abs(x[row + j]) <= PackedModel.VALUE_LIMIT);
        }
        return out;
    }

    /** The first component {@code c < Kpad} with {@code lp[base + c] == max}; there must be one. */
    final int firstIndexOf(float[] lp, int base, int kpad, float max) {
        int c = nextIndexOf(lp, base, 0, kpad, max);
        if (c < 0) {
            throw new AssertionError("no component reaches the max " + max);
        }
        return c;
    }

    /**
     * Adds the sorted terms {@code [from, to)} of one component to the component's centred windows
     * {@code c1}, {@code c2} (mean {@code mu}; all {@code Dpad} long): term {@code t} is the
     * descriptor at {@code rows[terms[2 t] ..]} ({@code Dpad} values) with the posterior of bits
     * {@code terms[2 t + 1]}; per element, {@code y = x - mu}, {@code c1 = y q + c1},
     * {@code c2 = fma(y q, y, c2)}, over {@code t} in order. Returns {@code weight} plus the terms'
     * posteriors, added in double in order.
     */
    abstract double addToWindows(float[] mu, float[] rows, int[] terms, int from, int to, float[] c1, float[] c2, double weight);

    /**
     * An index {@code e} in {@code [from, to]} such that every {@code x[from .. e)} is finite and,
     * if any value of {@code [from, to)} is not, the first such lies within {@code [e, to)}: the
     * part of the encoder's input check ({@link SimdKernel#firstNonFinite}) these lanes do fast, the
     * plain loop doing the rest.
     */
    abstract int finitePrefix(float[] x, int from, int to);
}
