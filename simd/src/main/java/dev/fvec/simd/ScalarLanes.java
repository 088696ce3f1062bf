package dev.fvec.simd;

import java.util.Arrays;

/**
 * The scalar float twin of {@link VectorLanes}: the same float operations in the same order, one
 * lane at a time, so a kernel on these lanes gives bitwise the Vector API kernel's results at the
 * same width (lanes are independent in every vector operation but the two reductions, a max, which
 * does not depend on order, and the exp sum, whose order is fixed). {@code Math.fma(float, float,
 * float)} is correctly rounded in the interpreter and in every JIT tier, like the vector FMA.
 *
 * <p>It needs no {@code jdk.incubator.vector} and is plain array code, which the interpreter and
 * C1 run far faster than uncompiled Vector API code; its hot loop is long and plain, so C2
 * vectorises it. Each instance holds its model's terms dimension-major and {@code BLOCK x Kpad}
 * floats of scratch, and below {@link #AHEAD_BELOW} components the look-ahead's
 * {@code (D + Kpad + 1) x AHEAD} floats (allocated by its first call): one per kernel, for that
 * kernel's model.
 */
final class ScalarLanes extends Lanes {

    /**
     * Floats per array header on a 64-bit HotSpot with compressed class pointers (the default):
     * an array's first element sits this far into the object, objects start on 8-byte boundaries.
     */
    private static final int HEADER_FLOATS = 4;
    /** Bytes per cache line, and per 512-bit vector. */
    private static final int LINE_FLOATS = 16;
    /**
     * Where component 0 sits in each of the twin's rows (model terms and accumulators). C2 runs a
     * vectorised loop's first iterations one at a time until a store reaches a 64-byte boundary,
     * at least one, and its last ones one at a time when fewer than a vector are left: with the
     * usual 8-byte object alignment, 16 scalar iterations per loop of 256 components whatever the
     * row's address, as long as the 15 vector ones (measured: half the pass's time). Where objects
     * are 64-byte aligned ({@link #ALIGNED_OBJECTS}), element 12 starts a cache line, so a loop
     * from 11 runs one scalar iteration, and ending it at a multiple of 16 plus 12
     * ({@link #end}) none at the end.
     */
    static final int LEAD = 11;
    /**
     * Whether the JVM aligns objects to 64 bytes ({@code -XX:ObjectAlignmentInBytes=64}), as said
     * by the property {@code fvec.simd.objectAlignment=64} (the {@code fvec} launcher sets both):
     * then the passes run over a few padding components more and no scalar iterations at their
     * end. Speed only: the padding lanes are never read, the results are the same either way.
     */
    static final boolean ALIGNED_OBJECTS = Integer.getInteger("fvec.simd.objectAlignment", 8) % 64 == 0;

    private final int width;
    private final int kpad;
    private final int d;
    /** The end of the passes' loops ({@code LEAD + kpad}, or past it to an aligned end, see {@link #LEAD}). */
    private final int end;
    // The model's -s and b, dimension-major (D rows of Kpad, the same values as PackedModel.groups),
    // and the BLOCK x Kpad log-likelihood accumulators of the block's descriptors. Rows of
    // rowLength floats, allocated one after the other (see rowLength). One array per row: C2 (17
    // and 25) does not vectorise a loop that indexes an array at invariant + c.
    private final float[][] negScale;
    private final float[][] offset;
    private final float[][] acc;
    /** Kpad: the components of one descriptor within the live cut of its max (expOfLiveGroups). */
    private final int[] nearMax;
    /** The model's log-normalisers at the accumulators' positions ({@code [LEAD, LEAD + Kpad)}). */
    private final float[] logNormAt;
    // The look-ahead (logLikelihoodsAhead, when kpad < AHEAD_BELOW): its descriptors, centred, by
    // dimension (D rows), and their sums by component (Kpad rows), AHEAD columns each, allocated on
    // first use; the next column aheadBlock serves.
    private float[][] xT;
    private float[][] accT;
    private float[] aheadMax;
    private int aheadNext;

