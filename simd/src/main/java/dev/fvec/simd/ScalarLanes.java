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
 * vectorises it. Each instance owns {@code BLOCK x Kpad} floats of scratch: one per kernel.
 */
final class ScalarLanes extends Lanes {

    private final int width;
    // BLOCK x Kpad: the log-likelihood accumulators of the block's descriptors.
    private final float[][] acc;

    ScalarLanes(int width, int kpad) {
        this.width = width;
        this.acc = new float[SimdKernel.BLOCK][kpad];
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
        sums(m, xc, m.d, a.length, a);
        int kpad = m.kpad;
        for (int b = 0; b < a.length; b++) {
            maxes[b] = finish(m.logNorm, a[b], lp, b * kpad, kpad);
        }
    }

    @Override
    void logLikelihoods1(PackedModel m, float[] xc, float[] lp, float[] maxes) {
        sums(m, xc, m.d, 1, acc);
        maxes[0] = finish(m.logNorm, acc[0], lp, 0, m.kpad);
    }

    /**
     * {@code a[b][c] = sum_{j < dims} t_bcj^2} for the first {@code n} descriptors of {@code xc}
     * (rows of {@code D}), each sum in {@code j} order.
     */
    private static void sums(PackedModel m, float[] xc, int dims, int n, float[][] a) {
        int d = m.d;
        float[][] s = m.negScaleRows;
        float[][] o = m.offsetRows;
        if (dims < 2) {
            for (int b = 0; b < n; b++) {
                clear(a[b], m.kpad);
            }
            if (dims == 1) {
                for (int b = 0; b < n; b++) {
                    addTerms(s[0], o[0], xc[b * d], a[b]);
                }
            }
            return;
        }
        for (int b = 0; b < n; b++) {
            firstTerms(s[0], o[0], s[1], o[1], xc[b * d], xc[b * d + 1], a[b]);
        }
        int j = 2;
        for (; j + 2 <= dims; j += 2) {
            float[] s0 = s[j];
            float[] o0 = o[j];
            float[] s1 = s[j + 1];
            float[] o1 = o[j + 1];
            for (int b = 0; b < n; b++) {
                addTerms2(s0, o0, s1, o1, xc[b * d + j], xc[b * d + j + 1], a[b]);
            }
        }
        if (j < dims) {
            for (int b = 0; b < n; b++) {
                addTerms(s[j], o[j], xc[b * d + j], a[b]);
            }
        }
    }

    private static void clear(float[] a, int n) {
        for (int c = 0; c < n; c++) {
            a[c] = 0f;
        }
    }

    /** {@code t = fma(x, -s_c, b_c)}, {@code a_c = fma(t, t, a_c)}: one dimension's term, every component. */
    private static void addTerms(float[] negS, float[] b, float x, float[] a) {
        for (int c = 0; c < a.length; c++) {
            float t = Math.fma(x, negS[c], b[c]);
            a[c] = Math.fma(t, t, a[c]);
        }
    }

    /** {@link #addTerms} for two dimensions in order, {@code x0} then {@code x1}. */
    private static void addTerms2(float[] negS0, float[] b0, float[] negS1, float[] b1, float x0, float x1, float[] a) {
        for (int c = 0; c < a.length; c++) {
            float t0 = Math.fma(x0, negS0[c], b0[c]);
            float u = Math.fma(t0, t0, a[c]);
            float t1 = Math.fma(x1, negS1[c], b1[c]);
            a[c] = Math.fma(t1, t1, u);
        }
    }

    /** {@link #addTerms2} onto cleared accumulators ({@code +0}), without reading them. */
    private static void firstTerms(float[] negS0, float[] b0, float[] negS1, float[] b1, float x0, float x1, float[] a) {
        for (int c = 0; c < a.length; c++) {
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
        sums(m, xc, dims, a.length, a);
        int kpad = m.kpad;
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
                float[] s = m.negScaleRows[j];
                float[] o = m.offsetRows[j];
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
    long expOfLiveGroups(float[] lp, int base, int kpad, float max, float groupCut, int[] live, int[] candidates) {
        int w = width;
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
                    float e = ExpPolynomial.exp(lp[from + l] - max);
                    lp[from + l] = e;
                    candidate |= e >= groupCut;
                }
                live[nLive++] = c;
                if (candidate) {
                    candidates[nCandidates++] = c;
                }
            }
        }
        return (long) nLive << 32 | nCandidates;
    }

    @Override
    float sumOfLiveGroups(float[] lp, int base, int[] live, int nLive, float[] laneSums) {
        int w = width;
        for (int l = 0; l < w; l++) {
            laneSums[l] = 0f;
        }
        for (int i = 0; i < nLive; i++) {
            int from = base + live[i];
            for (int l = 0; l < w; l++) {
                laneSums[l] += lp[from + l];
            }
        }
        float sum = 0;
        for (int l = 0; l < w; l++) {
            sum += laneSums[l];
        }
        return sum;
    }

    @Override
    boolean outOfRange(float[] x, int row, int d) {
        float m = 0;
        for (int j = 0; j < d; j++) {
            m = Math.max(m, Math.abs(x[row + j])); // NaN stays NaN
        }
        return !(m <= PackedModel.VALUE_LIMIT);
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
