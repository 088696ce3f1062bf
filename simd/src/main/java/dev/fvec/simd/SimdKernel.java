package dev.fvec.simd;

import dev.fvec.DiagonalGmm;
import dev.fvec.GmmStatistics;
import dev.fvec.Kernels;
import dev.fvec.Sparsity;
import dev.fvec.spi.KeptTermSink;
import dev.fvec.spi.StatisticsAccess;
import dev.fvec.spi.StatisticsKernel;

/**
 * The float statistics kernel: one fused pass per block of descriptors computes the
 * log-likelihoods of every component, the log-sum-exp, the sparsified posteriors and the
 * statistics (SPEC.md, "Posteriors" and "Sufficient statistics"), with no {@code N x K} matrix and
 * no allocation per call.
 *
 * <p>Who does what: {@link PackedModel} lays the model out in float (lanes over components for the
 * log-likelihoods); {@link Lanes} are the lane operations ({@link VectorLanes} with the Vector API,
 * {@link ScalarLanes} its bitwise twin); {@link KeptTerms} queues the kept terms and adds them to
 * centred float windows (lanes over dimensions); this class blocks the descriptors
 * ({@link #BLOCK} share each pass over the model), turns log-likelihoods into posteriors,
 * sparsifies them and decides the fallbacks.
 *
 * <h2>Precision</h2>
 * {@code (x - mu)^2 / (2 var)} is computed as {@code t^2}, {@code t = fma(x', -s, b)} on the descriptor
 * and means centred per dimension (two FMAs per term; see {@link PackedModel}), never in the
 * GEMM-style expanded form {@code x^2 h - 2 x mu h + mu^2 h}, which cancels for large values; see
 * also {@link KeptTerms}.
 *
 * <h2>Fallbacks</h2>
 * A descriptor is computed by the scalar reference instead when float cannot give its posteriors:
 * its float log-likelihoods overflow (every component {@code -inf}); a value is beyond
 * {@link PackedModel#VALUE_LIMIT} (its {@code x^2} could overflow the float window); or it is so far
 * from every mean that the float error bound on {@code lp_k - lp_max} exceeds
 * {@link #POSTERIOR_ERROR_LIMIT} (see {@link #minTrustedMax}). A model that float cannot hold is
 * computed by the scalar reference entirely. All three are decided in this shared code from the same
 * float values, so the twin and the vector lanes decide alike.
 *
 * <p>Not thread-safe: one instance per thread (scratch space is owned).
 */
final class SimdKernel implements StatisticsKernel {

    /**
     * Descriptors per pass over the model (see {@link VectorLanes#logLikelihoodsBlock}): 8 where
     * the preferred vector width is 512 bits (32 vector registers), else 4. Fixed by the machine,
     * not by a forced width, so the twin and every width block alike.
     */
    static final int BLOCK = preferredBits() >= 512 ? 8 : 4;

    /**
     * The largest error, in nats, that float may leave in {@code lp_k - lp_max} for a posterior that
     * matters: about 1% of {@code q_k}. The bound is a worst case (every rounding the same way),
     * typically 10x above the actual error, which then stays near the 1e-4 relative the float
     * kernel's tolerance allows; on the golden cases no descriptor comes near it (a fallback rate of
     * 0), while K = 2, D = 1, means 0 and 1e-4, variance 1, x = 5000 (bound ~10 nats: float gives
     * q = [0.5, 0.5], the truth is [0.3775, 0.6225]) falls back.
     */
    static final double POSTERIOR_ERROR_LIMIT = 1e-2;
    /**
     * Whether kernels prune ({@link #prunedLogLikelihoods}); off unless {@code -Dfvec.simd.prune=true},
     * because it does not pay on this kernel: slower on every shape measured. Zen 5, 2 cores shared
     * with other jobs, Temurin 25, {@code PruneAB} in the benchmark jar (pruned and unpruned kernels
     * alternating in one JVM after a 6 s warm-up, min of 150 rounds of 3 calls), ratio pruned /
     * unpruned of the log-likelihood pass alone, then of the whole statistics call, 512 bits:
     * golden D64 K256 N1000 t = 1e-6 (70% of the descriptor x group pairs skipped) 1.92 / 1.61,
     * t = 0 (3% skipped) 1.56 / 1.30, hard 1.58 / 1.42; synthetic 64x256x1000 t = 1e-6 (20%
     * skipped) 2.01 / 1.52, t = 0 (none) 1.16 / 1.07, hard 1.18 / 1.14. 256 bits, whole call:
     * golden t = 1e-6 1.37, t = 0 1.63; synthetic t = 1e-6 1.32, t = 0 1.07.
     *
     * <p>Where nothing can be skipped, the cost is the check ({@link Lanes#mayPrune}, a pass over
     * each descriptor's bounds with two chains of Java's max and min, which take several
     * instructions each: with one chain the check alone cost 20%) and the split of the
     * register-blocked pass at {@code D / 4} (4%). Where much is skipped, the continuations lose
     * what the skipped terms save: {@code KernelShapes} (same jar) measured the partial pass, the
     * masked continuation and the finish at 1.23x the unpruned pass's time with all 8 descriptors
     * in every group (8 chains per group instead of 16 over two groups), and a 4-chain
     * continuation at about 1.6-1.9x the time per term; the golden case leaves about 2.5 of the
     * block's 8 descriptors per group, padded to 4, and the seeds (each descriptor's best group,
     * summed to {@code D} first) and checks come on top. A 4-pair kernel (any descriptor and group
     * per chain, 12 loads per 8 FMAs) was slower still (2.28 on golden t = 1e-6, LL alone), and the
     * first design (each descriptor's surviving groups continued alone, seeds in scalar) was about
     * 2x slower. To pay, the continuation would have to run near the unpruned pass's rate with
     * a few descriptors per group (e.g. descriptors grouped by their likely components before the
     * pass, or a dimension order that prunes after fewer terms), and a rule to enable it where it
     * pays would depend on how clustered the data are, not on the model alone.
     *
     * <p>A third design, for {@code t > 0} only (session 19, not kept): the register-blocked pass
     * to {@code D / 2} for every component, then, per descriptor, the component of the best bound
     * summed to {@code D} as the seed, and only the components whose bound stays within the cut
     * of it (2% of them on golden, 7-8% on the synthetic shapes: far fewer than whole groups)
     * continued one by one with lanes over dimensions, each ending in a deterministic pairwise sum
     * of its lanes. Log-likelihood pass alone (Zen 5, Temurin 25, min of 2000 calls): golden
     * 373-422 us against 349-392 us unpruned, 64 x 1024 synthetic 1822-2070 us against 1291-1370;
     * the half pass alone took 220 / 800 us, and the per-descriptor work after it cost more than
     * the half it saved: the bounds' max chain (Java's max, several instructions per vector), the
     * survivors' listing, and about 18 cycles per continued component (the lane sum's four
     * permutes and adds, and its extraction) against about 2 for a component in the pass.
     */
    static final boolean PRUNE = !"false".equals(System.getProperty("fvec.simd.prune"));
    /** Pruning needs some dimensions to bound with: below this many, every term is computed. */
    static final int MIN_PRUNE_DIMENSION = 16;
    /**
     * Models of at most this many groups of lanes (components per vector) take the block's exps at
     * once ({@link Lanes#expOfLiveGroupsInterleaved}), larger ones a descriptor after the other.
     * Whole encodes, improved VLFEAT form, both ways in one JVM alternating 20-call blocks
     * ({@code JarAB}'s method; Zen 5, 512 bits, Temurin 25), interleaved against one by one:
     * K = 64 (4 groups) D = 128 t = 1e-6 765-784 vs 804-805 us, t = 0 727-784 vs 802-839, hard 670
     * vs 711; K = 128 (8 groups) D = 64 407-416 vs 439-441, D = 128 1683 vs 1722; but K = 256
     * (16 groups) D = 64 764 vs 750, K = 1024 (64 groups) 3254 vs 2997.
     */
    static final int INTERLEAVED_EXP_GROUPS = 8;
    /** Batches run unpruned after one where seeded pruning did not pay (see {@link #seededBatch}). */
    static final int SEED_REST = 16;
    /** Components more than this many nats below the best have posteriors under 2e-9: their error does not matter. */
    static final double NEGLIGIBLE_NATS = 20;

