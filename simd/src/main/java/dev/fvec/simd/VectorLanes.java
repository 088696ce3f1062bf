package dev.fvec.simd;

import static dev.fvec.simd.ExpPolynomial.LN2_HI;
import static dev.fvec.simd.ExpPolynomial.LN2_LO;
import static dev.fvec.simd.ExpPolynomial.LOG2E;
import static dev.fvec.simd.ExpPolynomial.LOW;
import static dev.fvec.simd.ExpPolynomial.P0;
import static dev.fvec.simd.ExpPolynomial.P1;
import static dev.fvec.simd.ExpPolynomial.P2;
import static dev.fvec.simd.ExpPolynomial.P3;
import static dev.fvec.simd.ExpPolynomial.P4;
import static dev.fvec.simd.ExpPolynomial.P5;
import static dev.fvec.simd.ExpPolynomial.ROUND;
import static dev.fvec.simd.ExpPolynomial.ROUND_BITS;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The {@link Lanes} of the Vector API kernel, over {@link #SPECIES}. Vectors never cross a method
 * boundary (arguments and results are arrays and scalars), so each method compiles to registers
 * whether or not C2 inlines it into its caller.
 */
final class VectorLanes extends Lanes {

    /** The float species; {@code -Dfvec.simd.bits=128|256|512} forces a width. */
    static final VectorSpecies<Float> SPECIES = species();
    static final int LANES = SPECIES.length();

    static final VectorLanes INSTANCE = new VectorLanes();

    private VectorLanes() {
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

    /**
     * Four FMA chains share each pair of model loads; with the two FMA-unit ops per element
     * (mul, fma) that keeps the FMA units busy without more unrolling.
     */
    @Override
    void logLikelihoods4(PackedModel m, float[] x, int row, float[] lp, float[] maxes) {
        int d = m.d;
        int kpad = m.kpad;
        float[] groups = m.groups;
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
            FloatVector a0 = FloatVector.zero(SPECIES);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
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
            FloatVector ln = FloatVector.fromArray(SPECIES, m.logNorm, c);
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

    @Override
    void logLikelihoods1(PackedModel m, float[] x, int row, float[] lp, float[] maxes) {
        int d = m.d;
        float[] groups = m.groups;
        FloatVector m0 = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        int g = 0;
        for (int c = 0; c < m.kpad; c += LANES, g += 2 * d * LANES) {
            FloatVector a0 = FloatVector.zero(SPECIES);
            for (int j = 0, idx = g; j < d; j++, idx += 2 * LANES) {
                FloatVector d0 = FloatVector.fromArray(SPECIES, groups, idx).sub(x[row + j]);
                a0 = d0.mul(FloatVector.fromArray(SPECIES, groups, idx + LANES)).fma(d0, a0);
            }
            a0 = FloatVector.fromArray(SPECIES, m.logNorm, c).sub(a0);
            a0.intoArray(lp, c);
            m0 = m0.max(a0);
        }
        maxes[0] = m0.reduceLanes(VectorOperators.MAX);
    }

    @Override
    long expOfLiveGroups(float[] lp, int base, int kpad, float max, float groupCut, int[] live, int[] candidates) {
        int nLive = 0;
        int nCandidates = 0;
        for (int c = 0; c < kpad; c += LANES) {
            FloatVector z = FloatVector.fromArray(SPECIES, lp, base + c).sub(max);
            if (z.compare(VectorOperators.GE, LOW).anyTrue()) {
                FloatVector e = exp(z);
                e.intoArray(lp, base + c);
                live[nLive++] = c;
                if (e.compare(VectorOperators.GE, groupCut).anyTrue()) {
                    candidates[nCandidates++] = c;
                }
            }
        }
        return (long) nLive << 32 | nCandidates;
    }

    /**
     * Not {@code reduceLanes(ADD)}: its float summation order is unspecified and differs between
     * the interpreter, C1 and C2 (seen on JDK 25), so the same input would give different bits
     * before and after the JIT compiles this. Lane-wise adds are exact IEEE operations, and the
     * final lanes are summed in index order. The accumulator is updated on every iteration of its
     * own loop, so C2 keeps it in a register (a vector updated on only some iterations becomes a
     * loop phi that JDK 17 boxes).
     */
    @Override
    float sumOfLiveGroups(float[] lp, int base, int[] live, int nLive, float[] laneSums) {
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

    @Override
    int firstIndexOf(float[] lp, int base, int kpad, float max) {
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

    @Override
    void addToWindows(float[] mu, float[][] xBatch, int[] slots, float[] q, int from, int to, float[] c1, float[] c2) {
        for (int j = 0; j < mu.length; j += LANES) {
            FloatVector m = FloatVector.fromArray(SPECIES, mu, j);
            FloatVector s1 = FloatVector.fromArray(SPECIES, c1, j);
            FloatVector s2 = FloatVector.fromArray(SPECIES, c2, j);
            for (int t = from; t < to; t++) {
                FloatVector y = FloatVector.fromArray(SPECIES, xBatch[slots[t]], j).sub(m);
                FloatVector qy = y.mul(q[t]);
                s1 = qy.add(s1);
                s2 = qy.fma(y, s2);
            }
            s1.intoArray(c1, j);
            s2.intoArray(c2, j);
        }
    }

    /**
     * {@link ExpPolynomial}'s {@code e^x}, lane-wise: about 1 ulp for {@code x <= 0}; exactly 0
     * below {@link ExpPolynomial#LOW} and for {@code -inf}. Not for NaN.
     */
    static FloatVector exp(FloatVector x) {
        FloatVector xc = x.max(LOW);
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
        return er.mul(scale).blend(0f, x.compare(VectorOperators.LT, LOW));
    }
}
