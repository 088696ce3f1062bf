package dev.fvec.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * The kernel's own vector exp: within 2 ulps of the correctly rounded {@code e^x} over the range
 * the kernel uses ({@code [-87.3, 0]}), exactly 0 below it and for {@code -inf}, exactly 1 at 0
 * (so the top component's {@code exp(lp - max)} is 1). {@link FloatErrorModel} relies on the bound.
 */
class ExpTest {

    static final int L = VectorLanes.LANES;

    static float[] exp(float[] in) {
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i += L) {
            VectorLanes.exp(FloatVector.fromArray(VectorLanes.SPECIES, in, i), ExpPolynomial.LOW).intoArray(out, i);
        }
        return out;
    }

    /** Above {@code LOW}, {@code zeroBelow} moves the flush to zero and nothing else. */
    @Test
    void zeroBelowAHigherCut() {
        float cut = -23.5f;
        float[] x = new float[L];
        for (int l = 0; l < L; l++) {
            x[l] = -3f * l; // 0, -3, ..., both sides of the cut
        }
        float[] atLow = exp(x);
        float[] atCut = new float[L];
        VectorLanes.exp(FloatVector.fromArray(VectorLanes.SPECIES, x, 0), cut).intoArray(atCut, 0);
        for (int l = 0; l < L; l++) {
            float expected = x[l] < cut ? 0f : atLow[l];
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(atCut[l]), "x = " + x[l]);
            assertEquals(Float.floatToRawIntBits(ExpPolynomial.exp(x[l])), Float.floatToRawIntBits(atLow[l]), "the twin's exp, x = " + x[l]);
        }
    }

    @Test
    void withinTwoUlpsOnTheKernelsRange() {
        int count = 1 << 20;
        float[] x = new float[count];
        for (int i = 0; i < count; i++) {
            x[i] = (float) (-87.3 * i / (count - 1)); // dense sweep, includes 0 and -87.3
        }
        float[] y = exp(x);
        double worst = 0;
        for (int i = 0; i < count; i++) {
            double exact = Math.exp(x[i]);
            double ulps = Math.abs(y[i] - exact) / Math.ulp((float) exact);
            worst = Math.max(worst, ulps);
        }
        assertTrue(worst <= 2, "worst error " + worst + " ulps");
    }

    @Test
    void edges() {
        float[] x = new float[L];
        x[0] = 0f;
        x[1 % L] = Float.NEGATIVE_INFINITY;
        x[2 % L] = -88f;
        x[3 % L] = -1e30f;
        float[] y = exp(x);
        assertEquals(1f, exp(new float[L])[0], "exp(0)");
        if (L >= 4) {
            assertEquals(0f, y[1], "exp(-inf)");
            assertEquals(0f, y[2], "exp(-88)");
            assertEquals(0f, y[3], "exp(-1e30)");
        }
        float[] small = new float[L];
        small[0] = -87.3f;
        assertTrue(exp(small)[0] > 0 && Float.isFinite(exp(small)[0]), "exp(-87.3) is a normal float");
    }
}
