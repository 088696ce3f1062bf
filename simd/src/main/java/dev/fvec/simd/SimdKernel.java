package dev.fvec.simd;

import dev.fvec.DiagonalGmm;
import dev.fvec.GmmStatistics;
import dev.fvec.Kernels;
import dev.fvec.Sparsity;
import dev.fvec.spi.StatisticsAccess;
import dev.fvec.spi.StatisticsKernel;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API statistics kernel: one fused pass per block of descriptors computes the
 * log-likelihoods of every component, the log-sum-exp, the sparsified posteriors and the
 * statistics (SPEC.md, "Posteriors" and "Sufficient statistics"), with no {@code N x K} matrix and
 * no allocation per call.
 *
 * <h2>Layout</h2>
 * <ul>
 *   <li>Log-likelihoods put <b>lanes over components</b>: the model is kept transposed, per group
 *       of {@code LANES} components a contiguous strip of {@code D} pairs of vectors
 *       ({@code mu_kj} of the group's components, then {@code 1 / (2 var_kj)}), so one vector holds
 *       {@code log p} of {@code LANES} components, no horizontal reduction is needed in the
 *       {@code K x D} loop, and the loop streams through memory. {@code BLOCK = 4} descriptors share
 *       each pair of model loads; the max of each descriptor's log-likelihoods is taken on the way.</li>
 *   <li>{@code K} is padded to {@code Kpad}, a multiple of the lane count, with components whose
 *       log-normaliser is {@code -inf} (mean 0, inverse variance 0), so they never win the max and
 *       their posterior is exactly 0; no masked loads (slow on JDK 17).</li>
 *   <li>Statistics put <b>lanes over dimensions</b> ({@code D} padded to {@code Dpad} with zeros)
 *       and are accumulated only for the components a descriptor keeps. The kept terms are not
 *       added as they are found but queued for a batch of up to {@code TB} descriptors, then
 *       added component by component (a stable counting sort, so each component still receives
 *       its terms in descriptor order and the float sums are bit for bit the same): the windows
 *       of all components ({@code 2 K Dpad} floats) outgrow L1, and read-modify-writing a window
 *       row per term was bound by L2 traffic; now each row is read and written once per batch and
 *       held in registers while the batch's descriptors (in L1) are added.</li>
 * </ul>
 *
 * <h2>Precision</h2>
 * <ul>
 *   <li>{@code (x - mu)^2 / (2 var)} is computed as {@code d * (d * h)} with {@code d = mu - x},
 *       never in the expanded form, which cancels for large values.</li>
 *   <li>Log-normalisers are stored relative to the largest one (posteriors do not change, the
 *       log-likelihood adds it back in double), so the float values stay small.</li>
 *   <li>{@code S1}, {@code S2} are accumulated in float <b>centred on the component mean</b>,
 *       {@code sum q (x - mu)} and {@code sum q (x - mu)^2}, over at most {@value #FLUSH_TERMS} terms
 *       per component, then flushed into the double {@link GmmStatistics} as raw moments
 *       ({@code S1 += C1 + mu W}, {@code S2 += C2 + 2 mu C1 + mu^2 W}, with {@code W} the double sum
 *       of the same posteriors). Centring keeps the float error on the scale of the variance rather
 *       than of {@code mu^2}, so the Fisher vector's {@code s2 - 2 mu s1 + mu^2 s0} does not amplify
 *       it; the window keeps it near {@code 1e-6} relative.</li>
 *   <li>{@code exp} is an own polynomial (about 1 ulp on {@code [-87, 0]}, 0 below), because
 *       {@code lanewise(EXP)} is fast only where the JDK's SVML stubs load.</li>
 * </ul>
 *
 * <h2>Fallbacks</h2>
 * A descriptor whose float log-likelihoods overflow (every component {@code -inf}), or with a value
 * beyond {@code 2^59} (its {@code x^2} could overflow the float window), is computed by the scalar
 * reference instead; a model that float cannot hold (an inverse variance outside the normal float
 * range, a mean beyond {@code 2^59}) is computed by the scalar reference entirely.
 *
 * <p>Not thread-safe: one instance per thread (scratch space is owned).
 */
final class SimdKernel implements StatisticsKernel {

    /** The float species; {@code -Dfvec.simd.bits=128|256|512} forces a width. */
    static final VectorSpecies<Float> SPECIES = species();
    static final int LANES = SPECIES.length();

    /** Descriptors per pass over the model: 4 shares each load between 4 FMA chains. */
    static final int BLOCK = 4;
    /**
     * Descriptors per batch of queued terms (see the layout); their padded copies take
     * {@code TB x Dpad} floats. Larger batches give each component more terms per visit of its
     * window row: 128 measured clearly better than 32 and 64, and no worse than 256. Fewer for
     * long descriptors (see {@code batchRows}), so the copies stay within {@value #BATCH_FLOATS} floats.
     */
    static final int TB = 128;
    static final int BATCH_FLOATS = 16384;
    /** Queued terms per batch, at the least; a batch ends early rather than overflow. */
    static final int TERM_CAPACITY = 4096;
    /** Float terms summed per component before flushing into double: keeps the error ~1e-6 relative. */
    static final int FLUSH_TERMS = 128;
    /** Largest |x| and |mu| handled in float: (2^60)^2 * 128 terms still fits in a float. */
    static final float VALUE_LIMIT = 0x1p59f;

    /** Deliberate bugs, for the tests that prove the comparisons would catch them. */
    enum Fault {
        NONE,
        /** Forgets the last descriptor of every call (but still counts it in N). */
        SKIP_LAST_DESCRIPTOR,
        /** Treats the last component as padding: an off-by-one in the K tail. */
        DROP_LAST_COMPONENT,
        /** Ignores the last dimension in the log-likelihoods: an off-by-one in the D tail. */
        DROP_LAST_DIMENSION,
        /** Swaps the log-likelihoods of components 0 and 1. */
        SWAP_FIRST_TWO_COMPONENTS
    }

    private final int k;
    private final int d;
    private final int kpad;
    private final int dpad;
    private final boolean hard;
    private final boolean keepAll; // t = 0: every term kept (and counted), zero posteriors skipped
    private final double threshold;
    private final Fault fault;

    // The model, in float. Log-likelihoods: transposed, K padded. Statistics: row-major, D padded.
    // Per group of LANES components, D pairs of vectors: means, then 1 / (2 var). So the inner loop
    // reads one contiguous 2 * D * LANES strip (sequential, prefetch-friendly) per group.
    private final float[] groups; // (Kpad / LANES) x D x 2 x LANES
    private final float[] logNorm; // Kpad, log-normaliser minus maxLogNorm; -inf for padding
    private final double maxLogNorm;
    private final float[] muRows; // K x Dpad

    // Scratch, sized once.
    private final float[] lp; // BLOCK x Kpad: log p, then exp(log p - max) (see finish)
    private final float[] maxes; // BLOCK: max_k log p
    private final int[] candidates; // Kpad / LANES: groups with a lane that may pass the threshold
    private final int batchRows; // descriptors per batch: TB, or fewer (a multiple of BLOCK) for large D
    private final float[] xBatch; // batchRows x Dpad: the batch's descriptors, zero tails
    private final int[] termComp; // the queued terms of the batch, in descriptor order: component,
    private final float[] termQ; // posterior,
    private final int[] termSlot; // and the descriptor's row in xBatch
    private final int[] bucketStart; // K + 1: counting sort of the queued terms by component
    private final float[] sortedQ; // the queued terms, grouped by component (stable)
    private final int[] sortedRow; // and their descriptor's offset in xBatch
    private final int[] live; // Kpad / LANES: groups with a lane whose exp is not 0
    private final float[] laneSums; // LANES: the exp sum's lanes, added in index order
    private final float[] c1; // K x Dpad: sum q (x - mu) since the last flush
    private final float[] c2; // K x Dpad: sum q (x - mu)^2 since the last flush
    private final double[] w0; // K: sum q since the last flush
    private final int[] terms; // K: terms since the last flush

    private final StatisticsKernel scalar; // fallback for descriptors (or a model) float cannot handle
    private final boolean wholeModelScalar;

    // Per-call counters (fields, so that nothing is allocated per call).
    private int batchDescriptors; // rows of xBatch in use
    private int queuedTerms;
    private long kept;
    private double logLikelihood;
    private int scalarDescriptors;

    SimdKernel(DiagonalGmm model, Sparsity sparsity) {
        this(model, sparsity, Fault.NONE);
    }

    SimdKernel(DiagonalGmm model, Sparsity sparsity, Fault fault) {
        this.k = model.components();
        this.d = model.dimension();
        this.kpad = roundUp(k, LANES);
        this.dpad = roundUp(d, LANES);
        this.hard = sparsity.isHard();
        this.threshold = sparsity.threshold();
        this.keepAll = !hard && threshold == 0;
        this.fault = fault;
        this.scalar = Kernels.scalar().create(model, sparsity);

        float[] means = model.means();
        float[] vars = model.variances();
        this.groups = new float[2 * d * kpad];
        this.logNorm = new float[kpad];
        this.muRows = new float[k * dpad];
        double maxLn = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            maxLn = Math.max(maxLn, model.logNormalizer(c));
        }
        this.maxLogNorm = maxLn;
        boolean representable = Double.isFinite(maxLn);
        Arrays.fill(logNorm, Float.NEGATIVE_INFINITY);
        for (int c = 0; c < k; c++) {
            logNorm[c] = (float) (model.logNormalizer(c) - maxLn);
            for (int j = 0; j < d; j++) {
                float mu = means[c * d + j];
                float h = (float) (0.5 / vars[c * d + j]);
                representable &= Math.abs(mu) <= VALUE_LIMIT && h >= Float.MIN_NORMAL && h <= Float.MAX_VALUE;
                groups[meanIndex(c, j)] = mu;
                groups[meanIndex(c, j) + LANES] = h;
                muRows[c * dpad + j] = mu;
            }
        }
        this.wholeModelScalar = !representable;
        injectFault(fault);

        this.lp = new float[BLOCK * kpad];
        this.maxes = new float[BLOCK];
        this.candidates = new int[kpad / LANES];
        this.batchRows = Math.max(BLOCK, Math.min(TB, BATCH_FLOATS / dpad) / BLOCK * BLOCK);
        this.xBatch = new float[batchRows * dpad];
        int capacity = Math.max(TERM_CAPACITY, 2 * BLOCK * k);
        this.termComp = new int[capacity];
        this.termQ = new float[capacity];
        this.termSlot = new int[capacity];
        this.bucketStart = new int[k + 1];
        this.sortedQ = new float[capacity];
        this.sortedRow = new int[capacity];
        this.live = new int[kpad / LANES];
        this.laneSums = new float[LANES];
        this.c1 = new float[k * dpad];
        this.c2 = new float[k * dpad];
        this.w0 = new double[k];
        this.terms = new int[k];
    }

    private void injectFault(Fault f) {
        switch (f) {
            case DROP_LAST_COMPONENT:
                logNorm[k - 1] = Float.NEGATIVE_INFINITY;
                break;
            case DROP_LAST_DIMENSION:
                for (int c = 0; c < k; c++) {
                    groups[meanIndex(c, d - 1) + LANES] = 0f;
                }
                break;
            case SWAP_FIRST_TWO_COMPONENTS:
                if (k >= 2) {
                    swap(logNorm, 0, 1);
                    for (int j = 0; j < d; j++) {
                        swap(groups, meanIndex(0, j), meanIndex(1, j));
                        swap(groups, meanIndex(0, j) + LANES, meanIndex(1, j) + LANES);
                    }
                }
                break;
            default:
                break;
        }
    }

    /** Where mu_cj sits in {@link #groups}; 1 / (2 var_cj) is {@code LANES} further. */
    private int meanIndex(int c, int j) {
        return (c / LANES) * 2 * d * LANES + j * 2 * LANES + c % LANES;
    }

    private static void swap(float[] a, int i, int j) {
        float t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    private static VectorSpecies<Float> species() {
        String bits = System.getProperty("fvec.simd.bits");
        if (bits == null || bits.isEmpty()) {
            return FloatVector.SPECIES_PREFERRED;
        }
        return VectorSpecies.of(float.class, VectorShape.forBitSize(Integer.parseInt(bits.trim())));
    }

    static String describeSpecies() {
        return "FloatVector " + SPECIES.vectorBitSize() + "-bit, " + LANES + " lanes";
    }

    private static int roundUp(int n, int m) {
        return (n + m - 1) / m * m;
    }

    @Override
    public String implementationName() {
        return "simd";
    }

    @Override
    public void accumulate(float[] x, int offset, int count, GmmStatistics stats) {
        assert stats.components() == k && stats.dimension() == d;
        assert offset >= 0 && count >= 0 && offset + (long) count * d <= x.length;
        if (wholeModelScalar) {
            scalar.accumulate(x, offset, count, stats);
            return;
        }
        kept = 0;
        logLikelihood = 0;
        scalarDescriptors = 0;
        int n = fault == Fault.SKIP_LAST_DESCRIPTOR ? Math.max(count - 1, 0) : count;
        batchDescriptors = 0;
        queuedTerms = 0;
        int i = 0;
        for (; i + BLOCK <= n; i += BLOCK) {
            int row = offset + i * d;
            logLikelihoods4(x, row);
            makeRoom(stats);
            for (int b = 0; b < BLOCK; b++) {
                finish(b, x, row + b * d, stats);
            }
        }
        for (; i < n; i++) {
            int row = offset + i * d;
            logLikelihoods1(x, row);
            makeRoom(stats);
            finish(0, x, row, stats);
        }
        addQueuedTerms(stats);
        flushAll(stats);
        StatisticsAccess.addCounts(stats, count - scalarDescriptors, kept, logLikelihood);
    }

    /**
     * {@code lp[b * Kpad + k] = logNorm_k - sum_j (x_bj - mu_kj)^2 / (2 var_kj)} and
     * {@code maxes[b] = max_k lp[b * Kpad + k]} for the 4 descriptors starting at {@code x[row]}.
     * Four FMA chains share each pair of model loads; with the two FMA-unit ops per element
     * (mul, fma) that keeps the FMA units busy without more unrolling.
     */
    private void logLikelihoods4(float[] x, int row) {
        int r0 = row;
        int r1 = row + d;
        int r2 = row + 2 * d;
        int r3 = row + 3 * d;
        FloatVector m0 = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        FloatVector m1 = m0;
        FloatVector m2 = m0;
        FloatVector m3 = m0;
        int g = 0;
        for (int c = 0; c < kpad; c += LANES, g += 2 * d * LANES) {
            FloatVector a0 = FloatVector.zero(SPECIES); // one
            FloatVector a1 = a0; // two
            FloatVector a2 = a0; // three
            FloatVector a3 = a0; // four
            for (int j = 0, idx = g; j < d; j++, idx += 2 * LANES) {
                FloatVector mu = FloatVector.fromArray(SPECIES, groups, idx);
                FloatVector h = FloatVector.fromArray(SPECIES, groups, idx + LANES);
                FloatVector d0 = mu.sub(x[r0 + j]);
                a0 = d0.mul(h).fma(d0, a0);
                FloatVector d1 = mu.sub(x[r1 + j]);
                a1 = d1.mul(h).fma(d1, a1);
                FloatVector d2 = mu.sub(x[r2 + j]);
                a2 = d2.mul(h).fma(d2, a2);
                FloatVector d3 = mu.sub(x[r3 + j]);
                a3 = d3.mul(h).fma(d3, a3);
            }
            FloatVector ln = FloatVector.fromArray(SPECIES, logNorm, c);
            a0 = ln.sub(a0);
            a1 = ln.sub(a1);
            a2 = ln.sub(a2);
            a3 = ln.sub(a3);
            a0.intoArray(lp, c);
            a1.intoArray(lp, kpad + c);
            a2.intoArray(lp, 2 * kpad + c);
            a3.intoArray(lp, 3 * kpad + c);
            m0 = m0.max(a0);
            m1 = m1.max(a1);
            m2 = m2.max(a2);
            m3 = m3.max(a3);
        }
        maxes[0] = m0.reduceLanes(VectorOperators.MAX);
        maxes[1] = m1.reduceLanes(VectorOperators.MAX);
        maxes[2] = m2.reduceLanes(VectorOperators.MAX);
        maxes[3] = m3.reduceLanes(VectorOperators.MAX);
    }

    /** {@link #logLikelihoods4} for one descriptor (the tail of a call), into {@code lp[0 .. Kpad)}. */
    private void logLikelihoods1(float[] x, int row) {
        FloatVector m0 = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        int g = 0;
        for (int c = 0; c < kpad; c += LANES, g += 2 * d * LANES) {
            FloatVector a0 = FloatVector.zero(SPECIES);
            for (int j = 0, idx = g; j < d; j++, idx += 2 * LANES) {
                FloatVector d0 = FloatVector.fromArray(SPECIES, groups, idx).sub(x[row + j]);
                a0 = d0.mul(FloatVector.fromArray(SPECIES, groups, idx + LANES)).fma(d0, a0);
            }
            a0 = FloatVector.fromArray(SPECIES, logNorm, c).sub(a0);
            a0.intoArray(lp, c);
            m0 = m0.max(a0);
        }
        maxes[0] = m0.reduceLanes(VectorOperators.MAX);
    }

    /**
     * For the descriptor whose log-likelihoods are {@code lp[b * Kpad ..]} (max {@code maxes[b]}):
     * log-sum-exp, posteriors, sparsification and statistics; or the scalar reference, when float
     * overflowed or a value is out of range.
     */
    private void finish(int b, float[] x, int row, GmmStatistics stats) {
        int base = b * kpad;
        float max = maxes[b]; // padding lanes are -inf and never win

        // The descriptor, zero-padded, for the statistics; and the float-range guards.
        int slot = batchDescriptors;
        int xb = slot * dpad;
        System.arraycopy(x, row, xBatch, xb, d);
        FloatVector vabs = FloatVector.zero(SPECIES);
        for (int j = 0; j < dpad; j += LANES) {
            vabs = vabs.max(FloatVector.fromArray(SPECIES, xBatch, xb + j).abs());
        }
        if (!(max > Float.NEGATIVE_INFINITY) || !(vabs.reduceLanes(VectorOperators.MAX) <= VALUE_LIMIT)) {
            scalar.accumulate(x, row, 1, stats);
            scalarDescriptors++;
            return; // the slot stays free: the next descriptor overwrites it
        }
        batchDescriptors++;

        // Hard assignment: the first component that reaches the max (ties to the lowest index).
        int best = hard ? firstIndexOf(base, max) : -1;

        // Step 2: e_k = exp(lp_k - max) in place, their sum, and the groups that may keep a term.
        // A group whose lanes all lie below max + EXP_LOW has e = 0 throughout: it is skipped and
        // keeps its log p values, which are <= 0 and so never pass the cut (> 0) of step 3.
        // Since sum >= 1, e >= t * sum implies e >= t: groups without e >= t need no second look.
        float groupCut = keepAll ? Float.MIN_VALUE : (float) threshold;
        int nCandidates = 0;
        int nLive = 0;
        for (int c = 0; c < kpad; c += LANES) {
            FloatVector z = FloatVector.fromArray(SPECIES, lp, base + c).sub(max);
            if (z.compare(VectorOperators.GE, EXP_LOW).anyTrue()) {
                FloatVector e = exp(z);
                e.intoArray(lp, base + c);
                live[nLive++] = c;
                if (e.compare(VectorOperators.GE, groupCut).anyTrue()) {
                    candidates[nCandidates++] = c;
                }
            }
        }
        float sum = sumOfLiveGroups(base, nLive);
        logLikelihood += maxLogNorm + max + Math.log(sum);

        // Step 3: posteriors q_k = e_k / sum, sparsified; step 4: statistics of the kept terms.
        if (hard) {
            queue(best, 1f, slot);
            kept++;
            return;
        }
        float inverseSum = 1f / sum;
        // q >= t  <=>  e >= t * sum. For t = 0 every term is kept and counted, but zeros add nothing.
        float cut = keepAll ? Float.MIN_VALUE : (float) (threshold * sum);
        if (keepAll) {
            kept += k;
        }
        // VectorMask.toLong() is not an intrinsic on JDK 17 (it boxes the mask), so the candidate
        // groups are scanned in scalar.
        for (int i = 0; i < nCandidates; i++) {
            int c = candidates[i];
            int end = Math.min(c + LANES, k);
            for (int comp = c; comp < end; comp++) {
                float e = lp[base + comp];
                if (e >= cut) {
                    queue(comp, e * inverseSum, slot);
                    if (!keepAll) {
                        kept++;
                    }
                }
            }
        }
    }

    /**
     * The sum of {@code e} over the live groups, in a fixed order. Not {@code reduceLanes(ADD)}: its
     * float summation order is unspecified and differs between the interpreter, C1 and C2 (seen on
     * JDK 25), so the same input would give different bits before and after the JIT compiles this.
     * Lane-wise adds are exact IEEE operations, and the final lanes are summed in index order. The
     * accumulator is updated on every iteration of its own loop, so C2 keeps it in a register (a
     * vector updated on only some iterations becomes a loop phi that JDK 17 boxes).
     */
    private float sumOfLiveGroups(int base, int nLive) {
        FloatVector acc = FloatVector.zero(SPECIES);
        for (int i = 0; i < nLive; i++) {
            acc = acc.add(FloatVector.fromArray(SPECIES, lp, base + live[i]));
        }
        acc.intoArray(laneSums, 0);
        float sum = 0;
        for (int l = 0; l < LANES; l++) {
            sum += laneSums[l];
        }
        return sum;
    }

    private int firstIndexOf(int base, float max) {
        for (int c = 0; c < kpad; c += LANES) {
            // anyTrue(), then scalar: VectorMask.firstTrue() boxes the mask for some shapes on JDK 17.
            if (FloatVector.fromArray(SPECIES, lp, base + c).compare(VectorOperators.EQ, max).anyTrue()) {
                for (int comp = c; ; comp++) {
                    if (lp[base + comp] == max) {
                        return comp;
                    }
                }
            }
        }
        throw new AssertionError("no component reaches the max " + max);
    }

    /** Queues the term of posterior {@code q} of the descriptor in row {@code slot} of {@link #xBatch} for {@code comp}. */
    private void queue(int comp, float q, int slot) {
        int t = queuedTerms++;
        termComp[t] = comp;
        termQ[t] = q;
        termSlot[t] = slot;
    }

    /** Adds the queued terms when the next block of descriptors might not fit the batch. */
    private void makeRoom(GmmStatistics stats) {
        if (batchDescriptors + BLOCK > batchRows || queuedTerms + BLOCK * k > termQ.length) {
            addQueuedTerms(stats);
        }
    }

    /**
     * Adds every queued term {@code q}, {@code q (x - mu)}, {@code q (x - mu)^2} to its component's
     * window, component by component, each in descriptor order (so the sums are exactly those of
     * adding the terms as they came), flushing a window when it reaches {@value #FLUSH_TERMS} terms.
     */
    private void addQueuedTerms(GmmStatistics stats) {
        int nt = queuedTerms;
        // Counting sort by component: bucketStart[c + 1] counts component c's terms, then
        // bucketStart[c] is where they go; the scatter advances it to their end, which is where
        // component c + 1's terms start.
        Arrays.fill(bucketStart, 0);
        for (int t = 0; t < nt; t++) {
            bucketStart[termComp[t] + 1]++;
        }
        for (int c = 0; c < k; c++) {
            bucketStart[c + 1] += bucketStart[c];
        }
        for (int t = 0; t < nt; t++) {
            int at = bucketStart[termComp[t]]++;
            sortedQ[at] = termQ[t];
            sortedRow[at] = termSlot[t] * dpad;
        }
        int start = 0;
        for (int comp = 0; comp < k; comp++) {
            int end = bucketStart[comp];
            while (start < end) {
                int stop = Math.min(end, start + FLUSH_TERMS - terms[comp]);
                addTerms(comp, start, stop);
                terms[comp] += stop - start;
                if (terms[comp] == FLUSH_TERMS) {
                    flush(comp, stats);
                }
                start = stop;
            }
        }
        queuedTerms = 0;
        batchDescriptors = 0;
    }

    /** Adds the sorted terms {@code [from, to)}, all of component {@code comp}, to its window. */
    private void addTerms(int comp, int from, int to) {
        int rb = comp * dpad;
        for (int j = 0; j < dpad; j += LANES) {
            FloatVector mu = FloatVector.fromArray(SPECIES, muRows, rb + j);
            FloatVector s1 = FloatVector.fromArray(SPECIES, c1, rb + j);
            FloatVector s2 = FloatVector.fromArray(SPECIES, c2, rb + j);
            for (int t = from; t < to; t++) {
                FloatVector y = FloatVector.fromArray(SPECIES, xBatch, sortedRow[t] + j).sub(mu);
                FloatVector qy = y.mul(sortedQ[t]);
                s1 = qy.add(s1);
                s2 = qy.fma(y, s2);
            }
            s1.intoArray(c1, rb + j);
            s2.intoArray(c2, rb + j);
        }
        double w = w0[comp];
        for (int t = from; t < to; t++) {
            w += sortedQ[t];
        }
        w0[comp] = w;
    }

    private void flushAll(GmmStatistics stats) {
        for (int c = 0; c < k; c++) {
            if (terms[c] != 0) {
                flush(c, stats);
            }
        }
    }

    /** Moves component {@code comp}'s centred float window into the raw double statistics. */
    private void flush(int comp, GmmStatistics stats) {
        double[] s0 = StatisticsAccess.s0(stats);
        double[] s1 = StatisticsAccess.s1(stats);
        double[] s2 = StatisticsAccess.s2(stats);
        double w = w0[comp];
        s0[comp] += w;
        int rb = comp * dpad;
        int ob = comp * d;
        for (int j = 0; j < d; j++) {
            double mu = muRows[rb + j];
            double m1 = c1[rb + j];
            double m2 = c2[rb + j];
            s1[ob + j] += m1 + mu * w; // sum q x = sum q (x - mu) + mu sum q
            s2[ob + j] += m2 + mu * (2 * m1 + mu * w); // sum q x^2 = sum q (x - mu)^2 + 2 mu sum q (x - mu) + mu^2 sum q
        }
        Arrays.fill(c1, rb, rb + dpad, 0f);
        Arrays.fill(c2, rb, rb + dpad, 0f);
        w0[comp] = 0;
        terms[comp] = 0;
    }

    // exp: Cody-Waite range reduction x = n ln2 + r, |r| <= ln2 / 2, and the Cephes expf
    // polynomial for e^r (S. L. Moshier, Cephes Math Library); 2^n is built in the exponent bits.
    private static final float EXP_LOW = -87.33654f; // exp(EXP_LOW) ~ Float.MIN_NORMAL; below: 0
    private static final float LOG2E = 1.44269504088896341f;
    private static final float ROUND = 0x1.8p23f; // adding 1.5 * 2^23 rounds to an integer
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float P0 = 1.9875691500e-4f;
    private static final float P1 = 1.3981999507e-3f;
    private static final float P2 = 8.3334519073e-3f;
    private static final float P3 = 4.1665795894e-2f;
    private static final float P4 = 1.6666665459e-1f;
    private static final float P5 = 5.0000001201e-1f;
    private static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);

    /**
     * {@code e^x} for {@code x <= 0} (and a little above), about 1 ulp; exactly 0 below
     * {@value #EXP_LOW} and for {@code -inf}. Not for NaN.
     */
    static FloatVector exp(FloatVector x) {
        FloatVector xc = x.max(EXP_LOW);
        FloatVector t = xc.fma(LOG2E, ROUND); // n + 1.5 * 2^23, n = round(x / ln2)
        FloatVector n = t.sub(ROUND);
        FloatVector r = n.fma(FloatVector.broadcast(SPECIES, -LN2_HI), xc);
        r = n.fma(FloatVector.broadcast(SPECIES, -LN2_LO), r);
        FloatVector r2 = r.mul(r);
        FloatVector p = r.fma(P0, P1);
        p = p.fma(r, FloatVector.broadcast(SPECIES, P2));
        p = p.fma(r, FloatVector.broadcast(SPECIES, P3));
        p = p.fma(r, FloatVector.broadcast(SPECIES, P4));
        p = p.fma(r, FloatVector.broadcast(SPECIES, P5));
        FloatVector er = p.fma(r2, r).add(1f);
        // 2^n: the integer n sits in the low mantissa bits of t; move n + 127 into the exponent field.
        IntVector nBits = t.reinterpretAsInts().sub(ROUND_BITS - 127);
        FloatVector scale = nBits.lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return er.mul(scale).blend(0f, x.compare(VectorOperators.LT, EXP_LOW));
    }
}
