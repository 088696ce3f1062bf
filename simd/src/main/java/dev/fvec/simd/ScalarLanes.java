package dev.fvec.simd;

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
 * floats of scratch: one per kernel, for that kernel's model.
 */
final class ScalarLanes extends Lanes {

    /**
     * Floats per array header on a 64-bit HotSpot with compressed class pointers (the default):
     * an array's first element sits this far into the object, objects start on 8-byte boundaries.
     */
    private static final int HEADER_FLOATS = 4;
    /** Bytes per cache line, and per 512-bit vector. */
    private static final int LINE_FLOATS = 16;

    private final int width;
    private final int kpad;
    private final int d;
    // The model's -s and b, dimension-major (D rows of Kpad, the same values as PackedModel.groups),
    // and the BLOCK x Kpad log-likelihood accumulators of the block's descriptors. Rows of
    // rowLength floats, allocated one after the other (see rowLength). One array per row: C2 (17
    // and 25) does not vectorise a loop that indexes an array at invariant + c.
    private final float[][] negScale;
    private final float[][] offset;
    private final float[][] acc;

    /** The twin of the vector lanes at {@code m.lanes} lanes, for the model {@code m} only. */
    ScalarLanes(PackedModel m) {
        this.width = m.lanes;
        this.kpad = m.kpad;
        this.d = m.d;
        int length = rowLength(kpad);
        this.negScale = new float[d][];
        this.offset = new float[d][];
        this.acc = new float[SimdKernel.BLOCK][];
        for (int j = 0; j < d; j++) {
            negScale[j] = new float[length];
            offset[j] = new float[length];
            for (int c = 0; c < kpad; c++) {
                int at = m.termIndex(c, j);
                negScale[j][c] = m.groups[at];
                offset[j][c] = m.groups[at + width];
            }
        }
        for (int b = 0; b < acc.length; b++) {
            acc[b] = new float[length];
        }
    }

    /**
     * At least {@code kpad}, and such that the array object takes a whole number of cache lines.
     * C2 vectorises the twin's loops with unaligned 512-bit loads and stores, aligning one of
     * them with a scalar pre-loop; a vector that straddles two cache lines costs two accesses.
     * Rows allocated one after the other (in a thread-local allocation buffer, the usual case) then
     * share their alignment, so aligning one aligns all: measured 25% faster on the two-dimension
     * pass of JDK 17 (Zen 5, 512 bits) than rows of {@code kpad}. A heuristic only: a GC may move
     * them apart, which costs speed, never bits.
     */
    static int rowLength(int kpad) {
        return PackedModel.roundUp(kpad + HEADER_FLOATS, LINE_FLOATS) - HEADER_FLOATS;
    }

    /**
     * Dimension-major: for each pair of dimensions {@code j, j + 1}, one pass over all components
     * per descriptor. Each component's sum still takes its terms in {@code j} order with the same
     * operations as the vector lanes (whose register blocking changes only which terms run side by
     * side), and the inner loop is long and plain (one accumulator array, rows without offsets),
     * which C2 vectorises; with several accumulators in one loop JDK 17's does not. Two dimensions
     * per pass load and store the accumulators half as often (the pass is bound by loads and
     * stores, not FMAs); with more, the loop body outgrows what C2 unrolls, and so vectorises
     * ({@code LoopUnrollLimit}). The first pair starts from {@code +0} without reading the
     * accumulators: {@code fma(t, t, +0)}, the very operation on a cleared accumulator.
     */
    @Override
    void logLikelihoodsBlock(PackedModel m, float[] xc, float[] lp, float[] maxes) {
        float[][] a = acc;
        sums(xc, d, a.length);
        for (int b = 0; b < a.length; b++) {
            maxes[b] = finish(m.logNorm, a[b], lp, b * kpad, kpad);
        }
    }

    @Override
    void logLikelihoods1(PackedModel m, float[] xc, float[] lp, float[] maxes) {
        sums(xc, d, 1);
        maxes[0] = finish(m.logNorm, acc[0], lp, 0, kpad);
    }