    final PackedModel model; // package-private: tests break it on purpose
    /**
     * Descriptors whose best log-likelihood {@code max} (relative to the largest log-normaliser)
     * is below this fall back to the scalar reference. Following {@code FloatErrorModel}: a float
     * log-likelihood carries at most
     * {@code E_k = 1.1 u (|rel_k| + (D + 8) quad_k + 4 sqrt(quad_k) B_k + 8 u B_k^2 + |lp_k|)} of
     * error ({@code u = 2^-24}, {@code B_k} = {@link PackedModel#offsetNorm}, the rounding of the
     * centred means in the 2-FMA form); for the best component {@code |rel|}, {@code quad} and
     * {@code |lp|} are at most {@code y = -max}, for any component within {@link #NEGLIGIBLE_NATS}
     * of it at most {@code NEGLIGIBLE_NATS + y}, so the error of {@code lp_k - lp_max} is at most
     * {@code 1.1 u ((D + 10) (NEGLIGIBLE_NATS + 2 y) + 4 B (sqrt(NEGLIGIBLE_NATS + y) + sqrt(y)) + 16 u B^2)},
     * {@code B = max_k B_k}, which must not exceed {@link #POSTERIOR_ERROR_LIMIT}: the largest such
     * {@code y}, found by bisection, is {@code -minTrustedMax}.
     */
    final float minTrustedMax;
    private long fallbacks; // descriptors given to the scalar reference, over the kernel's life
    private final Lanes fixedLanes; // null: the twin until the vector lanes are warm
    private final boolean warmingUp; // an auto kernel of the warm-up: the vector lanes before they are warm
    private final ScalarLanes twinLanes;
    private final boolean hard;
    private final boolean keepAll; // t = 0: every term kept (and counted), zero posteriors skipped
    private final double threshold;
    private final KeptTerms keptTerms;
    private final StatisticsKernel scalar; // for descriptors (or a model) float cannot handle
    private final FallbackSink fallbackSink = new FallbackSink(); // the kept-term sink of a call, for them

    // Scratch, sized once.
    private final float[] likelihoods; // BLOCK x Kpad: log p, then exp(log p - max) (see exps)
    private final float[] maxes; // BLOCK: max_k log p
    private final float[] centred; // BLOCK x D: the block's descriptors minus the model's centre
    private final boolean prune; // exact pruning (see prunedLogLikelihoods)
    private final int check1; // the dimensions after which groups are checked: D / 4,
    private final int check2; // and D / 2
    private final float pruneCut; // in nats below the max: the pruned pass skips a group whose bound lies below, exps takes such terms as 0
    private final float groupCut; // the groups that may keep a term have a lane e >= this (see exps)
    private final float[] lowers = new float[BLOCK]; // lower bounds of the block's maxes (their seed groups' max)
    private final int[] seedGroups; // BLOCK: the group of the best bound at the first check, or -1: nothing to prune
    private final int[] masks; // Kpad / LANES: per group, bit b set: descriptor b continues it
    private final int[] keptGroups; // Kpad / LANES: per group, bit b set: descriptor b keeps it (not skipped)
    private final float[] boundRow; // Kpad: the bounds at the first check
    private long prunedGroups; // (descriptor, group) pairs skipped, over the kernel's life
    private final int[] live; // BLOCK x Kpad / LANES: expOfLiveGroups' scratch (groups with a lane within pruneCut of the max)
    private final boolean interleaveExps; // at most INTERLEAVED_EXP_GROUPS groups: the block's exps at once
    private final float[] laneSums; // BLOCK x LANES: the exp sums' lanes, added in index order (see sumExps)
    // Per descriptor of the block, from exps for keep:
    private final int[] slots = new int[BLOCK]; // its row in the kept-term batch, -1: the scalar reference
    private final int[] bestOf = new int[BLOCK]; // hard assignment: its component
    private final float[] sums = new float[BLOCK]; // sum_k exp(lp_k - max)
    private final int[] candidateCounts = new int[BLOCK]; // its candidate groups,
    private final int[] blockCandidates; // BLOCK x Kpad / LANES: which they are
    private final int[] candidateBits; // Kpad / LANES: the kept lanes of a descriptor's candidate groups