    /** The twin of the vector lanes at {@code m.lanes} lanes, for the model {@code m} only. */
    ScalarLanes(PackedModel m) {
        this.width = m.lanes;
        this.kpad = m.kpad;
        this.d = m.d;
        this.end = ALIGNED_OBJECTS ? LEAD + kpad + Math.floorMod(12 - LEAD - kpad, LINE_FLOATS) : LEAD + kpad;
        int length = rowLength(kpad);
        this.negScale = new float[d][];
        this.offset = new float[d][];
        this.acc = new float[SimdKernel.BLOCK][];
        this.nearMax = new int[kpad];
        this.logNormAt = new float[length];
        System.arraycopy(m.logNorm, 0, logNormAt, LEAD, kpad);
        for (int j = 0; j < d; j++) {
            negScale[j] = new float[length];
            offset[j] = new float[length];
            for (int c = 0; c < kpad; c++) {
                int at = m.termIndex(c, j);
                negScale[j][LEAD + c] = m.groups[at];
                offset[j][LEAD + c] = m.groups[at + width];
            }
        }
        for (int b = 0; b < acc.length; b++) {
            acc[b] = new float[length];
        }
    }

    /**
     * The look-ahead ({@link #logLikelihoodsAhead}) runs below this many (padded) components. C2
     * sizes a vectorised loop by the trip count the loop's profile shows (JDK 17, disassembled;
     * JDK 25 timed the same):
     * the component loops of {@link #addTerms2x2} came out with 4 float lanes at K = 64 and 8 at
     * K = 128 (disassembled on the 2-core Zen 5, whose vectors hold 16), and a loop of 64
     * components cost about as much as one of 256 (26 against 28 ns a call, 64-byte aligned rows).
     * The look-ahead's loops run over {@link #AHEAD} descriptors instead, as wide as the machine.
     */
    static final int AHEAD_BELOW = 256;

    /** Descriptors per look-ahead, at most (its loops' trip count; its scratch is {@code (D + Kpad + 1) x AHEAD} floats). */
    static final int AHEAD = 512;

    /**
     * Fewest descriptors a look-ahead is made for: shorter loops get narrower vectors (see
     * {@link #AHEAD_BELOW}). Not tuned: fewer than this go block by block, as before.
     */
    static final int AHEAD_MIN = 64;

    /**
     * At least {@code LEAD + kpad + 16} (room for {@link #end}), and such that the array object takes a whole number of cache lines.
     * C2 vectorises the twin's loops with unaligned 512-bit loads and stores, aligning one of
     * them with a scalar pre-loop; a vector that straddles two cache lines costs two accesses.
     * Rows allocated one after the other (in a thread-local allocation buffer, the usual case) then
     * share their alignment, so aligning one aligns all: measured 25% faster on the two-dimension
     * pass of JDK 17 (Zen 5, 512 bits) than rows of {@code kpad}. A heuristic only: a GC may move
     * them apart, which costs speed, never bits.
     */
    static int rowLength(int kpad) {
        return PackedModel.roundUp(LEAD + kpad + LINE_FLOATS + HEADER_FLOATS, LINE_FLOATS) - HEADER_FLOATS;
    }

    /**
     * Dimension-major: for each pair of dimensions {@code j, j + 1}, one pass over all components
     * per descriptor. Each component's sum still takes its terms in {@code j} order with the same
     * operations as the vector lanes (whose register blocking changes only which terms run side by
     * side), and the inner loop is long and plain (accumulator rows without offsets), which C2
     * vectorises. Two dimensions per pass load and store the accumulators half as often, and two
     * descriptors per loop ({@link #addTerms2x2}) load the model's values once for both (the pass
     * is bound by loads and stores, not FMAs): 0.60 ms against 0.80 ms a 1000 x 64 file at
     * K = 256 (JDK 17, Zen 5); with more of either per loop, no faster, or the loop body outgrows
     * what C2 unrolls, and so vectorises ({@code LoopUnrollLimit}). The first pair adds onto
     * cleared accumulators ({@code fma(t, t, +0)}, the vector lanes' first operation): one loop
     * fewer for C2 to compile than a variant that does not read them, at no measurable cost.
     */
    @Override
    void logLikelihoodsBlock(PackedModel m, float[] xc, float[] lp, float[] maxes) {
        float[][] a = acc;
        sums(xc, 0, d, a.length);
        for (int b = 0; b < a.length; b++) {
            maxes[b] = finish(logNormAt, a[b], LEAD, lp, b * kpad, kpad);
        }
    }