    /**
     * {@code acc[b][c] = sum_{j < dims} t_bcj^2} for the first {@code n} descriptors of {@code xc}
     * (rows of {@code D}), each sum in {@code j} order.
     */
    private void sums(float[] xc, int dims, int n) {
        int kp = kpad;
        float[][] a = acc;
        float[][] s = negScale;
        float[][] o = offset;
        if (dims < 2) {
            for (int b = 0; b < n; b++) {
                clear(a[b], kp);
            }
            if (dims == 1) {
                for (int b = 0; b < n; b++) {
                    addTerms(s[0], o[0], xc[b * d], a[b], kp);
                }
            }
            return;
        }
        for (int b = 0; b < n; b++) {
            firstTerms(s[0], o[0], s[1], o[1], xc[b * d], xc[b * d + 1], a[b], kp);
        }
        int j = 2;
        for (; j + 2 <= dims; j += 2) {
            float[] s0 = s[j];
            float[] o0 = o[j];
            float[] s1 = s[j + 1];
            float[] o1 = o[j + 1];
            for (int b = 0; b < n; b++) {
                addTerms2(s0, o0, s1, o1, xc[b * d + j], xc[b * d + j + 1], a[b], kp);
            }
        }
        if (j < dims) {
            for (int b = 0; b < n; b++) {
                addTerms(s[j], o[j], xc[b * d + j], a[b], kp);
            }
        }
    }

    private static void clear(float[] a, int n) {
        for (int c = 0; c < n; c++) {
            a[c] = 0f;
        }
    }

    /** {@code t = fma(x, -s_c, b_c)}, {@code a_c = fma(t, t, a_c)}: one dimension's term, every component. */
    private static void addTerms(float[] negS, float[] b, float x, float[] a, int n) {
        for (int c = 0; c < n; c++) {
            float t = Math.fma(x, negS[c], b[c]);
            a[c] = Math.fma(t, t, a[c]);
        }
    }

    /** {@link #addTerms} for two dimensions in order, {@code x0} then {@code x1}. */
    private static void addTerms2(float[] negS0, float[] b0, float[] negS1, float[] b1, float x0, float x1, float[] a,
            int n) {
        for (int c = 0; c < n; c++) {
            float t0 = Math.fma(x0, negS0[c], b0[c]);
            float u = Math.fma(t0, t0, a[c]);
            float t1 = Math.fma(x1, negS1[c], b1[c]);
            a[c] = Math.fma(t1, t1, u);
        }
    }

    /** {@link #addTerms2} onto cleared accumulators ({@code +0}), without reading them. */
    private static void firstTerms(float[] negS0, float[] b0, float[] negS1, float[] b1, float x0, float x1, float[] a,
            int n) {
        for (int c = 0; c < n; c++) {
            float t0 = Math.fma(x0, negS0[c], b0[c]);
            float u = Math.fma(t0, t0, 0f);
            float t1 = Math.fma(x1, negS1[c], b1[c]);
            a[c] = Math.fma(t1, t1, u);
        }
    }