    // Seeded pruning (see seededBatch): null seeds, none.
    private final Seeds seeds;
    private final int seededRows; // descriptors per seeded batch, a multiple of BLOCK
    private float[] batchLikelihoods; // seededRows x Kpad, in the batch's order; allocated on first use
    private float[] batchMaxes; // seededRows
    private float[] batchCentred; // seededRows x D
    private int[] seedGroupOf; // seededRows: the group of the nearest centre
    private int[] sortedRows; // seededRows: the batch by seed group
    private int[] groupStarts; // groups + 1
    private float[] centresLp; // BLOCK x the centres' Kpad
    private final float[] centresMax = new float[BLOCK];
    private float[] centresCentred; // BLOCK x D
    private final int[] bases = new int[BLOCK];
    private final float[] maxLanes; // BLOCK x LANES: the block's running maxima
    private int[] groupList; // groups
    private int[] doneWords; // groups / 32: computed in the block
    private int[] keepWords; // groups / 32: to compute
    private final float[] radius = new float[2];
    private ScalarLanes centresTwin; // the twin's lanes for the centres, on first use
    private int seedRest; // seeded batches to skip (the last one skipped too little to pay)

    // Per-call counters (fields, so that nothing is allocated per call).
    private long kept;
    private double logLikelihood;
    private int scalarDescriptors;

    /**
     * The kernel users get: the scalar twin serves calls until {@link VectorWarmUp} reports the
     * Vector API lanes compiled, then the vector lanes do. Twin and vector lanes give bitwise the
     * same results (the twin's tests), so a call's output does not depend on which one ran.
     */
    static SimdKernel auto(DiagonalGmm model, Sparsity sparsity) {
        return new SimdKernel(model, sparsity, Mode.AUTO, PRUNE);
    }

    /** The Vector API kernel, always on the vector lanes. */
    static SimdKernel vector(DiagonalGmm model, Sparsity sparsity) {
        return new SimdKernel(model, sparsity, Mode.VECTOR, PRUNE);
    }

    /** {@link #vector} or {@link #twin} with pruning on or off: pruning's reference, for tests. */
    static SimdKernel of(DiagonalGmm model, Sparsity sparsity, boolean twin, boolean prune) {
        return new SimdKernel(model, sparsity, twin ? Mode.TWIN : Mode.VECTOR, prune);
    }

    /**
     * The scalar twin of the Vector API kernel: {@link ScalarLanes} at the species' width, so its
     * results are bitwise those of {@link #vector}.
     */
    static SimdKernel twin(DiagonalGmm model, Sparsity sparsity) {
        return new SimdKernel(model, sparsity, Mode.TWIN, PRUNE);
    }

    /**
     * The warm-up's kernel: the vector lanes, on the very code path of {@link #auto} kernels, so that
     * the JIT compiles that path for them (with {@link #vector} kernels it would compile the
     * fixed-lanes branch only, and the first call of an auto kernel would leave the compiled code).
     */
    static SimdKernel warmingUp(DiagonalGmm model, Sparsity sparsity) {
        return new SimdKernel(model, sparsity, Mode.WARM_UP, PRUNE);
    }

    /** Which lanes a kernel runs on. */
    enum Mode {
        /** The twin until {@link VectorWarmUp#isWarm()}, then the vector lanes. */
        AUTO,
        /** {@link #AUTO}'s code path, but on the vector lanes from the start. */
        WARM_UP,
        VECTOR,
        TWIN
    }

    private SimdKernel(DiagonalGmm model, Sparsity sparsity, Mode mode, boolean prune) {
        int width = VectorLanes.LANES;
        this.model = new PackedModel(model, width, GroupGeometry.of(model, width)); // the same order, pruned or not
        // No twin where it can never serve (its D x Kpad copies of the model, ~0.2 MB at K = 256,
        // D = 64, are most of what a new kernel costs): vector kernels, the warm-up's, and auto
        // kernels made once the vector lanes are warm (they never go cold again).
        boolean twinServes = mode == Mode.TWIN || mode == Mode.AUTO && !VectorWarmUp.isWarm();
        this.twinLanes = twinServes ? new ScalarLanes(this.model) : null;
        this.fixedLanes = mode == Mode.VECTOR ? VectorLanes.INSTANCE : mode == Mode.TWIN ? twinLanes : null;
        this.warmingUp = mode == Mode.WARM_UP;
        this.hard = sparsity.isHard();
        this.threshold = sparsity.threshold();
        this.keepAll = !hard && threshold == 0;
        this.scalar = Kernels.scalar().create(model, sparsity);
        this.keptTerms = new KeptTerms(this.model, BLOCK);
        int kpad = this.model.kpad;
        this.likelihoods = new float[(BLOCK + 1) * kpad]; // + a spare row for pruning (see Lanes#continueMasked)
        this.maxes = new float[BLOCK];
        this.centred = new float[(BLOCK + 1) * this.model.d]; // + a spare row of zeros, likewise
        this.prune = prune && this.model.d >= MIN_PRUNE_DIMENSION && kpad / width >= 2;
        this.check1 = this.model.pruneCheck1();
        this.check2 = this.model.pruneCheck2();
        this.pruneCut = pruneCut(hard, threshold, kpad);
        this.groupCut = keepAll ? Float.MIN_VALUE : (float) threshold;
        this.seedGroups = new int[BLOCK];
        this.masks = new int[kpad / width];
        this.keptGroups = new int[kpad / width];
        this.boundRow = new float[kpad];
        this.blockCandidates = new int[BLOCK * (kpad / width)];
        this.candidateBits = new int[kpad / width];
        this.live = new int[BLOCK * (kpad / width)];
        this.interleaveExps = kpad <= INTERLEAVED_EXP_GROUPS * width;
        this.laneSums = new float[BLOCK * width];
        this.minTrustedMax = minTrustedMax(this.model.d, this.model.maxOffsetNorm);
        this.seeds = this.prune ? this.model.seeds : null;
        this.maxLanes = new float[BLOCK * width];
        this.seededRows = Math.max(64, Math.min(256, (1 << 17) / kpad)) / BLOCK * BLOCK;
        if (mode == Mode.AUTO) {
            VectorWarmUp.twinWorked(0);
        }
    }