    /**
     * {@code lp[at + c] = logNorm_c - a[lead + c]} for {@code c < kpad}, with {@code logNorm_c} at
     * {@code logNorm[lead + c]}; returns their max, bitwise {@code Math.max} folded over them (the
     * vector lanes' reduction, which does not depend on order). The values go into {@code a} in
     * place first, one index for every array: only so does C2 vectorise the loop, max included
     * (JDK 17, disassembled: with {@code lp[at + c]}, {@code a[lead + c]} and {@code logNorm[c]} it
     * stayed scalar, 18 {@code vsubss} unrolled). Then one copy to {@code lp}. Measured on the end-to-end
     * files (1000 x 64, K = 256, t = 1e-6, JDK 17, Zen 5, the twin's {@code accumulate}, min of 4
     * rounds of 320 files, thread CPU, 4 alternated pairs): 1.12-1.16 ms a file against 1.33-1.39
     * ms with the former loop (a branch around {@code Math.max} that kept it scalar).
     */
    static float finish(float[] logNorm, float[] a, int lead, float[] lp, int at, int kpad) {
        float max = Float.NEGATIVE_INFINITY;
        for (int c = lead; c < lead + kpad; c++) {
            float v = logNorm[c] - a[c];
            a[c] = v;
            max = Math.max(max, v);
        }
        System.arraycopy(a, lead, lp, at, kpad);
        return max;
    }

    @Override
    void logLikelihoods1(PackedModel m, float[] xc, float[] lp, float[] maxes) {
        sums(xc, 0, d, 1);
        maxes[0] = finish(logNormAt, acc[0], LEAD, lp, 0, kpad);
    }

    /**
     * Descriptor-major, for few components ({@link #AHEAD_BELOW}): the sums of up to {@link #AHEAD}
     * descriptors at once, each (descriptor, component) sum over {@code j} in order with the
     * operations of {@link #sums} (from {@code +0}, pairs of dimensions, a last single one when
     * {@code D} is odd), so the same bits; the loops run over descriptors, two dimensions and two
     * components per loop ({@link #addTerms2x2T}), the model's values broadcast.
     */
    @Override
    int logLikelihoodsAhead(PackedModel m, float[] x, int row, int count) {
        if (kpad >= AHEAD_BELOW || count < AHEAD_MIN) {
            return 0;
        }
        int n = Math.min(count, AHEAD) / SimdKernel.BLOCK * SimdKernel.BLOCK;
        if (xT == null) {
            xT = new float[d][AHEAD];
            accT = new float[kpad][AHEAD];
            aheadMax = new float[AHEAD];
        }
        float[][] xs = xT;
        float[][] a = accT;
        float[] centre = m.centre;
        for (int b = 0; b < n; b++) {
            transposeCentred(x, row + b * d, centre, xs, b);
        }
        for (int c = 0; c < kpad; c++) {
            clear(a[c], 0, n);
        }
        float[][] s = negScale;
        float[][] o = offset;
        int j = 0;
        for (; j + 2 <= d; j += 2) {
            float[] s0 = s[j];
            float[] o0 = o[j];
            float[] s1 = s[j + 1];
            float[] o1 = o[j + 1];
            for (int c = 0; c < kpad; c += 2) { // kpad is a multiple of the lanes, so even
                int l = LEAD + c;
                addTerms2x2T(xs[j], xs[j + 1], s0[l], o0[l], s1[l], o1[l], s0[l + 1], o0[l + 1], s1[l + 1], o1[l + 1],
                        a[c], a[c + 1], n);
            }
        }
        if (j < d) {
            for (int c = 0; c < kpad; c++) {
                addTermsT(xs[j], s[j][LEAD + c], o[j][LEAD + c], a[c], n);
            }
        }
        float[] max = aheadMax;
        Arrays.fill(max, 0, n, Float.NEGATIVE_INFINITY);
        float[] logNorm = m.logNorm;
        for (int c = 0; c < kpad; c++) {
            finishT(logNorm[c], a[c], max, n);
        }
        aheadNext = 0;
        return n;
    }

    /**
     * {@link #finish} by component: {@code a[b] = logNorm_c - a[b]} and the running
     * {@code Math.max} of each descriptor, over components in order (a max does not depend on it).
     */
    private static void finishT(float logNorm, float[] a, float[] max, int n) {
        for (int b = 0; b < n; b++) {
            float v = logNorm - a[b];
            a[b] = v;
            max[b] = Math.max(max[b], v);
        }
    }

    @Override
    void aheadBlock(PackedModel m, float[] lp, float[] maxes) {
        int at = aheadNext;
        int blocks = SimdKernel.BLOCK;
        float[][] a = accT;
        for (int c = 0; c < kpad; c++) {
            float[] row = a[c];
            for (int b = 0; b < blocks; b++) {
                lp[b * kpad + c] = row[at + b];
            }
        }
        System.arraycopy(aheadMax, at, maxes, 0, blocks);
        aheadNext = at + blocks;
    }

