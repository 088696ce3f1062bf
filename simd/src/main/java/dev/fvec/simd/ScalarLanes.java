package dev.fvec.simd;

/**
 * The scalar float twin of {@link VectorLanes}: the same float operations in the same order, one
 * lane at a time, so a kernel on these lanes gives bitwise the Vector API kernel's results at the
 * same width (lanes are independent in every vector operation but the two reductions, a max, which
 * does not depend on order, and the exp sum, whose order is fixed). {@code Math.fma(float, float,
 * float)} is correctly rounded in the interpreter and in every JIT tier, like the vector FMA.
 *
 * <p>It needs no {@code jdk.incubator.vector} and is plain array code, which the interpreter and
 * C1 run far faster than uncompiled Vector API code; the loops over lanes are innermost and
 * independent, so C2 can also vectorise them. Each instance owns {@code 4 x width} floats of
 * scratch: one per kernel.
 */
final class ScalarLanes extends Lanes {

    private final int width;
    private final float[] acc; // BLOCK x width: the log-likelihood accumulators of one group

    ScalarLanes(int width) {
        this.width = width;
        this.acc = new float[SimdKernel.BLOCK * width];
    }

    @Override
    void logLikelihoods4(PackedModel m, float[] x, int row, float[] lp, float[] maxes) {
        int w = width;
        int d = m.d;
        int kpad = m.kpad;
        float[] groups = m.groups;
        float[] logNorm = m.logNorm;
        float[] a = acc;
        int r0 = row;
        int r1 = row + d;
        int r2 = row + 2 * d;
        int r3 = row + 3 * d;
        float m0 = Float.NEGATIVE_INFINITY;
        float m1 = m0;
        float m2 = m0;
        float m3 = m0;
        int g = 0;
        for (int c = 0; c < kpad; c += w, g += 2 * d * w) {
            for (int l = 0; l < 4 * w; l++) {
                a[l] = 0f;
            }
            for (int j = 0, idx = g; j < d; j++, idx += 2 * w) {
                float x0 = x[r0 + j];
                float x1 = x[r1 + j];
                float x2 = x[r2 + j];
                float x3 = x[r3 + j];
                for (int l = 0; l < w; l++) {
                    float mu = groups[idx + l];
                    float h = groups[idx + w + l];
                    float d0 = mu - x0;
                    a[l] = Math.fma(d0 * h, d0, a[l]);
                    float d1 = mu - x1;
                    a[w + l] = Math.fma(d1 * h, d1, a[w + l]);
                    float d2 = mu - x2;
                    a[2 * w + l] = Math.fma(d2 * h, d2, a[2 * w + l]);
                    float d3 = mu - x3;
                    a[3 * w + l] = Math.fma(d3 * h, d3, a[3 * w + l]);
                }
            }
            for (int l = 0; l < w; l++) {
                float ln = logNorm[c + l];
                float v0 = ln - a[l];
                float v1 = ln - a[w + l];
                float v2 = ln - a[2 * w + l];
                float v3 = ln - a[3 * w + l];
                lp[c + l] = v0;
                lp[kpad + c + l] = v1;
                lp[2 * kpad + c + l] = v2;
                lp[3 * kpad + c + l] = v3;
                m0 = Math.max(m0, v0);
                m1 = Math.max(m1, v1);
                m2 = Math.max(m2, v2);
                m3 = Math.max(m3, v3);
            }
        }
        maxes[0] = m0;
        maxes[1] = m1;
        maxes[2] = m2;
        maxes[3] = m3;
    }

    @Override
    void logLikelihoods1(PackedModel m, float[] x, int row, float[] lp, float[] maxes) {
        int w = width;
        int d = m.d;
        float[] groups = m.groups;
        float[] a = acc;
        float m0 = Float.NEGATIVE_INFINITY;
        int g = 0;
        for (int c = 0; c < m.kpad; c += w, g += 2 * d * w) {
            for (int l = 0; l < w; l++) {
                a[l] = 0f;
            }
            for (int j = 0, idx = g; j < d; j++, idx += 2 * w) {
                float x0 = x[row + j];
                for (int l = 0; l < w; l++) {
                    float d0 = groups[idx + l] - x0;
                    a[l] = Math.fma(d0 * groups[idx + w + l], d0, a[l]);
                }
            }
            for (int l = 0; l < w; l++) {
                float v0 = m.logNorm[c + l] - a[l];
                lp[c + l] = v0;
                m0 = Math.max(m0, v0);
            }
        }
        maxes[0] = m0;
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
    void addToWindows(float[] muRows, float[] xBatch, int[] rows, float[] q, int from, int to, float[] c1,
            float[] c2, int rb, int dpad) {
        // Term-major here (element-major in the vector code): each element still receives its terms
        // in order, and the inner loop over elements is plain, vectorisable array code.
        for (int t = from; t < to; t++) {
            int xr = rows[t];
            float qt = q[t];
            for (int j = 0; j < dpad; j++) {
                float y = xBatch[xr + j] - muRows[rb + j];
                float qy = y * qt;
                c1[rb + j] = qy + c1[rb + j];
                c2[rb + j] = Math.fma(qy, y, c2[rb + j]);
            }
        }
    }
}