    @Override
    public String implementationName() {
        return "simd";
    }

    /**
     * As {@link #accumulate(float[], int, int, GmmStatistics)}, reporting each kept term to
     * {@code sink} from {@link KeptTerms#queue} (descriptors the scalar reference computes report
     * from there), so the statistics and their bits are those of the call without a sink.
     */
    @Override
    public void accumulate(float[] x, int offset, int count, GmmStatistics stats, KeptTermSink sink) {
        if (sink == null) {
            accumulate(x, offset, count, stats);
            return;
        }
        if (!model.floatCanHold) {
            scalar.accumulate(x, offset, count, stats, sink);
            return;
        }
        keptTerms.reportTo(sink, offset);
        fallbackSink.to(sink, offset, model.d);
        try {
            accumulate(x, offset, count, stats);
        } finally {
            keptTerms.reportTo(null, 0);
            fallbackSink.to(null, 0, 1);
        }
    }

    /**
     * The input check on the lanes a call would run on now: whole vectors on the vector lanes
     * ({@link Lanes#finitePrefix}), then the interface's plain loop over what they left; only that
     * loop on the twin (whose calls come before the vector code is compiled).
     */
    @Override
    public int firstNonFinite(float[] x, int from, int to) {
        Lanes ops = fixedLanes != null ? fixedLanes : VectorWarmUp.isWarm() | warmingUp ? VectorLanes.INSTANCE : twinLanes;
        return StatisticsKernel.super.firstNonFinite(x, ops.finitePrefix(x, from, to), to);
    }

    @Override
    public void accumulate(float[] x, int offset, int count, GmmStatistics stats) {
        PackedModel m = model;
        int d = m.d;
        assert stats.components() == m.k && stats.dimension() == d;
        assert offset >= 0 && count >= 0 && offset + (long) count * d <= x.length;
        if (!m.floatCanHold) {
            scalar.accumulate(x, offset, count, stats);
            return;
        }
        // '|', not '||': one branch, which the warm-up's calls and the auto kernels' calls after it
        // both take, so C2's code has no untaken (trapping) path for them.
        Lanes ops = fixedLanes != null ? fixedLanes : VectorWarmUp.isWarm() | warmingUp ? VectorLanes.INSTANCE : twinLanes;
        kept = 0;
        logLikelihood = 0;
        scalarDescriptors = 0;
        int i = 0;
        while (i + BLOCK <= count) {
            if (seeds != null & (ops != twinLanes | fixedLanes != null)) { // not the auto kernels' twin: it has its look-ahead
                i += seeded(ops, x, offset + i * d, count - i, stats);
                continue;
            }
            int ahead = ops.logLikelihoodsAhead(m, x, offset + i * d, count - i);
            if (ahead == 0) {
                block(ops, x, offset + i * d, stats, false);
                i += BLOCK;
            }
            for (int end = i + ahead; i < end; i += BLOCK) {
                ops.aheadBlock(m, likelihoods, maxes);
                block(ops, x, offset + i * d, stats, true);
            }
        }
        for (; i < count; i++) {
            int row = offset + i * d;
            ops.centre(m, x, row, centred, 0);
            ops.logLikelihoods1(m, centred, likelihoods, maxes);
            keptTerms.makeRoom(BLOCK, stats, ops);
            exps(ops, 0, x, row);
            sumExps(1);
            keep(ops, 0, x, row, stats);
        }
        keptTerms.addQueued(stats, ops);
        keptTerms.flushAll(stats);
        if (ops == twinLanes && fixedLanes == null) {
            VectorWarmUp.twinWorked((long) count * m.kpad * d);
        }
        StatisticsAccess.addCounts(stats, count - scalarDescriptors, kept, logLikelihood);
    }

    /**
     * The {@link #BLOCK} descriptors at {@code x[row ..]}. A method of its own, so that the loop over
     * blocks in {@link #accumulate} stays small: with this body inlined, that loop ran hot within
     * the first calls of a job and C2 compiled {@code accumulate} on stack replacement (OSR), a
     * second copy of the whole kernel next to the normal compiles of its parts, in the compiler
     * time that short jobs on the twin pay for (issue 12). Called once per block, this is compiled
     * normally after a few calls. {@code ahead}: the block's log-likelihoods come from the lanes'
     * look-ahead ({@link Lanes#logLikelihoodsAhead}), which centred the descriptors itself.
     */
    private void block(Lanes ops, float[] x, int row, GmmStatistics stats, boolean computed) {
        PackedModel m = model;
        int d = m.d;
        if (!computed) {
            for (int b = 0; b < BLOCK; b++) {
                ops.centre(m, x, row + b * d, centred, b * d);
            }
            ops.logLikelihoodsBlock(m, centred, likelihoods, maxes);
        }
        keptTerms.makeRoom(BLOCK, stats, ops);
        // Two passes: every descriptor's exps, then every descriptor's kept terms, so the kept
        // terms' loads (a lane here and there) find the exps' vector stores long done rather than
        // in flight. Not measured apart from the kept-lane masks (see keep), which made the gain.
        if (interleaveExps) {
            for (int b = 0; b < BLOCK; b++) {
                admit(ops, b, x, row + b * d);
            }
            ops.expOfLiveGroupsInterleaved(likelihoods, m.kpad, maxes, slots, BLOCK, pruneCut, groupCut, live, blockCandidates,
                    candidateCounts, laneSums);
        } else {
            for (int b = 0; b < BLOCK; b++) {
                exps(ops, b, x, row + b * d);
            }
        }
        sumExps(BLOCK);
        for (int b = 0; b < BLOCK; b++) {
            keep(ops, b, x, row + b * d, stats);
        }
    }