    /** {@code xs[j][b] = x[row + j] - centre[j]}: {@link PackedModel#centre}'s values, by dimension. */
    private static void transposeCentred(float[] x, int row, float[] centre, float[][] xs, int b) {
        for (int j = 0; j < centre.length; j++) {
            xs[j][b] = x[row + j] - centre[j];
        }
    }

    /** {@link #addTerms2x2} with the roles swapped: descriptors {@code [0, n)} of two dimensions' rows, two components. */
    private static void addTerms2x2T(float[] x0, float[] x1, float s00, float o00, float s10, float o10, float s01,
            float o01, float s11, float o11, float[] a, float[] e, int n) {
        for (int b = 0; b < n; b++) {
            float p = x0[b];
            float q = x1[b];
            float t0 = Math.fma(p, s00, o00);
            float u = Math.fma(t0, t0, a[b]);
            float t1 = Math.fma(q, s10, o10);
            a[b] = Math.fma(t1, t1, u);
            float r0 = Math.fma(p, s01, o01);
            float v = Math.fma(r0, r0, e[b]);
            float r1 = Math.fma(q, s11, o11);
            e[b] = Math.fma(r1, r1, v);
        }
    }

    /** {@link #addTerms} with the roles swapped: one dimension's term, descriptors {@code [0, n)}, one component. */
    private static void addTermsT(float[] xs, float negS, float b, float[] a, int n) {
        for (int i = 0; i < n; i++) {
            float t = Math.fma(xs[i], negS, b);
            a[i] = Math.fma(t, t, a[i]);
        }
    }

    /**
     * {@code acc[b][c] += sum_{from <= j < to} t_bcj^2} for the first {@code n} descriptors of
     * {@code xc} (rows of {@code D}), each sum in {@code j} order; from {@code 0}: the sums of the
     * first {@code to} terms.
     */
    private void sums(float[] xc, int from, int to, int n) {
        int lo = LEAD;
        int hi = end;
        int dd = d;
        float[][] a = acc;
        float[][] s = negScale;
        float[][] o = offset;
        int j = from;
        if (from == 0) {
            // From +0: fma(t, t, +0) is the first term's operation in the vector lanes too.
            for (int b = 0; b < n; b++) {
                clear(a[b], lo, hi);
            }
        }
        for (; j + 2 <= to; j += 2) {
            float[] s0 = s[j];
            float[] o0 = o[j];
            float[] s1 = s[j + 1];
            float[] o1 = o[j + 1];
            int b = 0;
            for (; b + 2 <= n; b += 2) {
                int x = b * dd + j;
                addTerms2x2(s0, o0, s1, o1, xc[x], xc[x + 1], xc[x + dd], xc[x + dd + 1], a[b], a[b + 1], lo, hi);
            }
            if (b < n) {
                addTerms2(s0, o0, s1, o1, xc[b * dd + j], xc[b * dd + j + 1], a[b], lo, hi);
            }
        }
        if (j < to) {
            for (int b = 0; b < n; b++) {
                addTerms(s[j], o[j], xc[b * dd + j], a[b], lo, hi);
            }
        }
    }

    private static void clear(float[] a, int from, int to) {
        for (int c = from; c < to; c++) {
            a[c] = 0f;
        }
    }

    /** {@code t = fma(x, -s_c, b_c)}, {@code a_c = fma(t, t, a_c)}: one dimension's term, every component. */
    private static void addTerms(float[] negS, float[] b, float x, float[] a, int from, int to) {
        for (int c = from; c < to; c++) {
            float t = Math.fma(x, negS[c], b[c]);
            a[c] = Math.fma(t, t, a[c]);
        }
    }

    /** {@link #addTerms} for two dimensions in order, {@code x0} then {@code x1}. */
    private static void addTerms2(float[] negS0, float[] b0, float[] negS1, float[] b1, float x0, float x1, float[] a,
            int from, int to) {
        for (int c = from; c < to; c++) {
            float t0 = Math.fma(x0, negS0[c], b0[c]);
            float u = Math.fma(t0, t0, a[c]);
            float t1 = Math.fma(x1, negS1[c], b1[c]);
            a[c] = Math.fma(t1, t1, u);
        }
    }

