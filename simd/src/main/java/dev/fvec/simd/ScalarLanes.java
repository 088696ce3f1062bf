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
 * vectorises it. Each instance owns {@code 4 x Kpad} floats of scratch: one per kernel.
 */
final class ScalarLanes extends Lanes {

    private final int width;
    // Kpad each: the log-likelihood accumulators of the block's descriptors.
    private final float[] acc0;
    private final float[] acc1;
    private final float[] acc2;
    private final float[] acc3;

    ScalarLanes(int width, int kpad) {
        this.width = width;
        this.acc0 = new float[kpad];
        this.acc1 = new float[kpad];
        this.acc2 = new float[kpad];
        this.acc3 = new float[kpad];
    }

    /**
     * Dimension-major: for each {@code j}, one pass over all components per descriptor. Each
     * component's sum still takes its terms in {@code j} order with the same operations as the
     * vector lanes, and the inner loop is long and plain (one accumulator array, rows without
     * offsets), which C2 vectorises; with four accumulators in one loop JDK 17's does not.
     */
    @Override
    void logLikelihoods4(PackedModel m, float[] x, int row, float[] lp, float[] maxes) {
        int d = m.d;
        clear(acc0, m.kpad);
        clear(acc1, m.kpad);
        clear(acc2, m.kpad);
        clear(acc3, m.kpad);
        for (int j = 0; j < d; j++) {
            float[] mu = m.meanRows[j];
            float[] h = m.halfInverseVarianceRows[j];
            addTerms(mu, h, x[row + j], acc0);
            addTerms(mu, h, x[row + d + j], acc1);
            addTerms(mu, h, x[row + 2 * d + j], acc2);
            addTerms(mu, h, x[row + 3 * d + j], acc3);
        }
        int kpad = m.kpad;
        maxes[0] = finish(m.logNorm, acc0, lp, 0, kpad);
        maxes[1] = finish(m.logNorm, acc1, lp, kpad, kpad);
        maxes[2] = finish(m.logNorm, acc2, lp, 2 * kpad, kpad);
        maxes[3] = finish(m.logNorm, acc3, lp, 3 * kpad, kpad);
    }

    @Override
    void logLikelihoods1(PackedModel m, float[] x, int row, float[] lp, float[] maxes) {
        clear(acc0, m.kpad);
        for (int j = 0; j < m.d; j++) {
            addTerms(m.meanRows[j], m.halfInverseVarianceRows[j], x[row + j], acc0);
        }
        maxes[0] = finish(m.logNorm, acc0, lp, 0, m.kpad);
    }

    private static void clear(float[] a, int n) {
        for (int c = 0; c < n; c++) {
            a[c] = 0f;
        }
    }

    /** {@code a_c = fma((mu_c - x) h_c, mu_c - x, a_c)}: one dimension's term, every component. */
    private static void addTerms(float[] mu, float[] h, float x, float[] a) {
        for (int c = 0; c < a.length; c++) {
            float dc = mu[c] - x;
            a[c] = Math.fma(dc * h[c], dc, a[c]);
        }
    }

    /** {@code lp[at + c] = logNorm_c - a_c}; returns their max. */
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