    /**
     * The next descriptors (whole blocks, at most {@link #seededRows}) at {@code x[row ..]} with
     * seeded pruning ({@link #seededBatch}), or unpruned while {@link #seedRest} says it does not
     * pay; returns how many.
     */
    private int seeded(Lanes ops, float[] x, int row, int remaining, GmmStatistics stats) {
        int d = model.d;
        int kpad = model.kpad;
        int n = Math.min(seededRows, remaining / BLOCK * BLOCK);
        if (seedRest > 0) {
            seedRest--;
            for (int i = 0; i < n; i += BLOCK) {
                block(ops, x, row + i * d, stats, false);
            }
            return n;
        }
        seededBatch(ops, x, row, n);
        for (int i = 0; i < n; i += BLOCK) {
            System.arraycopy(batchLikelihoods, i * kpad, likelihoods, 0, BLOCK * kpad);
            System.arraycopy(batchMaxes, i, maxes, 0, BLOCK);
            block(ops, x, row + i * d, stats, true);
        }
        return n;
    }

    /**
     * Seeded pruning: the log-likelihoods of the {@code n} descriptors at {@code x[row ..]}
     * ({@code n} a multiple of {@link #BLOCK}) into {@link #batchLikelihoods} and
     * {@link #batchMaxes}, bitwise those of {@link Lanes#logLikelihoodsBlock} but for the groups it
     * proves below the cut, which hold {@code -inf}.
     *
     * <p>Each descriptor's seed group is the group of the nearest centre ({@link Seeds#centres});
     * the batch is sorted by it, so that a block of descriptors shares few seed groups. Per block:
     * the seed groups are computed in full, register-blocked as in the unpruned pass; each
     * descriptor's best component {@code s} so far, of log-likelihood {@code L <= max}, is the seed
     * of a triangle-inequality bound on every other group ({@link Seeds}); the groups that some
     * descriptor of the block cannot rule out are computed for all of them. A group is ruled out
     * when its bound is below {@link #threshold}{@code (L)}, so its float log-likelihoods lie more
     * than {@code -cut} below the max: with the cut {@link #pruneCut} (the exps' own, so that
     * {@link #exps} would take each of them as 0 and not live) the outputs, counts and
     * log-likelihoods included, are bitwise those of the unpruned kernel at every threshold and for
     * hard assignment, which keeps the max (its bound is at least the max).
     *
     * <p>Where a batch computes more than 90% of the unpruned pass's groups, counting the centres'
     * and one more per block for the bookkeeping, the next {@value #SEED_REST} batches run unpruned
     * (the outputs are the same either way).
     */
    private void seededBatch(Lanes ops, float[] x, int row, int n) {
        PackedModel m = model;
        Seeds sd = seeds;
        PackedModel cm = sd.centres;
        int d = m.d;
        int kpad = m.kpad;
        int width = m.lanes;
        int groups = kpad / width;
        if (batchLikelihoods == null) {
            batchLikelihoods = new float[seededRows * kpad];
            batchMaxes = new float[seededRows];
            batchCentred = new float[seededRows * d];
            seedGroupOf = new int[seededRows];
            sortedRows = new int[seededRows];
            groupStarts = new int[groups + 1];
            centresLp = new float[BLOCK * cm.kpad];
            centresCentred = new float[BLOCK * d];
            groupList = new int[groups];
            doneWords = new int[(groups + 31) / 32];
            keepWords = new int[(groups + 31) / 32];
        }
        float[] lp = batchLikelihoods;
        // Seed groups: the nearest centre's.
        for (int i = 0; i < n; i += BLOCK) {
            for (int b = 0; b < BLOCK; b++) {
                ops.centre(m, x, row + (i + b) * d, batchCentred, (i + b) * d);
                ops.centre(cm, x, row + (i + b) * d, centresCentred, b * d);
            }
            centresLanes(ops).logLikelihoodsBlock(cm, centresCentred, centresLp, centresMax);
            for (int b = 0; b < BLOCK; b++) {
                float mx = centresMax[b];
                seedGroupOf[i + b] = mx > Float.NEGATIVE_INFINITY ? ops.firstIndexOf(centresLp, b * cm.kpad, cm.kpad, mx) : 0;
            }
        }
        // Sorted by seed group (a counting sort).
        int[] starts = groupStarts;
        java.util.Arrays.fill(starts, 0);
        for (int t = 0; t < n; t++) {
            starts[seedGroupOf[t] + 1]++;
        }
        for (int g = 0; g < groups; g++) {
            starts[g + 1] += starts[g];
        }
        for (int t = 0; t < n; t++) {
            sortedRows[starts[seedGroupOf[t]]++] = t;
        }
        long computed = 0;
        int words = doneWords.length;
        for (int o = 0; o < n; o += BLOCK) {
            java.util.Arrays.fill(doneWords, 0);
            int listed = 0;
            for (int b = 0; b < BLOCK; b++) {
                int t = sortedRows[o + b];
                System.arraycopy(batchCentred, t * d, centred, b * d, d);
                bases[b] = t * kpad;
                java.util.Arrays.fill(lp, t * kpad, (t + 1) * kpad, Float.NEGATIVE_INFINITY);
                int g = seedGroupOf[t];
                if ((doneWords[g >>> 5] & 1 << g) == 0) {
                    doneWords[g >>> 5] |= 1 << g;
                    groupList[listed++] = g;
                }
            }
            java.util.Arrays.fill(maxLanes, Float.NEGATIVE_INFINITY);
            ops.passGroups(m, centred, groupList, listed, lp, bases, maxLanes);
            computed += listed;
            java.util.Arrays.fill(keepWords, 0);
            for (int b = 0; b < BLOCK; b++) {
                int base = bases[b];
                float best = ops.reduceMax(maxLanes, b * width);
                if (best > Float.NEGATIVE_INFINITY) { // not NaN, not -inf: a bound to prune against
                    int p = -1;
                    for (int q = 0; p < 0; q++) { // one of the seed groups has it
                        int at = groupList[q] * width;
                        p = ops.nextIndexOf(lp, base + at, 0, width, best);
                        p += p < 0 ? 0 : at;
                    }
                    ops.seedRadius(m, centred, b * d, p, radius);
                    double rho = sd.slack;
                    double r = Math.sqrt(radius[0]) * (1 + rho) + rho * (Math.sqrt(radius[1]) + sd.pivotNorms[p]);
                    ops.keepGroups(sd, p, Seeds.up(r), threshold(best), keepWords);
                } else {
                    java.util.Arrays.fill(keepWords, -1);
                }
            }
            listed = 0;
            for (int w = 0; w < words; w++) {
                int valid = groups - 32 * w >= 32 ? -1 : (1 << (groups - 32 * w)) - 1;
                for (int bits = keepWords[w] & ~doneWords[w] & valid; bits != 0; bits &= bits - 1) {
                    groupList[listed++] = 32 * w + Integer.numberOfTrailingZeros(bits);
                }
            }
            ops.passGroups(m, centred, groupList, listed, lp, bases, maxLanes);
            computed += listed;
            for (int b = 0; b < BLOCK; b++) {
                batchMaxes[sortedRows[o + b]] = ops.reduceMax(maxLanes, b * width);
            }
        }
        long blocks = n / BLOCK;
        long pairs = blocks * groups;
        prunedGroups += (pairs - computed) * BLOCK;
        // The seeds cost about one group's pass for the centres and one for the bookkeeping, per block.
        if (computed + blocks * (cm.kpad / width + 1) > pairs * 9 / 10) {
            seedRest = SEED_REST;
        }
    }

