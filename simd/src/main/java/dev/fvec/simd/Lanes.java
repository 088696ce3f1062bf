package dev.fvec.simd;

/**
 * The lane operations of the kernel: everything that {@link VectorLanes} does with the Vector API
 * and {@link ScalarLanes} (the twin) does one lane at a time with the same float operations in the
 * same order, so both give bitwise the same results. Everything else (blocking, the kept-term
 * queue and its counting sort, flushes, fallback decisions, sparsification) is shared code in
 * {@link SimdKernel} and {@link KeptTerms}. Implementations are stateless.
 */
abstract class Lanes {

    /**
     * {@code lp[b * Kpad + k] = logNorm_k - sum_j t_bkj^2}, {@code t_bkj = fma(xc_bj, -s_kj, b_kj)}
     * (see {@link PackedModel}; the square added by an FMA, over {@code j} in order) and
     * {@code maxes[b] = max_k lp[b * Kpad + k]}, for the {@link SimdKernel#BLOCK} centred
     * descriptors {@code xc[b * D ..]}.
     */
    abstract void logLikelihoodsBlock(PackedModel m, float[] xc, float[] lp, float[] maxes);

    /** {@link #logLikelihoodsBlock} for one centred descriptor {@code xc[0 .. D)}, into {@code lp[0 .. Kpad)} and {@code maxes[0]}. */
    abstract void logLikelihoods1(PackedModel m, float[] xc, float[] lp, float[] maxes);

    /**
     * For each group of lanes in {@code lp[base .. base + Kpad)}: {@code z = lp - max}; when some
     * lane has {@code z >= ExpPolynomial.LOW}, the group is live: {@code lp} becomes
     * {@code exp(z)} (all its lanes) and the group's start is appended to {@code live}; a live group
     * with a lane {@code >= groupCut} is also appended to {@code candidates}. Groups that are not
     * live keep their {@code lp}.
     *
     * @return {@code nLive << 32 | nCandidates}
     */
    abstract long expOfLiveGroups(float[] lp, int base, int kpad, float max, float groupCut, int[] live,
            int[] candidates);

    /**
     * The sum of the live groups' values: per lane, in the order of {@code live}, then the lanes in
     * index order (a fixed order, unlike {@code reduceLanes(ADD)}). {@code laneSums}: scratch.
     */
    abstract float sumOfLiveGroups(float[] lp, int base, int[] live, int nLive, float[] laneSums);

    /** The first component {@code c < Kpad} with {@code lp[base + c] == max}; there must be one. */
    abstract int firstIndexOf(float[] lp, int base, int kpad, float max);

    /**
     * Adds the sorted terms {@code [from, to)} of one component, whose posteriors are {@code q[t]}
     * and descriptors {@code xBatch[slots[t]]}, to the component's centred windows {@code c1},
     * {@code c2} (mean {@code mu}; all rows {@code Dpad} long): per element, {@code y = x - mu},
     * {@code c1 = y q + c1}, {@code c2 = fma(y q, y, c2)}, over {@code t} in order.
     */
    abstract void addToWindows(float[] mu, float[][] xBatch, int[] slots, float[] q, int from, int to,
            float[] c1, float[] c2);
}
