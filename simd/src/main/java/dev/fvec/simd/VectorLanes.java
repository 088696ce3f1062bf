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
import jdk.incubator.vector.VectorMask;
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

    /** Int lanes of the same shape, and lane {@code l} holding {@code 1 << l} (see {@link #keptBits}). */
    private static final VectorSpecies<Integer> INT_SPECIES = SPECIES.withLanes(int.class);
    private static final IntVector LANE_BITS = laneBits();
    /** {@link #LANE_BITS}' bits as floats (only moved by blends, never computed with). */
    private static final FloatVector LANE_BITS_AS_FLOATS = LANE_BITS.reinterpretAsFloats();
    /** Whether {@code VectorMask.toLong()} is compiled without a box (see {@link #keptBits}). */
    private static final boolean MASK_TO_LONG = Runtime.version().feature() >= 21;
    /** {@code |v|}'s bits: {@code v}'s bits and this. */
    private static final IntVector ABS_BITS = IntVector.broadcast(INT_SPECIES, 0x7fff_ffff);
    /** {@link PackedModel#VALUE_LIMIT}'s bits: {@code |v| > VALUE_LIMIT} or NaN exactly when {@code |v|}'s bits are above. */
    private static final int VALUE_LIMIT_BITS = Float.floatToRawIntBits(PackedModel.VALUE_LIMIT);
    /** The low {@link #LANES} bits. */
    private static final int LANE_MASK = (int) ((1L << LANES) - 1);

    /** Component groups per pass of {@link #logLikelihoods4}. */
    static final int GROUPS_PER_PASS = 2;

    private VectorLanes() {
    }

    private static IntVector laneBits() {
        int[] bits = new int[LANES];
        for (int l = 0; l < LANES; l++) {
            bits[l] = 1 << l;
        }
        return IntVector.fromArray(INT_SPECIES, bits, 0);
    }

    private static VectorSpecies<Float> species() {
        String bits = System.getProperty("fvec.simd.bits");
        if (bits == null || bits.isEmpty()) {
            return FloatVector.SPECIES_PREFERRED;
        }
        return VectorSpecies.of(float.class, VectorShape.forBitSize(Integer.parseInt(bits.trim())));
    }

    /** The preferred species' bit size, whatever width is forced. */
    static int preferredBits() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }

    static String describeSpecies() {
        return "FloatVector " + SPECIES.vectorBitSize() + "-bit, " + LANES + " lanes";
    }

    /**
     * Register blocking: {@link SimdKernel#BLOCK} descriptors x {@link #GROUPS_PER_PASS} groups of
     * components per pass over {@code j}: {@code 2 x GROUPS_PER_PASS} model loads and {@code BLOCK}
     * broadcasts feed {@code 2 x BLOCK x GROUPS_PER_PASS} FMAs on {@code BLOCK x GROUPS_PER_PASS}
     * independent accumulator chains (8 already cover the FMA latency of two FMA pipes, 4 cycles on
     * Zen 4/5 and Ice Lake and later). Where the preferred width is 512 bits (AVX-512: 32 vector
     * registers at every width) {@code BLOCK} is 8: 16 accumulators, 4 model vectors and the
     * broadcasts fit the registers, and the model, which outgrows L1 (K = 256, D = 64: 128 KB),
     * is streamed from L2 once per 8 descriptors rather than 4, which is what held 512-bit passes
     * back (the bytes per FMA double with the width). Elsewhere (AVX2: 16 registers) 4 x 2. A
     * remaining single group is done with {@code BLOCK} chains.
     */
    @Override
    void logLikelihoodsBlock(PackedModel m, float[] xc, float[] lp, float[] maxes) {
        if (SimdKernel.BLOCK == 8) {
            pass8(m, xc, 0, lp, maxes);
        } else {
            pass4(m, xc, lp, maxes);
        }
    }

    /**
     * Where the model is {@link PackedModel#uncentred} and blocks are of 8: the pass reads the
     * descriptors in place (no centred copy written and read back per block),
     * and each row's range is tested after the pass, when the pass has brought its values to L1.
     * Whole encodes against the centred copy (JarAB, builds alternating in one JVM, the mean
     * ratio over 8 JVMs; Zen 5, 512 bits, Temurin 25): 128 x 64 t = 1e-6 0.968 (0.943-0.986),
     * t = 0 0.974, hard 0.958 (4 JVMs each); golden (centred) 0.999. Then the 8 rows' ranges in
     * one loop ({@link #outOfRange8}) rather than a call per row: 0.989 (8 JVMs). Tried: the pass on
     * {@code x} with the range before it 0.974-0.982; the range folded into the pass (an integer OR
     * of each broadcast value's bits) made the pass 2.4x slower; the next block's range tested
     * right after the pass was no better (3 JVMs: 0.979-1.020 against 0.940-1.023).
     */
    @Override
    void logLikelihoodsOfRows(PackedModel m, float[] x, int row, float[] centred, float[] lp, float[] maxes, boolean[] outside) {
        // The warm-up's small model is uncentred, its full-window and full-queue models are
        // centred (at every width): C2 sees this branch both ways before it compiles it.
        if (SimdKernel.BLOCK == 8 && m.uncentred) {
            pass8(m, x, row, lp, maxes);
            outOfRange8(m, x, row, outside);
        } else {
            super.logLikelihoodsOfRows(m, x, row, centred, lp, maxes, outside);
        }
    }

    /**
     * The running maxima by a compare and a blend ({@code v} where {@code m < v}) and the final
     * reductions on ints ({@link #orderedBits}, lane-wise): C2's float
     * max follows {@code Math.max} (about six instructions on x86, see {@link #centre}), in a chain
     * at the end of every block. The same values as {@code Math.max} for every log-likelihood of an
     * in-range descriptor (never NaN, never {@code -0}: {@code logNorm - sum}, the sum
     * {@code >= +0}), so the twin's maxima; an out-of-range descriptor's, which goes to the scalar
     * reference, may differ (NaN lanes are passed over). JarAB (Zen 5, 512 bits, 128 x 64,
     * t = 1e-6): the blends 0.955-0.992, then the int reductions 0.969-0.992. The 8 descriptors
     * are the rows of D at {@code xc[from ..]}: the centred copy, or an uncentred model's
     * descriptors in place.
     */
    private static void pass8(PackedModel m, float[] xc, int from, float[] lp, float[] maxes) {
        int d = m.d;
        int kpad = m.kpad;
        float[] g = m.groups;
        int stride = m.groupStride;
        FloatVector m0 = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        FloatVector m1 = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        FloatVector m2 = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        FloatVector m3 = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        FloatVector m4 = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        FloatVector m5 = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        FloatVector m6 = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        FloatVector m7 = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        int c = 0;
        int gi = 0;
        for (; c + 2 * LANES <= kpad; c += 2 * LANES, gi += 2 * stride) {
            FloatVector a0_0 = FloatVector.zero(SPECIES);
            FloatVector a0_1 = FloatVector.zero(SPECIES);
            FloatVector a1_0 = FloatVector.zero(SPECIES);
            FloatVector a1_1 = FloatVector.zero(SPECIES);
            FloatVector a2_0 = FloatVector.zero(SPECIES);
            FloatVector a2_1 = FloatVector.zero(SPECIES);
            FloatVector a3_0 = FloatVector.zero(SPECIES);
            FloatVector a3_1 = FloatVector.zero(SPECIES);
            FloatVector a4_0 = FloatVector.zero(SPECIES);
            FloatVector a4_1 = FloatVector.zero(SPECIES);
            FloatVector a5_0 = FloatVector.zero(SPECIES);
            FloatVector a5_1 = FloatVector.zero(SPECIES);
            FloatVector a6_0 = FloatVector.zero(SPECIES);
            FloatVector a6_1 = FloatVector.zero(SPECIES);
            FloatVector a7_0 = FloatVector.zero(SPECIES);
            FloatVector a7_1 = FloatVector.zero(SPECIES);
            for (int j = 0, i = gi; j < d; j++, i += 2 * LANES) {
                FloatVector s0 = FloatVector.fromArray(SPECIES, g, i);
                FloatVector b0 = FloatVector.fromArray(SPECIES, g, i + LANES);
                FloatVector s1 = FloatVector.fromArray(SPECIES, g, i + 1 * stride);
                FloatVector b1 = FloatVector.fromArray(SPECIES, g, i + 1 * stride + LANES);
                FloatVector x0 = FloatVector.broadcast(SPECIES, xc[from + j]);
                FloatVector t0_0 = x0.fma(s0, b0);
                a0_0 = t0_0.fma(t0_0, a0_0);
                FloatVector t0_1 = x0.fma(s1, b1);
                a0_1 = t0_1.fma(t0_1, a0_1);
                FloatVector x1 = FloatVector.broadcast(SPECIES, xc[from + 1 * d + j]);
                FloatVector t1_0 = x1.fma(s0, b0);
                a1_0 = t1_0.fma(t1_0, a1_0);
                FloatVector t1_1 = x1.fma(s1, b1);
                a1_1 = t1_1.fma(t1_1, a1_1);
                FloatVector x2 = FloatVector.broadcast(SPECIES, xc[from + 2 * d + j]);
                FloatVector t2_0 = x2.fma(s0, b0);
                a2_0 = t2_0.fma(t2_0, a2_0);
                FloatVector t2_1 = x2.fma(s1, b1);
                a2_1 = t2_1.fma(t2_1, a2_1);
                FloatVector x3 = FloatVector.broadcast(SPECIES, xc[from + 3 * d + j]);
                FloatVector t3_0 = x3.fma(s0, b0);
                a3_0 = t3_0.fma(t3_0, a3_0);
                FloatVector t3_1 = x3.fma(s1, b1);
                a3_1 = t3_1.fma(t3_1, a3_1);
                FloatVector x4 = FloatVector.broadcast(SPECIES, xc[from + 4 * d + j]);
                FloatVector t4_0 = x4.fma(s0, b0);
                a4_0 = t4_0.fma(t4_0, a4_0);
                FloatVector t4_1 = x4.fma(s1, b1);
                a4_1 = t4_1.fma(t4_1, a4_1);
                FloatVector x5 = FloatVector.broadcast(SPECIES, xc[from + 5 * d + j]);
                FloatVector t5_0 = x5.fma(s0, b0);
                a5_0 = t5_0.fma(t5_0, a5_0);
                FloatVector t5_1 = x5.fma(s1, b1);
                a5_1 = t5_1.fma(t5_1, a5_1);
                FloatVector x6 = FloatVector.broadcast(SPECIES, xc[from + 6 * d + j]);
                FloatVector t6_0 = x6.fma(s0, b0);
                a6_0 = t6_0.fma(t6_0, a6_0);
                FloatVector t6_1 = x6.fma(s1, b1);
                a6_1 = t6_1.fma(t6_1, a6_1);
                FloatVector x7 = FloatVector.broadcast(SPECIES, xc[from + 7 * d + j]);
                FloatVector t7_0 = x7.fma(s0, b0);
                a7_0 = t7_0.fma(t7_0, a7_0);
                FloatVector t7_1 = x7.fma(s1, b1);
                a7_1 = t7_1.fma(t7_1, a7_1);
            }
            FloatVector ln0 = FloatVector.fromArray(SPECIES, m.logNorm, c);
            FloatVector ln1 = FloatVector.fromArray(SPECIES, m.logNorm, c + 1 * LANES);
            a0_0 = ln0.sub(a0_0);
            a0_0.intoArray(lp, c);
            m0 = m0.blend(a0_0, m0.compare(VectorOperators.LT, a0_0));
            a0_1 = ln1.sub(a0_1);
            a0_1.intoArray(lp, c + 1 * LANES);
            m0 = m0.blend(a0_1, m0.compare(VectorOperators.LT, a0_1));
            a1_0 = ln0.sub(a1_0);
            a1_0.intoArray(lp, 1 * kpad + c);
            m1 = m1.blend(a1_0, m1.compare(VectorOperators.LT, a1_0));
            a1_1 = ln1.sub(a1_1);
            a1_1.intoArray(lp, 1 * kpad + c + 1 * LANES);
            m1 = m1.blend(a1_1, m1.compare(VectorOperators.LT, a1_1));
            a2_0 = ln0.sub(a2_0);
            a2_0.intoArray(lp, 2 * kpad + c);
            m2 = m2.blend(a2_0, m2.compare(VectorOperators.LT, a2_0));
            a2_1 = ln1.sub(a2_1);
            a2_1.intoArray(lp, 2 * kpad + c + 1 * LANES);
            m2 = m2.blend(a2_1, m2.compare(VectorOperators.LT, a2_1));
            a3_0 = ln0.sub(a3_0);
            a3_0.intoArray(lp, 3 * kpad + c);
            m3 = m3.blend(a3_0, m3.compare(VectorOperators.LT, a3_0));
            a3_1 = ln1.sub(a3_1);
            a3_1.intoArray(lp, 3 * kpad + c + 1 * LANES);
            m3 = m3.blend(a3_1, m3.compare(VectorOperators.LT, a3_1));
            a4_0 = ln0.sub(a4_0);
            a4_0.intoArray(lp, 4 * kpad + c);
            m4 = m4.blend(a4_0, m4.compare(VectorOperators.LT, a4_0));
            a4_1 = ln1.sub(a4_1);
            a4_1.intoArray(lp, 4 * kpad + c + 1 * LANES);
            m4 = m4.blend(a4_1, m4.compare(VectorOperators.LT, a4_1));
            a5_0 = ln0.sub(a5_0);
            a5_0.intoArray(lp, 5 * kpad + c);
            m5 = m5.blend(a5_0, m5.compare(VectorOperators.LT, a5_0));
            a5_1 = ln1.sub(a5_1);
            a5_1.intoArray(lp, 5 * kpad + c + 1 * LANES);
            m5 = m5.blend(a5_1, m5.compare(VectorOperators.LT, a5_1));
            a6_0 = ln0.sub(a6_0);
            a6_0.intoArray(lp, 6 * kpad + c);
            m6 = m6.blend(a6_0, m6.compare(VectorOperators.LT, a6_0));
            a6_1 = ln1.sub(a6_1);
            a6_1.intoArray(lp, 6 * kpad + c + 1 * LANES);
            m6 = m6.blend(a6_1, m6.compare(VectorOperators.LT, a6_1));
            a7_0 = ln0.sub(a7_0);
            a7_0.intoArray(lp, 7 * kpad + c);
            m7 = m7.blend(a7_0, m7.compare(VectorOperators.LT, a7_0));
            a7_1 = ln1.sub(a7_1);
            a7_1.intoArray(lp, 7 * kpad + c + 1 * LANES);
            m7 = m7.blend(a7_1, m7.compare(VectorOperators.LT, a7_1));
        }
        // The last, single group (an odd number of groups): its own compiled unit (see single8).
        // A loop, not an 'if': the warm-up's small model (odd) takes its test both ways, as real
        // models with even groups do; an 'if' always true there was compiled as a trap that the
        // first even model hit (pass8 deoptimised, uncompiled again for a while).
        for (; c < kpad; c += LANES, gi += stride) {
            single8(m, xc, from, lp, c, gi);
            FloatVector v0 = FloatVector.fromArray(SPECIES, lp, c);
            m0 = m0.blend(v0, m0.compare(VectorOperators.LT, v0));
            FloatVector v1 = FloatVector.fromArray(SPECIES, lp, 1 * kpad + c);
            m1 = m1.blend(v1, m1.compare(VectorOperators.LT, v1));
            FloatVector v2 = FloatVector.fromArray(SPECIES, lp, 2 * kpad + c);
            m2 = m2.blend(v2, m2.compare(VectorOperators.LT, v2));
            FloatVector v3 = FloatVector.fromArray(SPECIES, lp, 3 * kpad + c);
            m3 = m3.blend(v3, m3.compare(VectorOperators.LT, v3));
            FloatVector v4 = FloatVector.fromArray(SPECIES, lp, 4 * kpad + c);
            m4 = m4.blend(v4, m4.compare(VectorOperators.LT, v4));
            FloatVector v5 = FloatVector.fromArray(SPECIES, lp, 5 * kpad + c);
            m5 = m5.blend(v5, m5.compare(VectorOperators.LT, v5));
            FloatVector v6 = FloatVector.fromArray(SPECIES, lp, 6 * kpad + c);
            m6 = m6.blend(v6, m6.compare(VectorOperators.LT, v6));
            FloatVector v7 = FloatVector.fromArray(SPECIES, lp, 7 * kpad + c);
            m7 = m7.blend(v7, m7.compare(VectorOperators.LT, v7));
        }
        IntVector k0 = m0.reinterpretAsInts();
        int r0 = k0.lanewise(VectorOperators.XOR, k0.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.LSHR, 1)).reduceLanes(VectorOperators.MAX);
        maxes[0] = Float.intBitsToFloat(orderedBits(r0));
        IntVector k1 = m1.reinterpretAsInts();
        int r1 = k1.lanewise(VectorOperators.XOR, k1.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.LSHR, 1)).reduceLanes(VectorOperators.MAX);
        maxes[1] = Float.intBitsToFloat(orderedBits(r1));
        IntVector k2 = m2.reinterpretAsInts();
        int r2 = k2.lanewise(VectorOperators.XOR, k2.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.LSHR, 1)).reduceLanes(VectorOperators.MAX);
        maxes[2] = Float.intBitsToFloat(orderedBits(r2));
        IntVector k3 = m3.reinterpretAsInts();
        int r3 = k3.lanewise(VectorOperators.XOR, k3.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.LSHR, 1)).reduceLanes(VectorOperators.MAX);
        maxes[3] = Float.intBitsToFloat(orderedBits(r3));
        IntVector k4 = m4.reinterpretAsInts();
        int r4 = k4.lanewise(VectorOperators.XOR, k4.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.LSHR, 1)).reduceLanes(VectorOperators.MAX);
        maxes[4] = Float.intBitsToFloat(orderedBits(r4));
        IntVector k5 = m5.reinterpretAsInts();
        int r5 = k5.lanewise(VectorOperators.XOR, k5.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.LSHR, 1)).reduceLanes(VectorOperators.MAX);
        maxes[5] = Float.intBitsToFloat(orderedBits(r5));
        IntVector k6 = m6.reinterpretAsInts();
        int r6 = k6.lanewise(VectorOperators.XOR, k6.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.LSHR, 1)).reduceLanes(VectorOperators.MAX);
        maxes[6] = Float.intBitsToFloat(orderedBits(r6));
        IntVector k7 = m7.reinterpretAsInts();
        int r7 = k7.lanewise(VectorOperators.XOR, k7.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.LSHR, 1)).reduceLanes(VectorOperators.MAX);
        maxes[7] = Float.intBitsToFloat(orderedBits(r7));
    }

    /**
     * A float's bits ordered as ints: {@code bits ^ ((bits >> 31) >>> 1)} (negative floats' magnitude
     * bits flipped), so that int order is float order for every non-NaN value, {@code -0 < +0}
     * included; its own inverse. {@link #pass8} applies it lane-wise before its int reductions.
     */
    static int orderedBits(int bits) {
        return bits ^ (bits >> 31) >>> 1;
    }

    /**
     * {@link #pass8}'s last group when the groups are odd in number: {@code lp} of the group at
     * component {@code c} (strip at {@code gi}) for the 8 descriptors, with 8 chains. A method of
     * its own so that C2 compiles two units of moderate size rather than one of 2236 bytecodes
     * (compile time grows faster than the size); not run where the groups are even in number
     * (K = 256 at every width). The caller folds the stored values into its running maxima (max
     * is exact and does not depend on order, so the maxima are bitwise those of one loop).
     */
    private static void single8(PackedModel m, float[] xc, int from, float[] lp, int c, int gi) {
        int d = m.d;
        int kpad = m.kpad;
        float[] g = m.groups;
        FloatVector a0_0 = FloatVector.zero(SPECIES);
        FloatVector a1_0 = FloatVector.zero(SPECIES);
        FloatVector a2_0 = FloatVector.zero(SPECIES);
        FloatVector a3_0 = FloatVector.zero(SPECIES);
        FloatVector a4_0 = FloatVector.zero(SPECIES);
        FloatVector a5_0 = FloatVector.zero(SPECIES);
        FloatVector a6_0 = FloatVector.zero(SPECIES);
        FloatVector a7_0 = FloatVector.zero(SPECIES);
        for (int j = 0, i = gi; j < d; j++, i += 2 * LANES) {
            FloatVector s0 = FloatVector.fromArray(SPECIES, g, i);
            FloatVector b0 = FloatVector.fromArray(SPECIES, g, i + LANES);
            FloatVector x0 = FloatVector.broadcast(SPECIES, xc[from + j]);
            FloatVector t0_0 = x0.fma(s0, b0);
            a0_0 = t0_0.fma(t0_0, a0_0);
            FloatVector x1 = FloatVector.broadcast(SPECIES, xc[from + 1 * d + j]);
            FloatVector t1_0 = x1.fma(s0, b0);
            a1_0 = t1_0.fma(t1_0, a1_0);
            FloatVector x2 = FloatVector.broadcast(SPECIES, xc[from + 2 * d + j]);
            FloatVector t2_0 = x2.fma(s0, b0);
            a2_0 = t2_0.fma(t2_0, a2_0);
            FloatVector x3 = FloatVector.broadcast(SPECIES, xc[from + 3 * d + j]);
            FloatVector t3_0 = x3.fma(s0, b0);
            a3_0 = t3_0.fma(t3_0, a3_0);
            FloatVector x4 = FloatVector.broadcast(SPECIES, xc[from + 4 * d + j]);
            FloatVector t4_0 = x4.fma(s0, b0);
            a4_0 = t4_0.fma(t4_0, a4_0);
            FloatVector x5 = FloatVector.broadcast(SPECIES, xc[from + 5 * d + j]);
            FloatVector t5_0 = x5.fma(s0, b0);
            a5_0 = t5_0.fma(t5_0, a5_0);
            FloatVector x6 = FloatVector.broadcast(SPECIES, xc[from + 6 * d + j]);
            FloatVector t6_0 = x6.fma(s0, b0);
            a6_0 = t6_0.fma(t6_0, a6_0);
            FloatVector x7 = FloatVector.broadcast(SPECIES, xc[from + 7 * d + j]);
            FloatVector t7_0 = x7.fma(s0, b0);
            a7_0 = t7_0.fma(t7_0, a7_0);
        }
        FloatVector ln0 = FloatVector.fromArray(SPECIES, m.logNorm, c);
        a0_0 = ln0.sub(a0_0);
        a0_0.intoArray(lp, c);
        a1_0 = ln0.sub(a1_0);
        a1_0.intoArray(lp, 1 * kpad + c);
        a2_0 = ln0.sub(a2_0);
        a2_0.intoArray(lp, 2 * kpad + c);
        a3_0 = ln0.sub(a3_0);
        a3_0.intoArray(lp, 3 * kpad + c);
        a4_0 = ln0.sub(a4_0);
        a4_0.intoArray(lp, 4 * kpad + c);
        a5_0 = ln0.sub(a5_0);
        a5_0.intoArray(lp, 5 * kpad + c);
        a6_0 = ln0.sub(a6_0);
        a6_0.intoArray(lp, 6 * kpad + c);
        a7_0 = ln0.sub(a7_0);
        a7_0.intoArray(lp, 7 * kpad + c);
    }

    private static void pass4(PackedModel m, float[] xc, float[] lp, float[] maxes) {
        int d = m.d;
        int kpad = m.kpad;
        float[] g = m.groups;
        int stride = m.groupStride;
        FloatVector m0 = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        FloatVector m1 = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        FloatVector m2 = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        FloatVector m3 = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        int c = 0;
        int gi = 0;
        for (; c + 2 * LANES <= kpad; c += 2 * LANES, gi += 2 * stride) {
            FloatVector a0_0 = FloatVector.zero(SPECIES);
            FloatVector a0_1 = FloatVector.zero(SPECIES);
            FloatVector a1_0 = FloatVector.zero(SPECIES);
            FloatVector a1_1 = FloatVector.zero(SPECIES);
            FloatVector a2_0 = FloatVector.zero(SPECIES);
            FloatVector a2_1 = FloatVector.zero(SPECIES);
            FloatVector a3_0 = FloatVector.zero(SPECIES);
            FloatVector a3_1 = FloatVector.zero(SPECIES);
            for (int j = 0, i = gi; j < d; j++, i += 2 * LANES) {
                FloatVector s0 = FloatVector.fromArray(SPECIES, g, i);
                FloatVector b0 = FloatVector.fromArray(SPECIES, g, i + LANES);
                FloatVector s1 = FloatVector.fromArray(SPECIES, g, i + 1 * stride);
                FloatVector b1 = FloatVector.fromArray(SPECIES, g, i + 1 * stride + LANES);
                FloatVector x0 = FloatVector.broadcast(SPECIES, xc[j]);
                FloatVector t0_0 = x0.fma(s0, b0);
                a0_0 = t0_0.fma(t0_0, a0_0);
                FloatVector t0_1 = x0.fma(s1, b1);
                a0_1 = t0_1.fma(t0_1, a0_1);
                FloatVector x1 = FloatVector.broadcast(SPECIES, xc[1 * d + j]);
                FloatVector t1_0 = x1.fma(s0, b0);
                a1_0 = t1_0.fma(t1_0, a1_0);
                FloatVector t1_1 = x1.fma(s1, b1);
                a1_1 = t1_1.fma(t1_1, a1_1);
                FloatVector x2 = FloatVector.broadcast(SPECIES, xc[2 * d + j]);
                FloatVector t2_0 = x2.fma(s0, b0);
                a2_0 = t2_0.fma(t2_0, a2_0);
                FloatVector t2_1 = x2.fma(s1, b1);
                a2_1 = t2_1.fma(t2_1, a2_1);
                FloatVector x3 = FloatVector.broadcast(SPECIES, xc[3 * d + j]);
                FloatVector t3_0 = x3.fma(s0, b0);
                a3_0 = t3_0.fma(t3_0, a3_0);
                FloatVector t3_1 = x3.fma(s1, b1);
                a3_1 = t3_1.fma(t3_1, a3_1);
            }
            FloatVector ln0 = FloatVector.fromArray(SPECIES, m.logNorm, c);
            FloatVector ln1 = FloatVector.fromArray(SPECIES, m.logNorm, c + 1 * LANES);
            a0_0 = ln0.sub(a0_0);
            a0_0.intoArray(lp, c);
            m0 = m0.max(a0_0);
            a0_1 = ln1.sub(a0_1);
            a0_1.intoArray(lp, c + 1 * LANES);
            m0 = m0.max(a0_1);
            a1_0 = ln0.sub(a1_0);
            a1_0.intoArray(lp, 1 * kpad + c);
            m1 = m1.max(a1_0);
            a1_1 = ln1.sub(a1_1);
            a1_1.intoArray(lp, 1 * kpad + c + 1 * LANES);
            m1 = m1.max(a1_1);
            a2_0 = ln0.sub(a2_0);
            a2_0.intoArray(lp, 2 * kpad + c);
            m2 = m2.max(a2_0);
            a2_1 = ln1.sub(a2_1);
            a2_1.intoArray(lp, 2 * kpad + c + 1 * LANES);
            m2 = m2.max(a2_1);
            a3_0 = ln0.sub(a3_0);
            a3_0.intoArray(lp, 3 * kpad + c);
            m3 = m3.max(a3_0);
            a3_1 = ln1.sub(a3_1);
            a3_1.intoArray(lp, 3 * kpad + c + 1 * LANES);
            m3 = m3.max(a3_1);
        }
        for (; c < kpad; c += LANES, gi += stride) {
            FloatVector a0_0 = FloatVector.zero(SPECIES);
            FloatVector a1_0 = FloatVector.zero(SPECIES);
            FloatVector a2_0 = FloatVector.zero(SPECIES);
            FloatVector a3_0 = FloatVector.zero(SPECIES);
            for (int j = 0, i = gi; j < d; j++, i += 2 * LANES) {
                FloatVector s0 = FloatVector.fromArray(SPECIES, g, i);
                FloatVector b0 = FloatVector.fromArray(SPECIES, g, i + LANES);
                FloatVector x0 = FloatVector.broadcast(SPECIES, xc[j]);
                FloatVector t0_0 = x0.fma(s0, b0);
                a0_0 = t0_0.fma(t0_0, a0_0);
                FloatVector x1 = FloatVector.broadcast(SPECIES, xc[1 * d + j]);
                FloatVector t1_0 = x1.fma(s0, b0);
                a1_0 = t1_0.fma(t1_0, a1_0);
                FloatVector x2 = FloatVector.broadcast(SPECIES, xc[2 * d + j]);
                FloatVector t2_0 = x2.fma(s0, b0);
                a2_0 = t2_0.fma(t2_0, a2_0);
                FloatVector x3 = FloatVector.broadcast(SPECIES, xc[3 * d + j]);
                FloatVector t3_0 = x3.fma(s0, b0);
                a3_0 = t3_0.fma(t3_0, a3_0);
            }
            FloatVector ln0 = FloatVector.fromArray(SPECIES, m.logNorm, c);
            a0_0 = ln0.sub(a0_0);
            a0_0.intoArray(lp, c);
            m0 = m0.max(a0_0);
            a1_0 = ln0.sub(a1_0);
            a1_0.intoArray(lp, 1 * kpad + c);
            m1 = m1.max(a1_0);
            a2_0 = ln0.sub(a2_0);
            a2_0.intoArray(lp, 2 * kpad + c);
            m2 = m2.max(a2_0);
            a3_0 = ln0.sub(a3_0);
            a3_0.intoArray(lp, 3 * kpad + c);
            m3 = m3.max(a3_0);
        }
        maxes[0] = m0.reduceLanes(VectorOperators.MAX);
        maxes[1] = m1.reduceLanes(VectorOperators.MAX);
        maxes[2] = m2.reduceLanes(VectorOperators.MAX);
        maxes[3] = m3.reduceLanes(VectorOperators.MAX);
    }

    @Override
    void logLikelihoods1(PackedModel m, float[] xc, float[] lp, float[] maxes) {
        int d = m.d;
        float[] g = m.groups;
        FloatVector m0 = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        int gi = 0;
        for (int c = 0; c < m.kpad; c += LANES, gi += m.groupStride) {
            FloatVector a0 = FloatVector.zero(SPECIES);
            for (int j = 0, i0 = gi; j < d; j++, i0 += 2 * LANES) {
                FloatVector t = FloatVector.broadcast(SPECIES, xc[j])
                        .fma(FloatVector.fromArray(SPECIES, g, i0), FloatVector.fromArray(SPECIES, g, i0 + LANES));
                a0 = t.fma(t, a0);
            }
            a0 = FloatVector.fromArray(SPECIES, m.logNorm, c).sub(a0);
            a0.intoArray(lp, c);
            m0 = m0.max(a0);
        }
        maxes[0] = m0.reduceLanes(VectorOperators.MAX);
    }

    /**
     * Two branch-free loops: the live groups are listed (a store and an add of 0 or 1 per group),
     * then only they are exponentiated. The former per-group {@code if} was a branch on data (which
     * of the 16 groups of K = 256 hold a component within 87 nats: about 5, in no pattern) whose
     * mispredictions made this method 11% of an encode (golden D = 64, K = 256, t = 1e-6);
     * exponentiating every group instead (exact zeros for the rest) cost as much in exps.
     */
    @Override
    int expOfLiveGroups(float[] lp, int base, int kpad, float max, float liveCut, float groupCut, int[] live, int[] candidates,
            int candidatesAt, float[] laneSums, int sumsAt) {
        int nLive = 0;
        for (int c = 0; c < kpad; c += LANES) {
            int liveLanes = FloatVector.fromArray(SPECIES, lp, base + c).sub(max).compare(VectorOperators.GE, liveCut).trueCount();
            live[nLive] = c;
            nLive += Integer.signum(liveLanes); // arithmetic: C2 may turn a '? 1 : 0' into a branch
        }
        // The sum's accumulator is updated on every iteration, so C2 keeps it in a register (a
        // vector updated on only some iterations becomes a loop phi that JDK 17 boxes).
        int nCandidates = 0;
        FloatVector sum = FloatVector.zero(SPECIES);
        for (int i = 0; i < nLive; i++) {
            int c = live[i];
            FloatVector e = exp(FloatVector.fromArray(SPECIES, lp, base + c).sub(max), liveCut);
            e.intoArray(lp, base + c);
            sum = sum.add(e);
            int candidateLanes = e.compare(VectorOperators.GE, groupCut).trueCount();
            candidates[candidatesAt + nCandidates] = c;
            nCandidates += Integer.signum(candidateLanes);
        }
        sum.intoArray(laneSums, sumsAt);
        return nCandidates;
    }

    /**
     * Two loops over the whole block: every descriptor's live groups listed, then all of them
     * exponentiated in one loop. An exp is a chain of ~17 dependent operations; with few groups a
     * descriptor has one to three live ones, and {@link #expOfLiveGroups}' loop ended in a
     * mispredicted exit before the next descriptor's exps could start, while in one loop the
     * out-of-order core overlaps the exps of successive descriptors. Each descriptor's lane sums and
     * candidate count are updated in memory, so no vector lives across iterations as a loop phi
     * (which JDK 17 boxes). A list entry is {@code c << 4 | b}: the group at component {@code c} of
     * descriptor {@code b < 16}. For the models where it pays, see
     * {@link SimdKernel#INTERLEAVED_EXP_GROUPS}.
     */
    @Override
    void expOfLiveGroupsInterleaved(float[] lp, int from, int kpad, float[] maxes, int[] slots, int n, float liveCut,
            float groupCut, int[] live, int[] candidates, int[] counts, float[] laneSums) {
        assert n <= 16 && kpad <= Integer.MAX_VALUE >>> 4;
        int groups = kpad / LANES;
        int nLive = 0;
        for (int b = 0; b < n; b++) {
            counts[b] = 0;
            FloatVector.zero(SPECIES).intoArray(laneSums, b * LANES);
            // ~slots >>> 31: 1 for an admitted descriptor, 0 for one the scalar reference takes (a
            // mask, not a branch: the warm-up has no such descriptors, and C2 would compile a
            // branch it never saw taken as a trap).
            int admitted = ~slots[b] >>> 31;
            float max = maxes[b];
            int base = from + b * kpad;
            for (int c = 0; c < kpad; c += LANES) {
                int liveLanes = FloatVector.fromArray(SPECIES, lp, base + c).sub(max).compare(VectorOperators.GE, liveCut).trueCount();
                live[nLive] = c << 4 | b;
                nLive += Integer.signum(liveLanes) & admitted;
            }
        }
        for (int i = 0; i < nLive; i++) {
            int entry = live[i];
            int b = entry & 15;
            int c = entry >>> 4;
            int at = from + b * kpad + c;
            FloatVector e = exp(FloatVector.fromArray(SPECIES, lp, at).sub(maxes[b]), liveCut);
            e.intoArray(lp, at);
            // laneSum + e, as the sum + e of expOfLiveGroups: the same bits.
            FloatVector.fromArray(SPECIES, laneSums, b * LANES).add(e).intoArray(laneSums, b * LANES);
            int candidateLanes = e.compare(VectorOperators.GE, groupCut).trueCount();
            int nCandidates = counts[b];
            candidates[b * groups + nCandidates] = c;
            counts[b] = nCandidates + Integer.signum(candidateLanes);
        }
    }

    /**
     * From JDK 21 on, the mask's {@code toLong()} (one instruction on AVX-512; 1-1.6% of an encode
     * faster than the reduction at 512 bits, Temurin 25, no allocation at 512, 256 or 128 bits).
     * On JDK 17, where {@code toLong()} boxes: the comparison on the floats' bits (for values
     * {@code >= +0} and {@code cut > 0}, float and int order agree; other values are {@code <= 0}
     * and never kept either way), an int mask selecting each lane's bit and an OR reduction (an
     * intrinsic there) to pack them. The caller visits the
     * set bits only: a scalar scan of every lane of the candidate groups (171 lanes for 19 kept
     * terms per descriptor at D = 64, K = 256 synthetic) cost as much as the log-likelihood pass,
     * with a branch per lane or without.
     */
    @Override
    int keptBits(float[] lp, int at, float cut) {
        if (MASK_TO_LONG) {
            return (int) FloatVector.fromArray(SPECIES, lp, at).compare(VectorOperators.GE, cut).toLong();
        }
        IntVector e = FloatVector.fromArray(SPECIES, lp, at).reinterpretAsInts();
        return IntVector.zero(INT_SPECIES).blend(LANE_BITS, e.compare(VectorOperators.GE, Float.floatToRawIntBits(cut)))
                .reduceLanes(VectorOperators.OR);
    }

    /**
     * {@link #centre}'s range test alone, for the 8 rows of D at {@code x[row ..]}: {@code outside[b]}
     * whether row {@code b} is {@link #outOfRange}. One loop over the rows' vectors side by side,
     * each row's running max of {@code |x|}'s bits in a register of its own (8 independent chains),
     * then each row's test: a call per row paid its loop entry, chain and test 8 times a block
     * (whole encodes at 128 x 64: 0.989, above). Tails of {@code D mod LANES} values per row by
     * {@link Lanes#outOfRange}, the exact predicate itself.
     */
    private void outOfRange8(PackedModel m, float[] x, int row, boolean[] outside) {
        int d = m.d;
        int full = d - d % LANES;
        IntVector r0 = IntVector.zero(INT_SPECIES);
        IntVector r1 = IntVector.zero(INT_SPECIES);
        IntVector r2 = IntVector.zero(INT_SPECIES);
        IntVector r3 = IntVector.zero(INT_SPECIES);
        IntVector r4 = IntVector.zero(INT_SPECIES);
        IntVector r5 = IntVector.zero(INT_SPECIES);
        IntVector r6 = IntVector.zero(INT_SPECIES);
        IntVector r7 = IntVector.zero(INT_SPECIES);
        for (int j = row; j < row + full; j += LANES) {
            r0 = r0.max(FloatVector.fromArray(SPECIES, x, j).reinterpretAsInts().and(ABS_BITS));
            r1 = r1.max(FloatVector.fromArray(SPECIES, x, j + 1 * d).reinterpretAsInts().and(ABS_BITS));
            r2 = r2.max(FloatVector.fromArray(SPECIES, x, j + 2 * d).reinterpretAsInts().and(ABS_BITS));
            r3 = r3.max(FloatVector.fromArray(SPECIES, x, j + 3 * d).reinterpretAsInts().and(ABS_BITS));
            r4 = r4.max(FloatVector.fromArray(SPECIES, x, j + 4 * d).reinterpretAsInts().and(ABS_BITS));
            r5 = r5.max(FloatVector.fromArray(SPECIES, x, j + 5 * d).reinterpretAsInts().and(ABS_BITS));
            r6 = r6.max(FloatVector.fromArray(SPECIES, x, j + 6 * d).reinterpretAsInts().and(ABS_BITS));
            r7 = r7.max(FloatVector.fromArray(SPECIES, x, j + 7 * d).reinterpretAsInts().and(ABS_BITS));
        }
        outside[0] = r0.compare(VectorOperators.GT, VALUE_LIMIT_BITS).anyTrue();
        outside[1] = r1.compare(VectorOperators.GT, VALUE_LIMIT_BITS).anyTrue();
        outside[2] = r2.compare(VectorOperators.GT, VALUE_LIMIT_BITS).anyTrue();
        outside[3] = r3.compare(VectorOperators.GT, VALUE_LIMIT_BITS).anyTrue();
        outside[4] = r4.compare(VectorOperators.GT, VALUE_LIMIT_BITS).anyTrue();
        outside[5] = r5.compare(VectorOperators.GT, VALUE_LIMIT_BITS).anyTrue();
        outside[6] = r6.compare(VectorOperators.GT, VALUE_LIMIT_BITS).anyTrue();
        outside[7] = r7.compare(VectorOperators.GT, VALUE_LIMIT_BITS).anyTrue();
        for (int b = 0; b < 8; b++) {
            outside[b] |= outOfRange(x, row + b * d + full, d - full);
        }
    }

    /**
     * Lane-wise: C2 did not vectorise the plain loop ({@code x} and {@code out} might be one array
     * for all it knows), 3% of an encode at D = 64, K = 256 (golden). The range as a running max
     * of {@code |x|}'s bits in a register: as ints, non-negative floats order as their values, and
     * NaN and the infinities lie above {@link PackedModel#VALUE_LIMIT}, so the test decides as the
     * scalar form does. Not a float max: the Vector API's follows {@code Math.max} (NaN, signed
     * zeros), a sequence of about six instructions on x86 before AVX10.2 with a long latency, which
     * made this loop latency-bound (a probe over 1000 x 128 floats in L1: 17.8 against 4-6.5 us;
     * the centring alone 33-35 against 25-29 us, Zen 5, 512 bits); apart, as a vector loop of its
     * own after the pass (x's rows read again), it
     * took 4.3% of an encode at D = 128, K = 64 (JarAB without it; 6.4% faster fused). Two vectors
     * and two running maxima per pass (one max chain bounded the loop): E-step 0.973-0.983 at
     * D = 128, K = 64 in three runs, encode 0.974-1.008 (JarAB, Zen 5, 512 bits). An odd last
     * vector is taken twice (the same store, and max is idempotent) rather than by a loop of its
     * own, which the warm-up's models (even numbers of vectors at 256 and 128 bits) would never
     * enter: C2 compiles such a loop as a trap, hit by the first real model with an odd number.
     */
    @Override
    boolean centre(PackedModel m, float[] x, int row, float[] out, int at) {
        float[] c = m.centre;
        int d = m.d;
        int full = d - d % LANES;
        IntVector range = IntVector.zero(INT_SPECIES);
        IntVector range1 = IntVector.zero(INT_SPECIES);
        for (int j = 0; j < full; j += 2 * LANES) {
            int j1 = Math.min(j + LANES, full - LANES);
            FloatVector v = FloatVector.fromArray(SPECIES, x, row + j);
            FloatVector w = FloatVector.fromArray(SPECIES, x, row + j1);
            v.sub(FloatVector.fromArray(SPECIES, c, j)).intoArray(out, at + j);
            w.sub(FloatVector.fromArray(SPECIES, c, j1)).intoArray(out, at + j1);
            range = range.max(v.reinterpretAsInts().and(ABS_BITS));
            range1 = range1.max(w.reinterpretAsInts().and(ABS_BITS));
        }
        range = range.max(range1);
        int j = full;
        float tail = 0;
        for (; j < d; j++) {
            out[at + j] = x[row + j] - c[j];
            tail = Math.max(tail, Math.abs(x[row + j]));
        }
        return !(tail <= PackedModel.VALUE_LIMIT) || range.compare(VectorOperators.GT, VALUE_LIMIT_BITS).anyTrue();
    }

    /**
     * Four vectors of dimensions side by side, then pairs for what is left (rows are {@code Dpad}
     * long, a whole number of pairs): each element's sums take the terms in order
     * ({@code c1 = y q + c1}, {@code c2 = fma(y q, y, c2)}, the twin's operations), but the loop
     * over terms carries eight (or four) independent chains; one vector at a time, the add and FMA
     * latencies bounded it (components with many terms: 79 kept terms per descriptor at D = 64,
     * K = 1024 synthetic, where this was 15% of an encode), and pairs alone still did (fours,
     * in one change with the seeded blocks' packing: 0.964 of an encode at 64 x 256, JarAB). No
     * remainder loop of single vectors: a loop that the warm-up's small model (D = 17) never entered
     * was compiled as a trap, which the first real model hit (deoptimised, then run uncompiled: a
     * slow warm-up round). The warm-up's models (D = 17, 33, 64) enter both loops at every width:
     * at 512 bits D = 17 takes a pair only, D = 33 and 64 fours only; at 256 bits D = 33 takes
     * fours and a pair; at 128 bits D = 17 and 33 do. The weight's double sum runs in every chunk's
     * loop over terms (each the same sum, in the same order), a scalar chain beside the vector
     * work, rather than in a loop of its own after them, where its chain of dependent adds
     * (~4 cycles a term) waited for nothing else.
     */
    @Override
    double addToWindows(float[] mu, float[] rows, int[] terms, int from, int to, float[] c1, float[] c2, double weight) {
        int j = 0;
        double w = weight;
        for (; j + 4 * LANES <= mu.length; j += 4 * LANES) {
            FloatVector m0 = FloatVector.fromArray(SPECIES, mu, j);
            FloatVector m1 = FloatVector.fromArray(SPECIES, mu, j + LANES);
            FloatVector m2 = FloatVector.fromArray(SPECIES, mu, j + 2 * LANES);
            FloatVector m3 = FloatVector.fromArray(SPECIES, mu, j + 3 * LANES);
            FloatVector s10 = FloatVector.fromArray(SPECIES, c1, j);
            FloatVector s11 = FloatVector.fromArray(SPECIES, c1, j + LANES);
            FloatVector s12 = FloatVector.fromArray(SPECIES, c1, j + 2 * LANES);
            FloatVector s13 = FloatVector.fromArray(SPECIES, c1, j + 3 * LANES);
            FloatVector s20 = FloatVector.fromArray(SPECIES, c2, j);
            FloatVector s21 = FloatVector.fromArray(SPECIES, c2, j + LANES);
            FloatVector s22 = FloatVector.fromArray(SPECIES, c2, j + 2 * LANES);
            FloatVector s23 = FloatVector.fromArray(SPECIES, c2, j + 3 * LANES);
            double wj = weight;
            for (int t = from; t < to; t++) {
                int x = terms[2 * t];
                float qt = Float.intBitsToFloat(terms[2 * t + 1]);
                wj += qt;
                FloatVector y0 = FloatVector.fromArray(SPECIES, rows, x + j).sub(m0);
                FloatVector y1 = FloatVector.fromArray(SPECIES, rows, x + j + LANES).sub(m1);
                FloatVector y2 = FloatVector.fromArray(SPECIES, rows, x + j + 2 * LANES).sub(m2);
                FloatVector y3 = FloatVector.fromArray(SPECIES, rows, x + j + 3 * LANES).sub(m3);
                FloatVector qy0 = y0.mul(qt);
                FloatVector qy1 = y1.mul(qt);
                FloatVector qy2 = y2.mul(qt);
                FloatVector qy3 = y3.mul(qt);
                s10 = qy0.add(s10);
                s11 = qy1.add(s11);
                s12 = qy2.add(s12);
                s13 = qy3.add(s13);
                s20 = qy0.fma(y0, s20);
                s21 = qy1.fma(y1, s21);
                s22 = qy2.fma(y2, s22);
                s23 = qy3.fma(y3, s23);
            }
            w = wj;
            s10.intoArray(c1, j);
            s11.intoArray(c1, j + LANES);
            s12.intoArray(c1, j + 2 * LANES);
            s13.intoArray(c1, j + 3 * LANES);
            s20.intoArray(c2, j);
            s21.intoArray(c2, j + LANES);
            s22.intoArray(c2, j + 2 * LANES);
            s23.intoArray(c2, j + 3 * LANES);
        }
        for (; j < mu.length; j += 2 * LANES) {
            FloatVector m0 = FloatVector.fromArray(SPECIES, mu, j);
            FloatVector m1 = FloatVector.fromArray(SPECIES, mu, j + LANES);
            FloatVector s10 = FloatVector.fromArray(SPECIES, c1, j);
            FloatVector s11 = FloatVector.fromArray(SPECIES, c1, j + LANES);
            FloatVector s20 = FloatVector.fromArray(SPECIES, c2, j);
            FloatVector s21 = FloatVector.fromArray(SPECIES, c2, j + LANES);
            double wj = weight;
            for (int t = from; t < to; t++) {
                int x = terms[2 * t];
                float qt = Float.intBitsToFloat(terms[2 * t + 1]);
                wj += qt;
                FloatVector y0 = FloatVector.fromArray(SPECIES, rows, x + j).sub(m0);
                FloatVector y1 = FloatVector.fromArray(SPECIES, rows, x + j + LANES).sub(m1);
                FloatVector qy0 = y0.mul(qt);
                FloatVector qy1 = y1.mul(qt);
                s10 = qy0.add(s10);
                s11 = qy1.add(s11);
                s20 = qy0.fma(y0, s20);
                s21 = qy1.fma(y1, s21);
            }
            w = wj;
            s10.intoArray(c1, j);
            s11.intoArray(c1, j + LANES);
            s20.intoArray(c2, j);
            s21.intoArray(c2, j + LANES);
        }
        return w;
    }

    /**
     * {@link ExpPolynomial}'s {@code e^x}, lane-wise: about 1 ulp for {@code x <= 0}; exactly 0
     * below {@code zeroBelow} ({@code >= LOW}) and for {@code -inf}. Not for NaN.
     */
    static FloatVector exp(FloatVector x, float zeroBelow) {
        // max(x, LOW) by a compare and a blend (NaN stays NaN, as with max): see centre on max.
        FloatVector xc = x.blend(LOW, x.compare(VectorOperators.LT, LOW));
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
        return er.mul(scale).blend(0f, x.compare(VectorOperators.LT, zeroBelow));
    }

    /**
     * Lane-wise, four vectors at a time: {@code v - v} is 0 for finite lanes and NaN for NaN and
     * both infinities, and a sum of such stays NaN, so one compare covers {@code 4 x LANES} values.
     * Stops at the first four vectors that fail (the plain loop then finds the index among them)
     * or at the tail. 17 -> 2 us for 1000 x 64 floats on Zen 5, where the plain loop (its exit
     * per value keeps C2 from vectorising it) was ~2% of an encode at D = 64, K = 256.
     */
    @Override
    int finitePrefix(float[] x, int from, int to) {
        int step = 4 * LANES;
        int i = from;
        for (; i + step <= to; i += step) {
            FloatVector a = FloatVector.fromArray(SPECIES, x, i);
            FloatVector b = FloatVector.fromArray(SPECIES, x, i + LANES);
            FloatVector c = FloatVector.fromArray(SPECIES, x, i + 2 * LANES);
            FloatVector d = FloatVector.fromArray(SPECIES, x, i + 3 * LANES);
            FloatVector zeros = a.sub(a).add(b.sub(b)).add(c.sub(c).add(d.sub(d)));
            if (zeros.compare(VectorOperators.NE, 0f).anyTrue()) {
                break;
            }
        }
        return i;
    }

    // Seeded pruning (see SimdKernel#seededBatch).

    @Override
    void passGroups(PackedModel m, float[] xc, int[] list, int n, float[] lp, int[] bases, float[] maxLanes) {
        int i = 0;
        if (SimdKernel.BLOCK == 8) {
            for (; i + 1 < n; i += 2) {
                pair8(m, xc, list[i] * LANES, list[i + 1] * LANES, lp, bases, maxLanes);
            }
            for (; i < n; i++) {
                group8(m, xc, list[i] * LANES, lp, bases, maxLanes);
            }
        } else {
            for (; i + 1 < n; i += 2) {
                pair4(m, xc, list[i] * LANES, list[i + 1] * LANES, lp, bases, maxLanes);
            }
            for (; i < n; i++) {
                group4(m, xc, list[i] * LANES, lp, bases, maxLanes);
            }
        }
    }

    /**
     * On ints ({@link #orderedBits}), as {@link #pass8}'s maxima: C2's float max reduction follows
     * {@code Math.max} lane by lane, a long chain (128 x 64 with gathered groups on JDK 17: the
     * encode 1.084 of the unpruned kernel's time this way, 1.131 with the float reduction; JarAB,
     * Zen 5, 512 bits). The same value for lanes that hold no NaN; where some lane holds one, the
     * twin's NaN or (a NaN with its sign bit set) the largest other lane, a value some lane holds
     * either way. Only out-of-range descriptors can have NaN log-likelihoods; their statistics
     * come from the scalar reference.
     */
    @Override
    float reduceMax(float[] v, int at) {
        IntVector k = FloatVector.fromArray(SPECIES, v, at).reinterpretAsInts();
        int r = k.lanewise(VectorOperators.XOR, k.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.LSHR, 1))
                .reduceLanes(VectorOperators.MAX);
        return Float.intBitsToFloat(orderedBits(r));
    }

    /**
     * Four descriptors at a time (eight chains of FMAs): one at a time, each call a chain of
     * dependent FMAs over D and two reductions, they were among the largest costs of a seeded
     * batch with few groups.
     */
    @Override
    void seedRadii(PackedModel m, float[] xc, int[] seeds, float[] out) {
        Seeds sd = m.seeds;
        int d = m.d;
        float[] piv = sd.pivots;
        float[] sc = sd.scale;
        int full = d - d % LANES;
        for (int b = 0; b < SimdKernel.BLOCK; b += 4) {
            // A descriptor without a seed (-1) takes lane 0's pivots: its sums are not used.
            int q0 = Math.max(seeds[b], 0);
            int q1 = Math.max(seeds[b + 1], 0);
            int q2 = Math.max(seeds[b + 2], 0);
            int q3 = Math.max(seeds[b + 3], 0);
            int a0 = b * d;
            int a1 = a0 + d;
            int a2 = a1 + d;
            int a3 = a2 + d;
            FloatVector r0 = FloatVector.zero(SPECIES);
            FloatVector r1 = r0;
            FloatVector r2 = r0;
            FloatVector r3 = r0;
            FloatVector n0 = r0;
            FloatVector n1 = r0;
            FloatVector n2 = r0;
            FloatVector n3 = r0;
            for (int j = 0; j < full; j += LANES) {
                FloatVector s = FloatVector.fromArray(SPECIES, sc, j);
                FloatVector x0 = FloatVector.fromArray(SPECIES, xc, a0 + j).mul(s);
                FloatVector x1 = FloatVector.fromArray(SPECIES, xc, a1 + j).mul(s);
                FloatVector x2 = FloatVector.fromArray(SPECIES, xc, a2 + j).mul(s);
                FloatVector x3 = FloatVector.fromArray(SPECIES, xc, a3 + j).mul(s);
                FloatVector y0 = x0.sub(FloatVector.fromArray(SPECIES, piv, q0 * d + j));
                FloatVector y1 = x1.sub(FloatVector.fromArray(SPECIES, piv, q1 * d + j));
                FloatVector y2 = x2.sub(FloatVector.fromArray(SPECIES, piv, q2 * d + j));
                FloatVector y3 = x3.sub(FloatVector.fromArray(SPECIES, piv, q3 * d + j));
                r0 = y0.fma(y0, r0);
                r1 = y1.fma(y1, r1);
                r2 = y2.fma(y2, r2);
                r3 = y3.fma(y3, r3);
                n0 = x0.fma(x0, n0);
                n1 = x1.fma(x1, n1);
                n2 = x2.fma(x2, n2);
                n3 = x3.fma(x3, n3);
            }
            ScalarLanes.seedRadiusFrom(m, xc, a0, q0, full, r0.reduceLanes(VectorOperators.ADD), n0.reduceLanes(VectorOperators.ADD), out, 2 * b);
            ScalarLanes.seedRadiusFrom(m, xc, a1, q1, full, r1.reduceLanes(VectorOperators.ADD), n1.reduceLanes(VectorOperators.ADD), out, 2 * b + 2);
            ScalarLanes.seedRadiusFrom(m, xc, a2, q2, full, r2.reduceLanes(VectorOperators.ADD), n2.reduceLanes(VectorOperators.ADD), out, 2 * b + 4);
            ScalarLanes.seedRadiusFrom(m, xc, a3, q3, full, r3.reduceLanes(VectorOperators.ADD), n3.reduceLanes(VectorOperators.ADD), out, 2 * b + 6);
        }
    }

    /**
     * Groups four at a time (the last one repeated where fewer are left), each in a chain of its
     * own over the seed dimensions (a fixed number of whole vectors, unrolled: every model of 4 to 7
     * groups runs the code the warm-up compiles).
     */
    @Override
    void nearestCentres(Seeds sd, float[] x, int row, int d, int n, int[] out) {
        float[] c = sd.scaledCentres;
        float[] sc = sd.scale;
        int dims = Seeds.FEW_GROUPS_SEED_DIMENSIONS;
        int last = sd.groups - 1;
        for (int t = 0; t < n; t++) {
            int at = row + t * d;
            int best = 0;
            float bestSum = Float.POSITIVE_INFINITY;
            for (int g = 0; g <= last; g += 4) {
                int g1 = Math.min(g + 1, last);
                int g2 = Math.min(g + 2, last);
                int g3 = Math.min(g + 3, last);
                FloatVector a0 = FloatVector.zero(SPECIES);
                FloatVector a1 = a0;
                FloatVector a2 = a0;
                FloatVector a3 = a0;
                for (int j = 0; j < dims; j += LANES) {
                    FloatVector xs = FloatVector.fromArray(SPECIES, x, at + j).mul(FloatVector.fromArray(SPECIES, sc, j));
                    FloatVector y0 = xs.sub(FloatVector.fromArray(SPECIES, c, g * dims + j));
                    FloatVector y1 = xs.sub(FloatVector.fromArray(SPECIES, c, g1 * dims + j));
                    FloatVector y2 = xs.sub(FloatVector.fromArray(SPECIES, c, g2 * dims + j));
                    FloatVector y3 = xs.sub(FloatVector.fromArray(SPECIES, c, g3 * dims + j));
                    a0 = y0.fma(y0, a0);
                    a1 = y1.fma(y1, a1);
                    a2 = y2.fma(y2, a2);
                    a3 = y3.fma(y3, a3);
                }
                float s0 = a0.reduceLanes(VectorOperators.ADD);
                float s1 = a1.reduceLanes(VectorOperators.ADD);
                float s2 = a2.reduceLanes(VectorOperators.ADD);
                float s3 = a3.reduceLanes(VectorOperators.ADD);
                // The first of equal sums: a repeated group never displaces its first.
                int b01 = s1 < s0 ? g1 : g;
                float m01 = Math.min(s0, s1);
                int b23 = s3 < s2 ? g3 : g2;
                float m23 = Math.min(s2, s3);
                int b = m23 < m01 ? b23 : b01;
                float m = Math.min(m01, m23);
                best = m < bestSum ? b : best;
                bestSum = Math.min(m, bestSum);
            }
            out[t] = best;
        }
    }

    /** Each vector of groups' bits ORed into {@code words} (no flags to fill and pack per block). */
    @Override
    void keepGroups(Seeds sd, int p, float radius, float threshold, int[] words) {
        int gpad = sd.groupsPadded;
        float[] near = sd.nearestDown;
        float[] norm = sd.normUp;
        int row = p * gpad;
        FloatVector r = FloatVector.broadcast(SPECIES, radius);
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector shrink = FloatVector.broadcast(SPECIES, sd.shrink);
        for (int g = 0; g < gpad; g += LANES) {
            FloatVector lo = FloatVector.fromArray(SPECIES, near, row + g).sub(r).max(zero);
            FloatVector ub = FloatVector.fromArray(SPECIES, norm, g).sub(lo.mul(lo).mul(shrink));
            // Kept: not '< threshold' (NaN included).
            int below = bits(ub.compare(VectorOperators.LT, threshold));
            words[g >>> 5] |= (~below & LANE_MASK) << (g & 31);
        }
    }

    @Override
    int firstLaneOf(float[] lp, int at, float max) {
        int t = Integer.numberOfTrailingZeros(bits(FloatVector.fromArray(SPECIES, lp, at).compare(VectorOperators.EQ, max)));
        return t < LANES ? t : -1;
    }

    /** A mask's lanes as the low bits of an int: {@code toLong()} from JDK 21 on, else a blend and an OR reduction (see {@link #keptBits}). */
    private static int bits(VectorMask<Float> mask) {
        if (MASK_TO_LONG) {
            return (int) mask.toLong();
        }
        return FloatVector.zero(SPECIES).blend(LANE_BITS_AS_FLOATS, mask).reinterpretAsInts().reduceLanes(VectorOperators.OR);
    }

    @Override
    int nextIndexOf(float[] lp, int base, int from, int kpad, float max) {
        for (int c = from; c < kpad; c++) {
            if (c % LANES == 0) {
                break;
            }
            if (lp[base + c] == max) {
                return c;
            }
        }
        for (int c = (from + LANES - 1) / LANES * LANES; c < kpad; c += LANES) {
            // anyTrue(), then scalar: VectorMask.firstTrue() boxes the mask for some shapes on JDK 17.
            if (FloatVector.fromArray(SPECIES, lp, base + c).compare(VectorOperators.EQ, max).anyTrue()) {
                for (int comp = c; ; comp++) {
                    if (lp[base + comp] == max) {
                        return comp;
                    }
                }
            }
        }
        return -1;
    }

    /**
     * {@link #passGroups}' pair of groups at components {@code c0} and {@code c1} for 8 descriptors:
     * 16 chains, as in the unpruned pass (each lane's chain is the same there), stored at the
     * descriptors' rows {@code bases[b]}.
     */
    private static void pair8(PackedModel m, float[] xc, int c0, int c1, float[] lp, int[] bases, float[] maxLanes) {
        int d = m.d;
        float[] g = m.groups;
        int i0 = (c0 / LANES) * m.groupStride;
        int i1 = (c1 / LANES) * m.groupStride;
        FloatVector a0_0 = FloatVector.zero(SPECIES);
        FloatVector a0_1 = FloatVector.zero(SPECIES);
        FloatVector a1_0 = FloatVector.zero(SPECIES);
        FloatVector a1_1 = FloatVector.zero(SPECIES);
        FloatVector a2_0 = FloatVector.zero(SPECIES);
        FloatVector a2_1 = FloatVector.zero(SPECIES);
        FloatVector a3_0 = FloatVector.zero(SPECIES);
        FloatVector a3_1 = FloatVector.zero(SPECIES);
        FloatVector a4_0 = FloatVector.zero(SPECIES);
        FloatVector a4_1 = FloatVector.zero(SPECIES);
        FloatVector a5_0 = FloatVector.zero(SPECIES);
        FloatVector a5_1 = FloatVector.zero(SPECIES);
        FloatVector a6_0 = FloatVector.zero(SPECIES);
        FloatVector a6_1 = FloatVector.zero(SPECIES);
        FloatVector a7_0 = FloatVector.zero(SPECIES);
        FloatVector a7_1 = FloatVector.zero(SPECIES);
        for (int j = 0; j < d; j++, i0 += 2 * LANES, i1 += 2 * LANES) {
            FloatVector s0 = FloatVector.fromArray(SPECIES, g, i0);
            FloatVector b0 = FloatVector.fromArray(SPECIES, g, i0 + LANES);
            FloatVector s1 = FloatVector.fromArray(SPECIES, g, i1);
            FloatVector b1 = FloatVector.fromArray(SPECIES, g, i1 + LANES);
            FloatVector x0 = FloatVector.broadcast(SPECIES, xc[j]);
            FloatVector t0_0 = x0.fma(s0, b0);
            a0_0 = t0_0.fma(t0_0, a0_0);
            FloatVector t0_1 = x0.fma(s1, b1);
            a0_1 = t0_1.fma(t0_1, a0_1);
            FloatVector x1 = FloatVector.broadcast(SPECIES, xc[1 * d + j]);
            FloatVector t1_0 = x1.fma(s0, b0);
            a1_0 = t1_0.fma(t1_0, a1_0);
            FloatVector t1_1 = x1.fma(s1, b1);
            a1_1 = t1_1.fma(t1_1, a1_1);
            FloatVector x2 = FloatVector.broadcast(SPECIES, xc[2 * d + j]);
            FloatVector t2_0 = x2.fma(s0, b0);
            a2_0 = t2_0.fma(t2_0, a2_0);
            FloatVector t2_1 = x2.fma(s1, b1);
            a2_1 = t2_1.fma(t2_1, a2_1);
            FloatVector x3 = FloatVector.broadcast(SPECIES, xc[3 * d + j]);
            FloatVector t3_0 = x3.fma(s0, b0);
            a3_0 = t3_0.fma(t3_0, a3_0);
            FloatVector t3_1 = x3.fma(s1, b1);
            a3_1 = t3_1.fma(t3_1, a3_1);
            FloatVector x4 = FloatVector.broadcast(SPECIES, xc[4 * d + j]);
            FloatVector t4_0 = x4.fma(s0, b0);
            a4_0 = t4_0.fma(t4_0, a4_0);
            FloatVector t4_1 = x4.fma(s1, b1);
            a4_1 = t4_1.fma(t4_1, a4_1);
            FloatVector x5 = FloatVector.broadcast(SPECIES, xc[5 * d + j]);
            FloatVector t5_0 = x5.fma(s0, b0);
            a5_0 = t5_0.fma(t5_0, a5_0);
            FloatVector t5_1 = x5.fma(s1, b1);
            a5_1 = t5_1.fma(t5_1, a5_1);
            FloatVector x6 = FloatVector.broadcast(SPECIES, xc[6 * d + j]);
            FloatVector t6_0 = x6.fma(s0, b0);
            a6_0 = t6_0.fma(t6_0, a6_0);
            FloatVector t6_1 = x6.fma(s1, b1);
            a6_1 = t6_1.fma(t6_1, a6_1);
            FloatVector x7 = FloatVector.broadcast(SPECIES, xc[7 * d + j]);
            FloatVector t7_0 = x7.fma(s0, b0);
            a7_0 = t7_0.fma(t7_0, a7_0);
            FloatVector t7_1 = x7.fma(s1, b1);
            a7_1 = t7_1.fma(t7_1, a7_1);
        }
        FloatVector ln0 = FloatVector.fromArray(SPECIES, m.logNorm, c0);
        FloatVector ln1 = FloatVector.fromArray(SPECIES, m.logNorm, c1);
        a0_0 = ln0.sub(a0_0);
        a0_0.intoArray(lp, bases[0] + c0);
        a0_1 = ln1.sub(a0_1);
        a0_1.intoArray(lp, bases[0] + c1);
        FloatVector.fromArray(SPECIES, maxLanes, 0 * LANES).max(a0_0.max(a0_1)).intoArray(maxLanes, 0 * LANES);
        a1_0 = ln0.sub(a1_0);
        a1_0.intoArray(lp, bases[1] + c0);
        a1_1 = ln1.sub(a1_1);
        a1_1.intoArray(lp, bases[1] + c1);
        FloatVector.fromArray(SPECIES, maxLanes, 1 * LANES).max(a1_0.max(a1_1)).intoArray(maxLanes, 1 * LANES);
        a2_0 = ln0.sub(a2_0);
        a2_0.intoArray(lp, bases[2] + c0);
        a2_1 = ln1.sub(a2_1);
        a2_1.intoArray(lp, bases[2] + c1);
        FloatVector.fromArray(SPECIES, maxLanes, 2 * LANES).max(a2_0.max(a2_1)).intoArray(maxLanes, 2 * LANES);
        a3_0 = ln0.sub(a3_0);
        a3_0.intoArray(lp, bases[3] + c0);
        a3_1 = ln1.sub(a3_1);
        a3_1.intoArray(lp, bases[3] + c1);
        FloatVector.fromArray(SPECIES, maxLanes, 3 * LANES).max(a3_0.max(a3_1)).intoArray(maxLanes, 3 * LANES);
        a4_0 = ln0.sub(a4_0);
        a4_0.intoArray(lp, bases[4] + c0);
        a4_1 = ln1.sub(a4_1);
        a4_1.intoArray(lp, bases[4] + c1);
        FloatVector.fromArray(SPECIES, maxLanes, 4 * LANES).max(a4_0.max(a4_1)).intoArray(maxLanes, 4 * LANES);
        a5_0 = ln0.sub(a5_0);
        a5_0.intoArray(lp, bases[5] + c0);
        a5_1 = ln1.sub(a5_1);
        a5_1.intoArray(lp, bases[5] + c1);
        FloatVector.fromArray(SPECIES, maxLanes, 5 * LANES).max(a5_0.max(a5_1)).intoArray(maxLanes, 5 * LANES);
        a6_0 = ln0.sub(a6_0);
        a6_0.intoArray(lp, bases[6] + c0);
        a6_1 = ln1.sub(a6_1);
        a6_1.intoArray(lp, bases[6] + c1);
        FloatVector.fromArray(SPECIES, maxLanes, 6 * LANES).max(a6_0.max(a6_1)).intoArray(maxLanes, 6 * LANES);
        a7_0 = ln0.sub(a7_0);
        a7_0.intoArray(lp, bases[7] + c0);
        a7_1 = ln1.sub(a7_1);
        a7_1.intoArray(lp, bases[7] + c1);
        FloatVector.fromArray(SPECIES, maxLanes, 7 * LANES).max(a7_0.max(a7_1)).intoArray(maxLanes, 7 * LANES);
    }

    /** {@link #pair8} for one group, at component {@code c}. */
    private static void group8(PackedModel m, float[] xc, int c, float[] lp, int[] bases, float[] maxLanes) {
        int d = m.d;
        float[] g = m.groups;
        int i0 = (c / LANES) * m.groupStride;
        FloatVector a0_0 = FloatVector.zero(SPECIES);
        FloatVector a1_0 = FloatVector.zero(SPECIES);
        FloatVector a2_0 = FloatVector.zero(SPECIES);
        FloatVector a3_0 = FloatVector.zero(SPECIES);
        FloatVector a4_0 = FloatVector.zero(SPECIES);
        FloatVector a5_0 = FloatVector.zero(SPECIES);
        FloatVector a6_0 = FloatVector.zero(SPECIES);
        FloatVector a7_0 = FloatVector.zero(SPECIES);
        for (int j = 0; j < d; j++, i0 += 2 * LANES) {
            FloatVector s0 = FloatVector.fromArray(SPECIES, g, i0);
            FloatVector b0 = FloatVector.fromArray(SPECIES, g, i0 + LANES);
            FloatVector x0 = FloatVector.broadcast(SPECIES, xc[j]);
            FloatVector t0_0 = x0.fma(s0, b0);
            a0_0 = t0_0.fma(t0_0, a0_0);
            FloatVector x1 = FloatVector.broadcast(SPECIES, xc[1 * d + j]);
            FloatVector t1_0 = x1.fma(s0, b0);
            a1_0 = t1_0.fma(t1_0, a1_0);
            FloatVector x2 = FloatVector.broadcast(SPECIES, xc[2 * d + j]);
            FloatVector t2_0 = x2.fma(s0, b0);
            a2_0 = t2_0.fma(t2_0, a2_0);
            FloatVector x3 = FloatVector.broadcast(SPECIES, xc[3 * d + j]);
            FloatVector t3_0 = x3.fma(s0, b0);
            a3_0 = t3_0.fma(t3_0, a3_0);
            FloatVector x4 = FloatVector.broadcast(SPECIES, xc[4 * d + j]);
            FloatVector t4_0 = x4.fma(s0, b0);
            a4_0 = t4_0.fma(t4_0, a4_0);
            FloatVector x5 = FloatVector.broadcast(SPECIES, xc[5 * d + j]);
            FloatVector t5_0 = x5.fma(s0, b0);
            a5_0 = t5_0.fma(t5_0, a5_0);
            FloatVector x6 = FloatVector.broadcast(SPECIES, xc[6 * d + j]);
            FloatVector t6_0 = x6.fma(s0, b0);
            a6_0 = t6_0.fma(t6_0, a6_0);
            FloatVector x7 = FloatVector.broadcast(SPECIES, xc[7 * d + j]);
            FloatVector t7_0 = x7.fma(s0, b0);
            a7_0 = t7_0.fma(t7_0, a7_0);
        }
        FloatVector ln0 = FloatVector.fromArray(SPECIES, m.logNorm, c);
        a0_0 = ln0.sub(a0_0);
        a0_0.intoArray(lp, bases[0] + c);
        FloatVector.fromArray(SPECIES, maxLanes, 0 * LANES).max(a0_0).intoArray(maxLanes, 0 * LANES);
        a1_0 = ln0.sub(a1_0);
        a1_0.intoArray(lp, bases[1] + c);
        FloatVector.fromArray(SPECIES, maxLanes, 1 * LANES).max(a1_0).intoArray(maxLanes, 1 * LANES);
        a2_0 = ln0.sub(a2_0);
        a2_0.intoArray(lp, bases[2] + c);
        FloatVector.fromArray(SPECIES, maxLanes, 2 * LANES).max(a2_0).intoArray(maxLanes, 2 * LANES);
        a3_0 = ln0.sub(a3_0);
        a3_0.intoArray(lp, bases[3] + c);
        FloatVector.fromArray(SPECIES, maxLanes, 3 * LANES).max(a3_0).intoArray(maxLanes, 3 * LANES);
        a4_0 = ln0.sub(a4_0);
        a4_0.intoArray(lp, bases[4] + c);
        FloatVector.fromArray(SPECIES, maxLanes, 4 * LANES).max(a4_0).intoArray(maxLanes, 4 * LANES);
        a5_0 = ln0.sub(a5_0);
        a5_0.intoArray(lp, bases[5] + c);
        FloatVector.fromArray(SPECIES, maxLanes, 5 * LANES).max(a5_0).intoArray(maxLanes, 5 * LANES);
        a6_0 = ln0.sub(a6_0);
        a6_0.intoArray(lp, bases[6] + c);
        FloatVector.fromArray(SPECIES, maxLanes, 6 * LANES).max(a6_0).intoArray(maxLanes, 6 * LANES);
        a7_0 = ln0.sub(a7_0);
        a7_0.intoArray(lp, bases[7] + c);
        FloatVector.fromArray(SPECIES, maxLanes, 7 * LANES).max(a7_0).intoArray(maxLanes, 7 * LANES);
    }

    /**
     * {@link #passGroups}' pair of groups at components {@code c0} and {@code c1} for 4 descriptors:
     * 8 chains, as in the unpruned pass (each lane's chain is the same there), stored at the
     * descriptors' rows {@code bases[b]}.
     */
    private static void pair4(PackedModel m, float[] xc, int c0, int c1, float[] lp, int[] bases, float[] maxLanes) {
        int d = m.d;
        float[] g = m.groups;
        int i0 = (c0 / LANES) * m.groupStride;
        int i1 = (c1 / LANES) * m.groupStride;
        FloatVector a0_0 = FloatVector.zero(SPECIES);
        FloatVector a0_1 = FloatVector.zero(SPECIES);
        FloatVector a1_0 = FloatVector.zero(SPECIES);
        FloatVector a1_1 = FloatVector.zero(SPECIES);
        FloatVector a2_0 = FloatVector.zero(SPECIES);
        FloatVector a2_1 = FloatVector.zero(SPECIES);
        FloatVector a3_0 = FloatVector.zero(SPECIES);
        FloatVector a3_1 = FloatVector.zero(SPECIES);
        for (int j = 0; j < d; j++, i0 += 2 * LANES, i1 += 2 * LANES) {
            FloatVector s0 = FloatVector.fromArray(SPECIES, g, i0);
            FloatVector b0 = FloatVector.fromArray(SPECIES, g, i0 + LANES);
            FloatVector s1 = FloatVector.fromArray(SPECIES, g, i1);
            FloatVector b1 = FloatVector.fromArray(SPECIES, g, i1 + LANES);
            FloatVector x0 = FloatVector.broadcast(SPECIES, xc[j]);
            FloatVector t0_0 = x0.fma(s0, b0);
            a0_0 = t0_0.fma(t0_0, a0_0);
            FloatVector t0_1 = x0.fma(s1, b1);
            a0_1 = t0_1.fma(t0_1, a0_1);
            FloatVector x1 = FloatVector.broadcast(SPECIES, xc[1 * d + j]);
            FloatVector t1_0 = x1.fma(s0, b0);
            a1_0 = t1_0.fma(t1_0, a1_0);
            FloatVector t1_1 = x1.fma(s1, b1);
            a1_1 = t1_1.fma(t1_1, a1_1);
            FloatVector x2 = FloatVector.broadcast(SPECIES, xc[2 * d + j]);
            FloatVector t2_0 = x2.fma(s0, b0);
            a2_0 = t2_0.fma(t2_0, a2_0);
            FloatVector t2_1 = x2.fma(s1, b1);
            a2_1 = t2_1.fma(t2_1, a2_1);
            FloatVector x3 = FloatVector.broadcast(SPECIES, xc[3 * d + j]);
            FloatVector t3_0 = x3.fma(s0, b0);
            a3_0 = t3_0.fma(t3_0, a3_0);
            FloatVector t3_1 = x3.fma(s1, b1);
            a3_1 = t3_1.fma(t3_1, a3_1);
        }
        FloatVector ln0 = FloatVector.fromArray(SPECIES, m.logNorm, c0);
        FloatVector ln1 = FloatVector.fromArray(SPECIES, m.logNorm, c1);
        a0_0 = ln0.sub(a0_0);
        a0_0.intoArray(lp, bases[0] + c0);
        a0_1 = ln1.sub(a0_1);
        a0_1.intoArray(lp, bases[0] + c1);
        FloatVector.fromArray(SPECIES, maxLanes, 0 * LANES).max(a0_0.max(a0_1)).intoArray(maxLanes, 0 * LANES);
        a1_0 = ln0.sub(a1_0);
        a1_0.intoArray(lp, bases[1] + c0);
        a1_1 = ln1.sub(a1_1);
        a1_1.intoArray(lp, bases[1] + c1);
        FloatVector.fromArray(SPECIES, maxLanes, 1 * LANES).max(a1_0.max(a1_1)).intoArray(maxLanes, 1 * LANES);
        a2_0 = ln0.sub(a2_0);
        a2_0.intoArray(lp, bases[2] + c0);
        a2_1 = ln1.sub(a2_1);
        a2_1.intoArray(lp, bases[2] + c1);
        FloatVector.fromArray(SPECIES, maxLanes, 2 * LANES).max(a2_0.max(a2_1)).intoArray(maxLanes, 2 * LANES);
        a3_0 = ln0.sub(a3_0);
        a3_0.intoArray(lp, bases[3] + c0);
        a3_1 = ln1.sub(a3_1);
        a3_1.intoArray(lp, bases[3] + c1);
        FloatVector.fromArray(SPECIES, maxLanes, 3 * LANES).max(a3_0.max(a3_1)).intoArray(maxLanes, 3 * LANES);
    }

    /** {@link #pair4} for one group, at component {@code c}. */
    private static void group4(PackedModel m, float[] xc, int c, float[] lp, int[] bases, float[] maxLanes) {
        int d = m.d;
        float[] g = m.groups;
        int i0 = (c / LANES) * m.groupStride;
        FloatVector a0_0 = FloatVector.zero(SPECIES);
        FloatVector a1_0 = FloatVector.zero(SPECIES);
        FloatVector a2_0 = FloatVector.zero(SPECIES);
        FloatVector a3_0 = FloatVector.zero(SPECIES);
        for (int j = 0; j < d; j++, i0 += 2 * LANES) {
            FloatVector s0 = FloatVector.fromArray(SPECIES, g, i0);
            FloatVector b0 = FloatVector.fromArray(SPECIES, g, i0 + LANES);
            FloatVector x0 = FloatVector.broadcast(SPECIES, xc[j]);
            FloatVector t0_0 = x0.fma(s0, b0);
            a0_0 = t0_0.fma(t0_0, a0_0);
            FloatVector x1 = FloatVector.broadcast(SPECIES, xc[1 * d + j]);
            FloatVector t1_0 = x1.fma(s0, b0);
            a1_0 = t1_0.fma(t1_0, a1_0);
            FloatVector x2 = FloatVector.broadcast(SPECIES, xc[2 * d + j]);
            FloatVector t2_0 = x2.fma(s0, b0);
            a2_0 = t2_0.fma(t2_0, a2_0);
            FloatVector x3 = FloatVector.broadcast(SPECIES, xc[3 * d + j]);
            FloatVector t3_0 = x3.fma(s0, b0);
            a3_0 = t3_0.fma(t3_0, a3_0);
        }
        FloatVector ln0 = FloatVector.fromArray(SPECIES, m.logNorm, c);
        a0_0 = ln0.sub(a0_0);
        a0_0.intoArray(lp, bases[0] + c);
        FloatVector.fromArray(SPECIES, maxLanes, 0 * LANES).max(a0_0).intoArray(maxLanes, 0 * LANES);
        a1_0 = ln0.sub(a1_0);
        a1_0.intoArray(lp, bases[1] + c);
        FloatVector.fromArray(SPECIES, maxLanes, 1 * LANES).max(a1_0).intoArray(maxLanes, 1 * LANES);
        a2_0 = ln0.sub(a2_0);
        a2_0.intoArray(lp, bases[2] + c);
        FloatVector.fromArray(SPECIES, maxLanes, 2 * LANES).max(a2_0).intoArray(maxLanes, 2 * LANES);
        a3_0 = ln0.sub(a3_0);
        a3_0.intoArray(lp, bases[3] + c);
        FloatVector.fromArray(SPECIES, maxLanes, 3 * LANES).max(a3_0).intoArray(maxLanes, 3 * LANES);
    }
}