    /** The lanes for the centres' pass: a twin holds its model's tables, so the centres need one of their own. */
    private Lanes centresLanes(Lanes ops) {
        if (ops == VectorLanes.INSTANCE) {
            return ops;
        }
        if (centresTwin == null) {
            centresTwin = new ScalarLanes(seeds.centres);
        }
        return centresTwin;
    }

    /**
     * The bound below which a group is ruled out against a seed of log-likelihood {@code best}:
     * {@code best + cut - 1 - rho (|best| + |cut|) - 4 u B^2}, rounded down (see {@link Seeds}).
     */
    private float threshold(float best) {
        double b = model.maxOffsetNorm;
        double cut = pruneCut;
        return Seeds.down(best + cut - 1 - seeds.slack * (Math.abs(best) + Math.abs(cut)) - 4 * 0x1p-24 * b * b);
    }

    /**
     * For the descriptor at {@code x[row]}, whose log-likelihoods are row {@code b} of
     * {@link #likelihoods} (max {@code maxes[b]}): whether float can give its posteriors (else
     * {@link #keep} gives it to the scalar reference), and if so its slot in the batch and, for hard
     * assignment, its best component. Returns whether it can.
     */
    private boolean admit(Lanes ops, int b, float[] x, int row) {
        float max = maxes[b]; // padding lanes are -inf and never win
        if (!(max >= minTrustedMax) || ops.outOfRange(x, row, model.d)) {
            // -inf (overflow) fails the first test too.
            slots[b] = -1;
            return false;
        }
        slots[b] = keptTerms.add(x, row);

        // Hard assignment: the first component that reaches the max (ties to the lowest index).
        if (hard) {
            int base = b * model.kpad;
            int best = ops.firstIndexOf(likelihoods, base, model.kpad, max);
            if (seeds != null) {
                // Lanes are in the geometry's order, not the components': the lowest component of the ties.
                int[] of = model.component;
                for (int c = ops.nextIndexOf(likelihoods, base, best + 1, model.kpad, max); c >= 0;
                        c = ops.nextIndexOf(likelihoods, base, c + 1, model.kpad, max)) {
                    best = of[c] < of[best] ? c : best;
                }
            }
            bestOf[b] = best;
        }
        return true;
    }

    /**
     * {@link #admit}, then, if float can give its posteriors, the descriptor's exps
     * {@code e_k = exp(lp_k - max)} in place, their lane sums and its candidate groups.
     */
    private void exps(Lanes ops, int b, float[] x, int row) {
        if (!admit(ops, b, x, row)) {
            return;
        }
        // e_k = exp(lp_k - max) in place, their sum, and the groups that may keep a term. Every e_k
        // with lp_k below max + pruneCut is taken as 0, and a group whose lanes all lie there is
        // skipped: it keeps its log p values, which are <= 0 and so never pass the cut (> 0) below.
        // With t = 0 and hard assignment the cut is ExpPolynomial.LOW, below which the exp is 0
        // anyway: nothing changes. With t > 0 each such e is below min(t / 2, 2^-26 / Kpad): never
        // kept, and below 2^-26 of the sum (>= 1) in all, as for the pruned pass (see
        // prunedLogLikelihoods). Most exps are skipped so: at D = 64, K = 256 (bench/e2e's inputs)
        // 91 of 256 components per descriptor lie within 87 nats of the max, in 9 of 16 groups,
        // but 12 within 23.6 nats (the cut at t = 1e-6), in 5-6 groups.
        // Since sum >= 1, e >= t * sum implies e >= t (groupCut): groups without need no second look.
        int kpad = model.kpad;
        int groups = kpad / model.lanes;
        candidateCounts[b] = ops.expOfLiveGroups(likelihoods, b * kpad, kpad, maxes[b], pruneCut, groupCut, live,
                blockCandidates, b * groups, laneSums, b * model.lanes);
    }

    /**
     * After {@link #exps} of descriptors {@code 0 .. n)}: each one's exp sum (its lane sums added in
     * index order, from {@code +0}) into {@link #sums}, and its log-likelihood added, in descriptor
     * order. All descriptors' lanes at once, lane by lane: the adds of one descriptor form a chain
     * of {@code LANES} dependent float adds, and the descriptors' chains interleave here rather than
     * each ending a descriptor's exps. Descriptors given to the scalar reference are skipped.
     */
    private void sumExps(int n) {
        int width = model.lanes;
        float[] s = sums;
        float[] ls = laneSums;
        for (int b = 0; b < n; b++) {
            s[b] = 0f;
        }
        for (int l = 0; l < width; l++) {
            for (int b = 0; b < n; b++) {
                s[b] += ls[b * width + l];
            }
        }
        double ll = logLikelihood;
        for (int b = 0; b < n; b++) {
            if (slots[b] >= 0) {
                ll += model.maxLogNorm + maxes[b] + Math.log(s[b]);
            }
        }
        logLikelihood = ll;
    }

