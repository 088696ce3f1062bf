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
     * Whether kernels prune ({@link #seededBatch}): on unless {@code -Dfvec.simd.prune=false}.
     * The outputs are the same either way, bit for bit; only the time differs. Models of fewer
     * than {@link GroupGeometry#MIN_GROUPS} groups of lanes ({@link GroupGeometry#MIN_GATHERED_GROUPS}
     * with {@link GroupGeometry#GATHERS}), below {@link #MIN_PRUNE_DIMENSION}
     * dimensions or too large for {@link GroupGeometry} are not pruned, and a kernel whose batches
     * do not pay runs unpruned most of the time ({@link #SEED_REST}).
     *
     * <p>Measured (Zen 5, 512 bits, Temurin 25, {@code PruneAB}: pruned and unpruned kernels
     * alternating in one JVM), synthetic 64 x 256 x 1000, t = 1e-6: the log-likelihood pass alone
     * 185 against 352 us, the statistics call 465 against 580 us (71-79% of the (descriptor,
     * group) pairs skipped); 64 x 1024: 67-71% skipped; the golden case (a real model and
     * descriptors): nothing to skip, the batches rest.
     *
     * <p>Three earlier designs bounded a group by its partial sums after {@code D / 4} or
     * {@code D / 2} dimensions (sessions 16-19) and were slower on every shape: the partial sums
     * rarely rule a group out (on the synthetic shapes at {@code t = 0}, no pair at {@code D / 4}
     * and 0.1% at {@code D / 2}; golden 19% at {@code D / 2}), and their continuations, a few
     * descriptors per group, ran well below the register-blocked pass's rate. The triangle
     * inequality rules groups out before any of their dimensions are summed, and sorting a batch
     * by seed group keeps the blocks' descriptors together, so the groups that remain are computed
     * by the full register-blocked pass ({@link Lanes#passGroups}).
     *
     * <p>Models of 3 to 7 groups (no seeds: 128 x 64 at 512 bits) were tried again in session 25
     * with partial sums as the seeds: every group's sums over the first {@code D / 4} dimensions,
     * the batch sorted by the group of each descriptor's largest bound, its seed groups resumed to
     * the end, then the groups the block's bounds could not rule out. Bitwise the unpruned outputs
     * and 41% of the pairs skipped at 128 x 64, t = 1e-6 (an offline count had 2.3 of 4 groups
     * needed per sorted block), but the encode was 1.14x slower (JarAB): the resumes ran a group at
     * a time (a pair with the resume's loads and stores outgrew what C2 intrinsifies in one compile,
     * and boxed), each short, and a block's decisions waited for its seed groups.
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
     * (16 groups) D = 64 764 vs 750, K = 1024 (64 groups) 3254 vs 2997 (session 20). Session 22,
     * after its changes elsewhere (toLong for the kept lanes, no copies, one log per block), at
     * K = 256 (16 groups): golden t = 1e-6 0.972-0.976, t = 0 0.978, synthetic 0.987, hard 1.003
     * (interleaved over one by one, JarAB): hence 16. A K = 1024 model's first calls after
     * {@code Kernels.warmUp()} (whose models now all take the block's exps at once at 512 bits)
     * allocate nothing and take 2.6-2.9 ms falling to 1.8 ms within four calls, as before (JDK 17
     * and 25).
     */
    static final int INTERLEAVED_EXP_GROUPS = 16;
    /**
     * Batches run unpruned after one where seeded pruning did not pay (see {@link #seededBatch});
     * doubled after each further such batch in a row, up to {@link #MAX_SEED_REST}, and back to
     * this after one that paid. With data that never pays (the golden case), a probe every 17
     * batches cost about 1% of an encode (JarAB, rests of 64 against 16: 0.989).
     */
    static final int SEED_REST = 16;
    /** The longest rest: 128 batches (about 32,000 descriptors at K = 256) before seeded pruning is tried again. */
    static final int MAX_SEED_REST = 128;
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
    // Where the block's rows are: likelihoods from 0, or a seeded batch's rows (no copy).
    private float[] rows;
    private int rowsFrom;
    private final float[] maxes; // BLOCK: max_k log p
    private final boolean[] outside = new boolean[BLOCK]; // BLOCK: Lanes#outOfRange of the block's descriptors
    private final float[] centred; // BLOCK x D: the block's descriptors minus the model's centre
    private final float pruneCut; // in nats below the max: seeded pruning skips a group whose bound lies below, exps takes such terms as 0
    private final float groupCut; // the groups that may keep a term have a lane e >= this (see exps)
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
    // Gathered groups (fewer than GroupGeometry.MIN_GROUPS groups): auto kernels prune once their
    // own warm-up has run (VectorWarmUp.isGatheredWarm), which only processes using them pay for.
    private final boolean gatheredSeeds;
    private final int seededRows; // descriptors per seeded batch, a multiple of BLOCK
    private final float[] batchLikelihoods; // seededRows x Kpad, in the batch's order
    private final float[] batchMaxes; // seededRows
    private final boolean[] batchOutside; // seededRows: Lanes#outOfRange, from the centring
    private final int[] seedGroupOf; // seededRows: the group of the nearest centre
    private final int[] sortedRows; // seededRows: the batch by seed group
    private final int[] groupStarts; // groups + 1
    private final float[] centresLp; // BLOCK x the centres' Kpad
    private final float[] centresMax = new float[BLOCK];
    private final float[] centresCentred; // BLOCK x D
    private final int[] bases = new int[BLOCK];
    private final float[] maxLanes; // BLOCK x LANES: the block's running maxima
    private final int[] groupList; // groups
    private final int[] doneWords; // groups / 32: computed in the block
    private final int[] keepWords; // groups / 32: to compute
    // Gathered groups (below GroupGeometry.MIN_GROUPS groups; else null):
    private final int[] descriptorWords; // BLOCK: each descriptor's groups to compute (one word: fewer than 32 groups)
    private final int[] gathered; // groups x seededRows: the batch's descriptors that need each group
    private final int[] gatheredCounts; // groups
    private final float[] radii = new float[2 * BLOCK]; // the block's Lanes#seedRadii pairs
    private final float[] blockBest = new float[BLOCK]; // the block's maxima over its seed groups
    private final int[] seedLanes = new int[BLOCK]; // the lanes of those maxima, -1 for none
    private ScalarLanes centresTwin; // the twin's lanes for the centres, on first use
    private int seedRest; // seeded batches to skip (the last one skipped too little to pay)
    private int nextSeedRest = SEED_REST; // the rest after the next batch that does not pay

    private boolean checkFinite; // in accumulateIfFinite: a descriptor out of range may hold NaN or an infinity
    private boolean sawNonFinite; // one did

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
        this.likelihoods = new float[BLOCK * kpad];
        this.rows = likelihoods;
        this.maxes = new float[BLOCK];
        this.centred = new float[BLOCK * this.model.d];
        this.pruneCut = pruneCut(hard, threshold, kpad);
        this.groupCut = keepAll ? Float.MIN_VALUE : (float) threshold;
        this.blockCandidates = new int[BLOCK * (kpad / width)];
        this.candidateBits = new int[kpad / width];
        this.live = new int[BLOCK * (kpad / width)];
        this.interleaveExps = kpad <= INTERLEAVED_EXP_GROUPS * width;
        this.laneSums = new float[BLOCK * width];
        this.minTrustedMax = minTrustedMax(this.model.d, this.model.maxOffsetNorm);
        this.seeds = prune ? this.model.seeds : null; // null where GroupGeometry does not apply (few groups, small D)
        this.gatheredSeeds = seeds != null && seeds.centres == null;
        this.maxLanes = new float[BLOCK * width];
        this.seededRows = Math.max(64, Math.min(256, (1 << 17) / kpad)) / BLOCK * BLOCK;
        if (seeds != null) { // ~0.3 MB at K = 256, D = 64; here, not on a first call (see FisherEncoder)
            int groups = kpad / width;
            this.batchLikelihoods = new float[seededRows * kpad];
            this.batchMaxes = new float[seededRows];
            this.batchOutside = new boolean[seededRows];
            this.seedGroupOf = new int[seededRows];
            this.sortedRows = new int[seededRows];
            this.groupStarts = new int[groups + 1];
            this.centresLp = gatheredSeeds ? null : new float[BLOCK * seeds.centres.kpad];
            this.centresCentred = gatheredSeeds ? null : new float[BLOCK * this.model.d];
            this.groupList = new int[groups];
            this.doneWords = new int[(groups + 31) / 32];
            this.keepWords = new int[(groups + 31) / 32];
            this.descriptorWords = gatheredSeeds ? new int[BLOCK] : null;
            this.gathered = gatheredSeeds ? new int[groups * seededRows] : null;
            this.gatheredCounts = gatheredSeeds ? new int[groups] : null;
        } else {
            this.batchLikelihoods = null;
            this.batchMaxes = null;
            this.batchOutside = null;
            this.seedGroupOf = null;
            this.sortedRows = null;
            this.groupStarts = null;
            this.centresLp = null;
            this.centresCentred = null;
            this.groupList = null;
            this.doneWords = null;
            this.keepWords = null;
            this.descriptorWords = null;
            this.gathered = null;
            this.gatheredCounts = null;
        }
        if (mode == Mode.AUTO) {
            VectorWarmUp.twinWorked(0);
            if (gatheredSeeds) {
                VectorWarmUp.gatheredKernelMade();
            }
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
     * Checks the input in the call's own pass: a descriptor with NaN or an infinity is out of range
     * ({@link Lanes#outOfRange}), which every path decides from the values it centres, and goes to
     * {@link #keep}'s fallback; there, rather than to the scalar reference, it ends the check. The
     * call runs to its end (the batch's state stays whole), its statistics to be discarded.
     */
    @Override
    public boolean accumulateIfFinite(float[] x, int offset, int count, GmmStatistics stats) {
        if (!model.floatCanHold) {
            return StatisticsKernel.super.accumulateIfFinite(x, offset, count, stats);
        }
        checkFinite = true;
        sawNonFinite = false;
        try {
            accumulate(x, offset, count, stats);
        } finally {
            checkFinite = false;
        }
        return !sawNonFinite;
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
        rows = likelihoods;
        rowsFrom = 0;
        while (i + BLOCK <= count) {
            // Auto kernels: on the vector lanes once seeded pruning's own code is compiled (VectorWarmUp),
            // gathered groups' too where they serve; not on the twin (it has its look-ahead).
            if (seeds != null & (fixedLanes != null
                    | ops != twinLanes & VectorWarmUp.isSeededWarm() & (!gatheredSeeds | VectorWarmUp.isGatheredWarm()))) {
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
                for (int b = 0; b < BLOCK; b++) {
                    outside[b] = ops.outOfRange(x, offset + (i + b) * d, d);
                }
                block(ops, x, offset + i * d, stats, true);
            }
        }
        for (; i < count; i++) {
            int row = offset + i * d;
            outside[0] = ops.centre(m, x, row, centred, 0);
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
            // Centred copies, or, for uncentred models, the rows in place (VectorLanes).
            ops.logLikelihoodsOfRows(m, x, row, centred, likelihoods, maxes, outside);
        }
        keptTerms.makeRoom(BLOCK, stats, ops);
        // Two passes: every descriptor's exps, then every descriptor's kept terms, so the kept
        // terms' loads (a lane here and there) find the exps' vector stores long done rather than
        // in flight. Not measured apart from the kept-lane masks (see keep), which made the gain.
        if (interleaveExps) {
            for (int b = 0; b < BLOCK; b++) {
                admit(ops, b, x, row + b * d);
            }
            ops.expOfLiveGroupsInterleaved(rows, rowsFrom, m.kpad, maxes, slots, BLOCK, pruneCut, groupCut, live, blockCandidates,
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
        rows = batchLikelihoods;
        for (int i = 0; i < n; i += BLOCK) {
            rowsFrom = i * kpad;
            System.arraycopy(batchMaxes, i, maxes, 0, BLOCK);
            System.arraycopy(batchOutside, i, outside, 0, BLOCK);
            block(ops, x, row + i * d, stats, true);
        }
        rows = likelihoods;
        rowsFrom = 0;
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
     * <p>Models of fewer than {@link GroupGeometry#MIN_GROUPS} groups (pruned only where
     * {@link GroupGeometry#GATHERS}) gather instead: a block's union would compute most of their
     * groups, while each descriptor needs few (at 4 groups, 1.32 on average, offline). Their seeds
     * come from {@link Lanes#nearestCentres}; each descriptor's groups beyond its block's seed
     * groups are listed per group over the whole batch and computed after its blocks
     * ({@link #passGathered}), in blocks of descriptors that all need that group. At 128 x 64,
     * t = 1e-6: 62% of the pairs skipped, the encode 0.961 of the unpruned kernel's time on
     * Temurin 25 (session 29's prototype: docs/prototypes/GATHERED-GROUPS.md).
     *
     * <p>Where a batch computes more than 90% of the unpruned pass's groups, counting the centres'
     * and one more per block for the bookkeeping (gathered: all of them, counting 1.5 per block),
     * the next {@value #SEED_REST} or more batches run unpruned (the outputs are the same either way).
     */
    private void seededBatch(Lanes ops, float[] x, int row, int n) {
        PackedModel m = model;
        Seeds sd = seeds;
        PackedModel cm = sd.centres;
        int d = m.d;
        int kpad = m.kpad;
        int width = m.lanes;
        int groups = kpad / width;
        float[] lp = batchLikelihoods;
        // Seed groups: the nearest centre's.
        if (gathered != null) {
            ops.nearestCentres(sd, x, row, d, n, seedGroupOf);
        }
        for (int i = 0; i < n && gathered == null; i += BLOCK) {
            for (int b = 0; b < BLOCK; b++) {
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
        boolean gathers = gathered != null;
        for (int o = 0; o < n; o += BLOCK) {
            java.util.Arrays.fill(doneWords, 0);
            int listed = 0;
            for (int b = 0; b < BLOCK; b++) {
                int t = sortedRows[o + b];
                batchOutside[t] = ops.centre(m, x, row + t * d, centred, b * d);
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
            groupsToKeep(ops, lp);
            if (gathers) {
                // Each descriptor's other groups, to compute with the other descriptors that need them.
                int valid = (1 << groups) - 1;
                for (int b = 0; b < BLOCK; b++) {
                    int t = sortedRows[o + b];
                    batchMaxes[t] = blockBest[b];
                    for (int bits = descriptorWords[b] & ~doneWords[0] & valid; bits != 0; bits &= bits - 1) {
                        int g = Integer.numberOfTrailingZeros(bits);
                        gathered[g * seededRows + gatheredCounts[g]++] = t;
                    }
                }
                continue;
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
        if (gathers) {
            computed += passGathered(ops, x, row);
        }
        long blocks = n / BLOCK;
        long pairs = blocks * groups;
        prunedGroups += (pairs - computed) * BLOCK;
        // The union's seeds cost about one group's pass for the centres and one for the bookkeeping,
        // per block. The gathered groups' (seeds on fewer dimensions, but more bookkeeping) about 1.3
        // per block in all: session 29's prototype computed 38% of the pairs at 4 groups, D = 128, and
        // its log-likelihoods took 0.70 of the unpruned pass's time; 1.5 leaves a margin.
        if (gathers ? computed + blocks * 3 / 2 > pairs : computed + blocks * (cm.kpad / width + 1) > pairs * 9 / 10) {
            seedRest = nextSeedRest;
            nextSeedRest = Math.min(2 * nextSeedRest, MAX_SEED_REST);
        } else {
            nextSeedRest = SEED_REST;
        }
    }

    /**
     * {@link #seededBatch}'s gathered groups: for each group, the batch's descriptors listed in
     * {@link #gathered} (in the batch's sorted order), {@link #BLOCK} at a time (the last block
     * padded with its last descriptor, computed twice to the same values), centred again and
     * passed over that group alone; their maxima merged into {@link #batchMaxes}. Returns the
     * blocks computed.
     */
    private long passGathered(Lanes ops, float[] x, int row) {
        PackedModel m = model;
        int d = m.d;
        int kpad = m.kpad;
        int width = m.lanes;
        float[] lp = batchLikelihoods;
        long blocks = 0;
        for (int g = 0; g < gatheredCounts.length; g++) {
            int count = gatheredCounts[g];
            int from = g * seededRows;
            gatheredCounts[g] = 0;
            groupList[0] = g;
            for (int o = 0; o < count; o += BLOCK) {
                for (int b = 0; b < BLOCK; b++) {
                    int t = gathered[from + Math.min(o + b, count - 1)];
                    ops.centre(m, x, row + t * d, centred, b * d);
                    bases[b] = t * kpad;
                }
                java.util.Arrays.fill(maxLanes, Float.NEGATIVE_INFINITY);
                ops.passGroups(m, centred, groupList, 1, lp, bases, maxLanes);
                for (int b = 0; b < BLOCK; b++) {
                    int t = gathered[from + Math.min(o + b, count - 1)];
                    batchMaxes[t] = Math.max(batchMaxes[t], ops.reduceMax(maxLanes, b * width));
                }
                blocks++;
            }
        }
        return blocks;
    }

    /**
     * {@link #seededBatch}'s block, its seed groups computed (listed first in {@link #groupList},
     * running maxima in {@link #maxLanes}): sets in {@link #keepWords} the groups that some
     * descriptor of the block cannot rule out. Stage by stage over the descriptors, each stage a
     * loop of its own: a descriptor's chain (max, seed lane, radius, square roots, bound) is long
     * and serial, and the descriptors' chains overlap only when no stage waits for another
     * descriptor's; the radii four descriptors at a time ({@link Lanes#seedRadii}). Their groups
     * add up as bits in the words. A method of its own, run once per block with loops inside, so
     * that C2 compiles it within the warm-up's seeded phase. With the batch centred block by block
     * in the batch's sorted order (no centred copy of the batch, no copies into the block), these
     * took 64 x 256 from 433 to 414 us an encode, 64 x 1024 from 1566 to 1491 (0.956, 0.953;
     * JarAB, Zen 5, 512 bits, t = 1e-6); the golden case rests (no change).
     */
    private void groupsToKeep(Lanes ops, float[] lp) {
        PackedModel m = model;
        Seeds sd = seeds;
        int width = m.lanes;
        java.util.Arrays.fill(keepWords, 0);
        for (int b = 0; b < BLOCK; b++) {
            blockBest[b] = ops.reduceMax(maxLanes, b * width);
        }
        for (int b = 0; b < BLOCK; b++) {
            float best = blockBest[b];
            int p = -1;
            if (best > Float.NEGATIVE_INFINITY) { // not NaN, not -inf: a bound to prune against
                for (int q = 0; p < 0; q++) { // one of the seed groups (groupList's first) has it
                    int at = groupList[q] * width;
                    p = ops.firstLaneOf(lp, bases[b] + at, best);
                    p += p < 0 ? 0 : at;
                }
            }
            seedLanes[b] = p;
        }
        ops.seedRadii(m, centred, seedLanes, radii);
        for (int b = 0; b < BLOCK; b++) {
            int p = seedLanes[b];
            if (p >= 0) {
                double rho = sd.slack;
                double r = Math.sqrt(radii[2 * b]) * (1 + rho) + rho * (Math.sqrt(radii[2 * b + 1]) + sd.pivotNorms[p]);
                if (gathered != null) {
                    keepWords[0] = 0;
                    ops.keepGroups(sd, p, Seeds.up(r), threshold(blockBest[b]), keepWords);
                    descriptorWords[b] = keepWords[0];
                } else {
                    ops.keepGroups(sd, p, Seeds.up(r), threshold(blockBest[b]), keepWords);
                }
            } else {
                java.util.Arrays.fill(keepWords, -1); // no bound: every group
                if (gathered != null) {
                    descriptorWords[b] = -1;
                }
            }
        }
    }

    /**
     * For benchmarks ({@code PruneAB}): the log-likelihoods of the whole blocks of {@code n}
     * descriptors at {@code x[0 ..]} on the vector lanes, seeded batches if this kernel prunes
     * (whatever {@link #seedRest} says), and nothing after them; returns a checksum of the maxes.
     */
    float logLikelihoodsOnly(float[] x, int n) {
        PackedModel m = model;
        int d = m.d;
        float sum = 0;
        for (int i = 0; i + BLOCK <= n; ) {
            if (seeds != null) {
                int rows = Math.min(seededRows, (n - i) / BLOCK * BLOCK);
                seededBatch(VectorLanes.INSTANCE, x, i * d, rows);
                sum += batchMaxes[0];
                i += rows;
            } else {
                for (int b = 0; b < BLOCK; b++) {
                    m.centre(x, (i + b) * d, centred, b * d);
                }
                VectorLanes.INSTANCE.logLikelihoodsBlock(m, centred, likelihoods, maxes);
                sum += maxes[0];
                i += BLOCK;
            }
        }
        return sum;
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
        if (!(max >= minTrustedMax) || outside[b]) {
            // -inf (overflow) fails the first test too.
            slots[b] = -1;
            return false;
        }
        slots[b] = keptTerms.add(x, row);

        // Hard assignment: the first component that reaches the max (ties to the lowest index).
        if (hard) {
            int base = rowsFrom + b * model.kpad;
            int best = ops.firstIndexOf(rows, base, model.kpad, max);
            // Lanes may hold the components in GroupGeometry's order: the lowest component of the
            // ties (in the components' own order, the first lane, after a scan of the rest; the
            // warm-up's small model, in that order, compiles the scan too).
            int[] of = model.component;
            for (int c = ops.nextIndexOf(rows, base, best + 1, model.kpad, max); c >= 0;
                    c = ops.nextIndexOf(rows, base, c + 1, model.kpad, max)) {
                best = of[c] < of[best] ? c : best;
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
        // kept, and below 2^-26 of the sum (>= 1) in all; seeded pruning (seededBatch) skips only
        // groups below this cut. Most exps are skipped so: at D = 64, K = 256 (bench/e2e's inputs)
        // 91 of 256 components per descriptor lie within 87 nats of the max, in 9 of 16 groups,
        // but 12 within 23.6 nats (the cut at t = 1e-6), in 5-6 groups.
        // Since sum >= 1, e >= t * sum implies e >= t (groupCut): groups without need no second look.
        int kpad = model.kpad;
        int groups = kpad / model.lanes;
        candidateCounts[b] = ops.expOfLiveGroups(rows, rowsFrom + b * kpad, kpad, maxes[b], pruneCut, groupCut, live,
                blockCandidates, b * groups, laneSums, b * model.lanes);
    }

    /**
     * After {@link #exps} of descriptors {@code 0 .. n)}: each one's exp sum (its lane sums added in
     * index order, from {@code +0}) into {@link #sums}, and the block's log-likelihoods added (the
     * logs of the sums as one log of their product). All descriptors' lanes at once, lane by lane:
     * the adds of one descriptor form a chain of {@code LANES} dependent float adds, and the
     * descriptors' chains interleave here rather than each ending a descriptor's exps. Descriptors
     * given to the scalar reference are skipped. A full block of 8 keeps its 8 sums in locals: the
     * loop over {@code s[b]} kept them in memory, so each add waited for the store before it
     * (store-to-load forwarding in every link of the chains): 128 x 64 t = 1e-6 0.976 (JarAB, Zen 5,
     * 512 bits, 6 JVMs, 0.971-0.980), 64 x 256 0.993, golden 0.993 (4 JVMs). The same adds in the
     * same order as before, so the same bits. Other counts (blocks of 4, a call's last rows): one
     * descriptor's chain at a time, which the out-of-order core overlaps with the next.
     */
    private void sumExps(int n) {
        int width = model.lanes;
        float[] s = sums;
        float[] ls = laneSums;
        if (n == 8) {
            float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f, s4 = 0f, s5 = 0f, s6 = 0f, s7 = 0f;
            for (int l = 0; l < width; l++) {
                s0 += ls[l];
                s1 += ls[width + l];
                s2 += ls[2 * width + l];
                s3 += ls[3 * width + l];
                s4 += ls[4 * width + l];
                s5 += ls[5 * width + l];
                s6 += ls[6 * width + l];
                s7 += ls[7 * width + l];
            }
            s[0] = s0;
            s[1] = s1;
            s[2] = s2;
            s[3] = s3;
            s[4] = s4;
            s[5] = s5;
            s[6] = s6;
            s[7] = s7;
        } else {
            for (int b = 0; b < n; b++) {
                float sum = 0f;
                for (int l = 0; l < width; l++) {
                    sum += ls[b * width + l];
                }
                s[b] = sum;
            }
        }
        // One log per block, of the product of the sums (each in [1, Kpad], so at most Kpad^BLOCK):
        // a log per descriptor took 1-2% of an encode at D = 128, K = 64.
        double product = 1;
        double ll = logLikelihood;
        for (int b = 0; b < n; b++) {
            if (slots[b] >= 0) {
                ll += model.maxLogNorm + maxes[b];
                product *= s[b];
            }
        }
        logLikelihood = ll + Math.log(product);
    }

    /**
     * The descriptor at {@code x[row]}, row {@code b} of the block, after {@link #exps}: its
     * posteriors, sparsified, and the kept terms queued; or the scalar reference, when float
     * overflowed or a value is out of range.
     */
    private void keep(Lanes ops, int b, float[] x, int row, GmmStatistics stats) {
        int slot = slots[b];
        if (slot < 0) {
            if (checkFinite && StatisticsKernel.super.firstNonFinite(x, row, row + model.d) >= 0) {
                sawNonFinite = true; // for accumulateIfFinite's caller, who discards the statistics
                return;
            }
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
        int base = rowsFrom + b * model.kpad;
        int from = b * (model.kpad / model.lanes);
        int nCandidates = candidateCounts[b];
        float sum = sums[b];
        // Posteriors q_k = e_k / sum. q >= t  <=>  e >= t * sum. For t = 0 every term is kept and
        // counted, but zeros add nothing.
        float inverseSum = 1f / sum;
        float cut = keepAll ? Float.MIN_VALUE : (float) (threshold * sum);
        float[] lp = rows;
        int queued = 0;
        int fullest = 0;
        if (model.kpad <= Long.SIZE) {
            // Every component's bit in one word, and one loop over its set bits, in component order
            // as below: one data-dependent loop exit per descriptor rather than one per candidate
            // group and one more. Every group's bits, candidate or not (the others hold exps below
            // the cut, or log p values, which are < 0: no bit), so the first loop's count is fixed.
            long word = 0;
            for (int c = 0; c < model.kpad; c += model.lanes) {
                word |= (ops.keptBits(lp, base + c, cut) & 0xFFFF_FFFFL) << c;
            }
            for (long w = word; w != 0; w &= w - 1) {
                int c = Long.numberOfTrailingZeros(w);
                fullest = Math.max(fullest, keptTerms.queue(c, lp[base + c] * inverseSum, slot));
                queued++;
            }
            keptTerms.noteFullest(fullest);
            kept += keepAll ? k : queued;
            return;
        }
        // The masks first, then their bits: the loop over a mask's bits ends at a data-dependent
        // count (a mispredicted exit, often), which would otherwise also wait for the next mask's
        // reduction; in a loop of their own the reductions overlap.
        int[] bits = candidateBits;
        for (int i = 0; i < nCandidates; i++) {
            bits[i] = ops.keptBits(lp, base + blockCandidates[from + i], cut);
        }
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
     * The cut below a descriptor's max under which terms are left out: by seeded pruning (see
     * {@link #seededBatch}, which proves its bounds) and by {@link #exps}.
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