    /**
     * {@link #addTerms2} for two descriptors, {@code x} onto {@code a} and {@code y} onto {@code e}:
     * each model value loaded once for both (the pass is bound by loads and stores). The two
     * accumulators are distinct arrays, which JDK 17's C2 still vectorises (one array at two
     * offsets it does not); with four descriptors or four dimensions per loop no faster (JDK 17,
     * Zen 5, 512 bits), with more the body outgrows what C2 unrolls and stays scalar.
     */
    private static void addTerms2x2(float[] negS0, float[] b0, float[] negS1, float[] b1, float x0, float x1,
            float y0, float y1, float[] a, float[] e, int from, int to) {
        for (int c = from; c < to; c++) {
            float s0 = negS0[c];
            float o0 = b0[c];
            float s1 = negS1[c];
            float o1 = b1[c];
            float t0 = Math.fma(x0, s0, o0);
            float u = Math.fma(t0, t0, a[c]);
            float t1 = Math.fma(x1, s1, o1);
            a[c] = Math.fma(t1, t1, u);
            float r0 = Math.fma(y0, s0, o0);
            float v = Math.fma(r0, r0, e[c]);
            float r1 = Math.fma(y1, s1, o1);
            e[c] = Math.fma(r1, r1, v);
        }
    }

    /**
     * The components within the live cut of the max are listed first (a store and an add of 0 or
     * 1 each, no branch on data), then only they are exponentiated: at D = 64, K = 256 on
     * bench/e2e's inputs, 12 of 256 at t = 1e-6 (in 5-6 of 16 groups), where a pass over the live
     * groups' lanes with a branch per lane (88 lanes, 76 of them below the cut) was a quarter of
     * the twin's time. The other lanes keep their {@code lp} ({@code <= 0}), as the contract
     * allows. Each lane's sum takes the same exps in the same (group) order as the vector lanes',
     * which add only {@code +0} besides.
     */
    @Override
    int expOfLiveGroups(float[] lp, int base, int kpad, float max, float liveCut, float groupCut, int[] live, int[] candidates,
            int candidatesAt, float[] laneSums, int sumsAt) {
        int w = width;
        for (int l = 0; l < w; l++) {
            laneSums[sumsAt + l] = 0f;
        }
        int[] near = nearMax;
        int n = 0;
        for (int c = 0; c < kpad; c++) {
            near[n] = c;
            n += lp[base + c] - max >= liveCut ? 1 : 0;
        }
        int nCandidates = 0;
        int lastCandidate = -1;
        for (int i = 0; i < n; i++) {
            int c = near[i];
            float e = ExpPolynomial.exp(lp[base + c] - max);
            lp[base + c] = e;
            int lane = c % w;
            laneSums[sumsAt + lane] += e;
            int group = c - lane;
            if (e >= groupCut && group != lastCandidate) { // in order: a group's components are consecutive in near
                candidates[candidatesAt + nCandidates++] = group;
                lastCandidate = group;
            }
        }
        return nCandidates;
    }

    /** One descriptor after the other: the twin has no latency to hide. */
    @Override
    void expOfLiveGroupsInterleaved(float[] lp, int from, int kpad, float[] maxes, int[] slots, int n, float liveCut,
            float groupCut, int[] live, int[] candidates, int[] counts, float[] laneSums) {
        int groups = kpad / width;
        for (int b = 0; b < n; b++) {
            if (slots[b] >= 0) {
                counts[b] = expOfLiveGroups(lp, from + b * kpad, kpad, maxes[b], liveCut, groupCut, live, candidates, b * groups,
                        laneSums, b * width);
            } else {
                counts[b] = 0;
                java.util.Arrays.fill(laneSums, b * width, (b + 1) * width, 0f);
            }
        }
    }

    @Override
    int keptBits(float[] lp, int at, float cut) {
        int bits = 0;
        for (int l = 0; l < width; l++) {
            bits |= lp[at + l] >= cut ? 1 << l : 0;
        }
        return bits;
    }

    @Override
    boolean centre(PackedModel m, float[] x, int row, float[] out, int at) {
        m.centre(x, row, out, at);
        return outOfRange(x, row, m.d);
    }

    @Override
    double addToWindows(float[] mu, float[] rows, int[] terms, int from, int to, float[] c1, float[] c2, double weight) {
        // Term-major here (element-major in the vector code): each element still receives its terms
        // in order, and the inner loop over elements is plain, vectorisable array code.
        double w = weight;
        for (int t = from; t < to; t++) {
            float q = Float.intBitsToFloat(terms[2 * t + 1]);
            addTerm(mu, rows, terms[2 * t], q, c1, c2);
            w += q;
        }
        return w;
    }