    /**
     * The descriptor at {@code x[row]}, row {@code b} of the block, after {@link #exps}: its
     * posteriors, sparsified, and the kept terms queued; or the scalar reference, when float
     * overflowed or a value is out of range.
     */
    private void keep(Lanes ops, int b, float[] x, int row, GmmStatistics stats) {
        int slot = slots[b];
        if (slot < 0) {
            scalar.accumulate(x, row, 1, stats, fallbackSink.at(row));
            scalarDescriptors++;
            fallbacks++;
            return;
        }
        if (hard) {
            keptTerms.noteFullest(keptTerms.queue(bestOf[b], 1f, slot));
            kept++;
            return;
        }
        int k = model.k;
        int base = b * model.kpad;
        int from = b * (model.kpad / model.lanes);
        int nCandidates = candidateCounts[b];
        float sum = sums[b];
        // Posteriors q_k = e_k / sum. q >= t  <=>  e >= t * sum. For t = 0 every term is kept and
        // counted, but zeros add nothing.
        float inverseSum = 1f / sum;
        float cut = keepAll ? Float.MIN_VALUE : (float) (threshold * sum);
        float[] lp = likelihoods;
        // The masks first, then their bits: the loop over a mask's bits ends at a data-dependent
        // count (a mispredicted exit, often), which would otherwise also wait for the next mask's
        // reduction; in a loop of their own the reductions overlap.
        int[] bits = candidateBits;
        for (int i = 0; i < nCandidates; i++) {
            bits[i] = ops.keptBits(lp, base + blockCandidates[from + i], cut);
        }
        int queued = 0;
        int fullest = 0;
        for (int i = 0; i < nCandidates; i++) {
            int at = base + blockCandidates[from + i];
            // Padding lanes hold exp(-inf) = 0 < cut: never kept.
            for (int m = bits[i]; m != 0; m &= m - 1) {
                int lane = Integer.numberOfTrailingZeros(m);
                fullest = Math.max(fullest, keptTerms.queue(at - base + lane, lp[at + lane] * inverseSum, slot));
                queued++;
            }
        }
        keptTerms.noteFullest(fullest);
        kept += keepAll ? k : queued;
    }

    /**
     * The log-likelihoods of the block (into {@link #likelihoods} and {@link #maxes}, as
     * {@link Lanes#logLikelihoodsBlock} computes them, bit for bit, but for the skipped groups,
     * {@code -inf}) with exact pruning.
     *
     * <p>Every term {@code t^2} is {@code >= 0} and an FMA that adds it never lowers the float sum,
     * so after any number of dimensions {@code fl(logNorm - acc)} bounds the final float
     * log-likelihood from above. The first {@code D / 4} terms are summed register-blocked over the
     * block ({@link Lanes#partialBlock}). A descriptor can skip nothing unless, even against its
     * best bound (at least its max), a group lies below the cut ({@link Lanes#mayPrune}, then
     * {@link Lanes#prunable}); when no descriptor of the block can, the rest is the unpruned pass
     * ({@link Lanes#finishFrom}). Otherwise each such descriptor's "seed", the group of its best
     * bound, is summed to {@code D}: its max {@code M} is a log-likelihood the descriptor will have,
     * so {@code M <= max}. A group whose every lane has {@code fl(fl(bound) - M) < cut} is then
     * skipped (its log-likelihoods {@code -inf}): by the monotonicity of rounding,
     * {@code fl(lp - max) < cut} for all its lanes in the unpruned kernel too. Checked after
     * {@code D / 4} and {@code D / 2}; between the checks each group is continued for its
     * remaining descriptors side by side ({@link Lanes#continueMasked}), so each strip of the model
     * is read once per block and stage. All decisions are made here from values that the twin and
     * the vector lanes compute bitwise alike (max and min are exact), so both skip the same groups.
     *
     * <p>The cut: with {@code t = 0} and with hard assignment it is {@link ExpPolynomial#LOW}, below
     * which the kernel's own exp is exactly 0 and such a group is not live: every output, counts and
     * log-likelihood included, is bitwise the unpruned kernel's. With a threshold {@code t > 0} it is
     * {@code ln(min(t / 2, 2^-26 / Kpad))} (at least {@code LOW}): a skipped term has
     * {@code e < t / 2 <= t * sum} (the sum is at least 1), so it would not have been kept, and the
     * skipped terms together are below {@code 2^-26}, a quarter of the float resolution of the sum
     * (at least 1), so the posteriors and the log-likelihood move by at most that relative
     * ({@code FloatErrorModel} allows it).
     */
    private void prunedLogLikelihoods(Lanes ops) {
        PackedModel m = model;
        int d = m.d;
        int kpad = m.kpad;
        int width = m.lanes;
        int groups = kpad / width;
        float[] acc = likelihoods;
        float[] ln = m.logNorm;
        float cut = pruneCut;
        ops.partialBlock(m, centred, check1, acc);
        // Which descriptors can skip anything: those with a group below the cut even against their
        // best bound (which is >= the max they will have). NaN and -inf bounds: none.
        boolean any = false;
        for (int b = 0; b < BLOCK; b++) {
            int base = b * kpad;
            int seed = -1;
            if (ops.mayPrune(acc, base, ln, kpad, cut)) {
                float best = ops.bounds(acc, base, ln, kpad, boundRow);
                if (ops.prunable(acc, base, ln, kpad, best, cut) > 0) {
                    seed = ops.firstIndexOf(boundRow, 0, kpad, best) / width;
                    any = true;
                }
            }
            seedGroups[b] = seed;
        }
        if (!any) {
            // Nothing to skip in this block: the rest with the unpruned pass's register blocking.
            ops.finishFrom(m, centred, check1, acc, maxes);
            return;
        }
        // The seed groups to D: their max is a log-likelihood the descriptor will have, so a lower
        // bound of its max (and they are never skipped: their bound is the best).
        int[] mk = masks;
        java.util.Arrays.fill(mk, 0);
        for (int b = 0; b < BLOCK; b++) {
            int q = seedGroups[b];
            if (q >= 0) {
                mk[q] |= 1 << b;
            }
        }
        ops.continueMasked(m, centred, check1, d, acc, mk);
        for (int b = 0; b < BLOCK; b++) {
            int seed = seedGroups[b];
            if (seed >= 0) {
                lowers[b] = ops.laneMax(acc, b * kpad, ln, seed * width);
            }
        }
        // First check (D / 4), then D / 2: a group skipped at the first stays below at the second
        // (its sums did not move), and a seed group always stays (a lane equals the lower bound).
        checks(ops, acc, mk);
        ops.continueMasked(m, centred, check1, check2, acc, mk);
        checks(ops, acc, mk);
        ops.continueMasked(m, centred, check2, d, acc, mk);
        long skipped = 0;
        for (int q = 0; q < groups; q++) {
            int keep = mk[q];
            for (int b = 0; b < BLOCK; b++) {
                keep |= seedGroups[b] == q ? 1 << b : 0;
            }
            keptGroups[q] = keep;
            skipped += BLOCK - Integer.bitCount(keep);
        }
        prunedGroups += skipped;
        ops.finishBlock(m, acc, maxes, keptGroups);
    }