    /**
     * {@code lp[at + c] = logNorm_c - a_c}; returns their max. One running max: four independent
     * ones (the max does not depend on the order) measured twice as slow on JDK 17.
     */
    private static float finish(float[] logNorm, float[] a, float[] lp, int at, int kpad) {
        float max = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < kpad; c++) {
            float v = logNorm[c] - a[c];
            lp[at + c] = v;
            max = Math.max(max, v);
        }
        return max;
    }

    @Override
    void partialBlock(PackedModel m, float[] xc, int dims, float[] out) {
        float[][] a = acc;
        sums(xc, dims, a.length);
        for (int b = 0; b < a.length; b++) {
            System.arraycopy(a[b], 0, out, b * kpad, kpad);
        }
    }

    @Override
    float bounds(float[] a, int base, float[] logNorm, int kpad, float[] out) {
        float max = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < kpad; c++) {
            float u = logNorm[c] - a[base + c];
            out[c] = u;
            max = Math.max(max, u);
        }
        return max;
    }

    @Override
    int pruneGroups(float[] a, int base, float[] logNorm, float max, float cut, int[] groups, int n) {
        int w = width;
        int kept = 0;
        for (int i = 0; i < n; i++) {
            int c = groups[i];
            boolean keep = false;
            for (int l = 0; l < w; l++) {
                float z = logNorm[c + l] - a[base + c + l] - max;
                keep |= !(z < cut);
            }
            if (keep) {
                groups[kept++] = c;
            }
        }
        return kept;
    }

    /** Group by group, dimension-major inside a group (the inner loop over its lanes). */
    @Override
    void continueGroups(PackedModel m, float[] xc, int at, int from, int to, float[] a, int base, int[] groups,
            int n) {
        int w = width;
        for (int i = 0; i < n; i++) {
            int c = groups[i];
            for (int j = from; j < to; j++) {
                float x = xc[at + j];
                float[] s = negScale[j];
                float[] o = offset[j];
                for (int l = c; l < c + w; l++) {
                    float t = Math.fma(x, s[l], o[l]);
                    a[base + l] = Math.fma(t, t, a[base + l]);
                }
            }
        }
    }

    @Override
    float finishGroups(float[] a, int base, float[] logNorm, int[] groups, int n) {
        int w = width;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            int c = groups[i];
            for (int l = c; l < c + w; l++) {
                float v = logNorm[l] - a[base + l];
                a[base + l] = v;
                max = Math.max(max, v);
            }
        }
        return max;
    }

    @Override
    float expOfLiveGroups(float[] lp, int base, int kpad, float max, float groupCut, int[] live, int[] candidates,
            int candidatesAt, int[] counts, float[] laneSums) {
        int w = width;
        for (int l = 0; l < w; l++) {
            laneSums[l] = 0f;
        }
        int nLive = 0;
        int nCandidates = 0;
        for (int c = 0; c < kpad; c += w) {
            int from = base + c;
            boolean isLive = false;
            for (int l = 0; l < w; l++) {
                isLive |= lp[from + l] - max >= ExpPolynomial.LOW;
            }
            if (isLive) {
                boolean candidate = false;
                for (int l = 0; l < w; l++) {
                    float z = lp[from + l] - max;
                    // exp(z) is exactly 0 below LOW: most lanes of a live group (those of the
                    // components far from the descriptor), which then skip the polynomial.
                    float e = z < ExpPolynomial.LOW ? 0f : ExpPolynomial.exp(z);
                    lp[from + l] = e;
                    laneSums[l] += e;
                    candidate |= e >= groupCut;
                }
                live[nLive++] = c;
                if (candidate) {
                    candidates[candidatesAt + nCandidates++] = c;
                }
            }
        }
        counts[0] = nCandidates;
        float sum = 0;
        for (int l = 0; l < w; l++) {
            sum += laneSums[l];
        }
        return sum;
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
    boolean outOfRange(float[] x, int row, int d) {
        // Not a running max (one chain of dependent maxima): each value tested on its own, NaN
        // failing the test as it would the max's.
        boolean out = false;
        for (int j = 0; j < d; j++) {
            out |= !(Math.abs(x[row + j]) <= PackedModel.VALUE_LIMIT);
        }
        return out;
    }

    @Override
    int firstIndexOf(float[] lp, int base, int kpad, float max) {
        for (int c = 0; c < kpad; c++) {
            if (lp[base + c] == max) {
                return c;
            }
        }
        throw new AssertionError("no component reaches the max " + max);
    }

    @Override
    void addToWindows(float[] mu, float[][] xBatch, int[] slots, float[] q, int from, int to, float[] c1, float[] c2) {
        // Term-major here (element-major in the vector code): each element still receives its terms
        // in order, and the inner loop over elements is plain, vectorisable array code.
        for (int t = from; t < to; t++) {
            addTerm(mu, xBatch[slots[t]], q[t], c1, c2);
        }
    }

    private static void addTerm(float[] mu, float[] x, float q, float[] c1, float[] c2) {
        for (int j = 0; j < mu.length; j++) {
            float y = x[j] - mu[j];
            float qy = y * q;
            c1[j] = qy + c1[j];
            c2[j] = Math.fma(qy, y, c2[j]);
        }
    }
}