    private static void addTerm(float[] mu, float[] x, int at, float q, float[] c1, float[] c2) {
        for (int j = 0; j < mu.length; j++) {
            float y = x[at + j] - mu[j];
            float qy = y * q;
            c1[j] = qy + c1[j];
            c2[j] = Math.fma(qy, y, c2[j]);
        }
    }

    /** None: the twin leaves the whole check to the plain loop. */
    @Override
    int finitePrefix(float[] x, int from, int to) {
        return from;
    }

    // Seeded pruning: plain loops, the same float operations per lane as the vector lanes.

    @Override
    void passGroups(PackedModel m, float[] xc, int[] list, int n, float[] lp, int[] bases, float[] maxLanes) {
        int d = m.d;
        int lanes = m.lanes;
        float[] g = m.groups;
        for (int b = 0; b < SimdKernel.BLOCK; b++) {
            for (int i = 0; i < n; i++) {
                int c0 = list[i] * lanes;
                for (int c = c0; c < c0 + lanes; c++) {
                    float acc = 0f;
                    for (int j = 0; j < d; j++) {
                        int t = m.termIndex(c, j);
                        float y = Math.fma(xc[b * d + j], g[t], g[t + lanes]);
                        acc = Math.fma(y, y, acc);
                    }
                    float v = m.logNorm[c] - acc;
                    lp[bases[b] + c] = v;
                    maxLanes[b * lanes + c - c0] = Math.max(maxLanes[b * lanes + c - c0], v);
                }
            }
        }
    }

    @Override
    float reduceMax(float[] v, int at) {
        float mx = Float.NEGATIVE_INFINITY;
        for (int l = 0; l < width; l++) {
            mx = Math.max(mx, v[at + l]);
        }
        return mx;
    }

    @Override
    void seedRadii(PackedModel m, float[] xc, int[] seeds, float[] out) {
        for (int b = 0; b < SimdKernel.BLOCK; b++) {
            if (seeds[b] >= 0) {
                seedRadiusFrom(m, xc, b * m.d, seeds[b], 0, 0f, 0f, out, 2 * b);
            }
        }
    }

    /** {@link #seedRadii}'s sums for one descriptor from dimension {@code from} on, the sums so far {@code r2} and {@code n2} (the vector lanes' tail). */
    static void seedRadiusFrom(PackedModel m, float[] xc, int at, int p, int from, float r2, float n2, float[] out, int outAt) {
        Seeds sd = m.seeds;
        int d = m.d;
        for (int j = from; j < d; j++) {
            float xs = xc[at + j] * sd.scale[j];
            float y = xs - sd.pivots[p * d + j];
            r2 = Math.fma(y, y, r2);
            n2 = Math.fma(xs, xs, n2);
        }
        out[outAt] = r2;
        out[outAt + 1] = n2;
    }

    @Override
    void nearestCentres(Seeds sd, float[] x, int row, int d, int n, int[] out) {
        float[] c = sd.scaledCentres;
        int dims = sd.seedDimensions;
        for (int t = 0; t < n; t++) {
            int best = 0;
            float bestSum = Float.POSITIVE_INFINITY;
            for (int g = 0; g < sd.groups; g++) {
                float s = 0f;
                for (int j = 0; j < dims; j++) {
                    float y = x[row + t * d + j] * sd.scale[j] - c[g * dims + j];
                    s = Math.fma(y, y, s);
                }
                best = s < bestSum ? g : best;
                bestSum = Math.min(s, bestSum);
            }
            out[t] = best;
        }
    }

    @Override
    void keepGroups(Seeds sd, int p, float radius, float threshold, int[] words) {
        int gpad = sd.groupsPadded;
        for (int g = 0; g < gpad; g++) {
            float lo = Math.max(sd.nearestDown[p * gpad + g] - radius, 0f);
            float ub = sd.normUp[g] - lo * lo * sd.shrink;
            if (!(ub < threshold)) {
                words[g >>> 5] |= 1 << (g & 31);
            }
        }
    }

    @Override
    int firstLaneOf(float[] lp, int at, float max) {
        for (int l = 0; l < width; l++) {
            if (lp[at + l] == max) {
                return l;
            }
        }
        return -1;
    }

    @Override
    int nextIndexOf(float[] lp, int base, int from, int kpad, float max) {
        for (int c = from; c < kpad; c++) {
            if (lp[base + c] == max) {
                return c;
            }
        }
        return -1;
    }
}