    /**
     * {@code mk[q]}: the descriptors that continue group {@code q}: those without a seed, all; the
     * others, the groups their lower bound does not prune, their seed group excepted (done).
     */
    private void checks(Lanes ops, float[] acc, int[] mk) {
        PackedModel m = model;
        int kpad = m.kpad;
        int groups = kpad / m.lanes;
        java.util.Arrays.fill(mk, 0);
        for (int b = 0; b < BLOCK; b++) {
            int seed = seedGroups[b];
            int bit = 1 << b;
            if (seed < 0) {
                for (int q = 0; q < groups; q++) {
                    mk[q] |= bit;
                }
            } else {
                ops.checkGroups(acc, b * kpad, m.logNorm, kpad, lowers[b], pruneCut, mk, bit);
                mk[seed] &= ~bit;
            }
        }
    }

    /**
     * The cut below a descriptor's max under which terms are left out: by the pruned pass (see
     * {@link #prunedLogLikelihoods}, which proves the bounds) and by {@link #exps}.
     */
    static float pruneCut(boolean hard, double threshold, int kpad) {
        if (hard || threshold == 0) {
            return ExpPolynomial.LOW;
        }
        double cut = Math.log(Math.min(threshold / 2, 0x1p-26 / kpad));
        float f = (float) cut;
        if (f > cut) {
            f = Math.nextDown(f);
        }
        return Math.max(f, ExpPolynomial.LOW);
    }

    /**
     * For benchmarks ({@code PruneAB}): the log-likelihood passes of the whole blocks of {@code n}
     * descriptors at {@code x[0 ..]}, on the vector lanes, pruned if this kernel prunes, and nothing
     * after them; returns a checksum of the maxes.
     */
    float logLikelihoodsOnly(float[] x, int n) {
        PackedModel m = model;
        int d = m.d;
        float sum = 0;
        for (int i = 0; i + BLOCK <= n; i += BLOCK) {
            for (int b = 0; b < BLOCK; b++) {
                m.centre(x, (i + b) * d, centred, b * d);
            }
            if (prune) {
                prunedLogLikelihoods(VectorLanes.INSTANCE);
            } else {
                VectorLanes.INSTANCE.logLikelihoodsBlock(m, centred, likelihoods, maxes);
            }
            sum += maxes[0];
        }
        return sum;
    }

    /** Groups of components skipped by pruning so far, counted once per descriptor. */
    long prunedGroups() {
        return prunedGroups;
    }

    private static int preferredBits() {
        try {
            return VectorLanes.preferredBits();
        } catch (LinkageError e) {
            return 256; // no vector module: only the scalar reference runs anyway
        }
    }

    /** See {@link #minTrustedMax}: {@code -y} for the largest {@code y >= 0} whose bound stays within the limit. */
    static float minTrustedMax(int d, double maxOffsetNorm) {
        double lo = 0;
        double hi = 1e38;
        if (!(errorBound(d, maxOffsetNorm, 0) <= POSTERIOR_ERROR_LIMIT)) {
            return Float.POSITIVE_INFINITY; // no descriptor is trusted: all go to the scalar reference
        }
        for (int i = 0; i < 300 && hi - lo > 1e-9 * hi; i++) {
            double mid = 0.5 * (lo + hi);
            if (errorBound(d, maxOffsetNorm, mid) <= POSTERIOR_ERROR_LIMIT) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        float limit = (float) -lo;
        return limit < -lo ? Math.nextUp(limit) : limit; // round towards the trusted side
    }

    private static double errorBound(int d, double b, double y) {
        double u = 0x1p-24;
        return 1.1 * u * ((d + 10) * (NEGLIGIBLE_NATS + 2 * y) + 4 * b * (Math.sqrt(NEGLIGIBLE_NATS + y) + Math.sqrt(y))
                + 16 * u * b * b);
    }

    /**
     * Passes the terms of a descriptor given to the scalar reference on to the call's sink, with its
     * index in the call; {@link #at} returns {@code null} when no one listens.
     */
    private static final class FallbackSink implements KeptTermSink {
        private KeptTermSink target;
        private int offset;
        private int d;
        private int descriptor;

        void to(KeptTermSink target, int offset, int d) {
            this.target = target;
            this.offset = offset;
            this.d = d;
        }

        KeptTermSink at(int row) {
            if (target == null) {
                return null;
            }
            descriptor = (row - offset) / d;
            return this;
        }

        @Override
        public void add(int ignored, int component, double posterior) {
            target.add(descriptor, component, posterior);
        }
    }

    /** Descriptors given to the scalar reference so far (not counting a whole model that float cannot hold). */
    long fallbacks() {
        return fallbacks;
    }
}
