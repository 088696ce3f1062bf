package dev.fvec.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The twin's log-likelihood max ({@code ScalarLanes.finish}, a loop C2 vectorises, so its
 * {@code Math.max} runs in several lanes and is then reduced) gives bitwise {@code Math.max}
 * folded over the values in one order, as the vector lanes' reduction does: signed zeros in both
 * orders, NaN, infinities; rows long enough for C2 to compile the loop too.
 */
class TwinFinishMaxTest {

    static final float NZ = -0f;

    /** {@code Math.max} folded over the values (the vector lanes' max does not depend on order). */
    static float chainMax(float[] v) {
        float max = Float.NEGATIVE_INFINITY;
        for (float x : v) {
            max = Math.max(max, x);
        }
        return max;
    }

    /** The values as {@code logNorm - a} with {@code a = +0}, so {@code lp} receives them exactly. */
    static void check(float... v) {
        float[] a = new float[v.length];
        float[] lp = new float[v.length + 3];
        float got = ScalarLanes.finish(v, a, 0, lp, 3, v.length);
        float expected = chainMax(v);
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(got), java.util.Arrays.toString(v));
        for (int c = 0; c < v.length; c++) {
            assertEquals(Float.floatToRawIntBits(v[c] - 0f), Float.floatToRawIntBits(lp[3 + c]), "lp[" + c + "]");
        }
    }

    @Test
    void signedZeros() {
        check(NZ, 0f);
        check(0f, NZ);
        check(NZ, NZ, -1f);
        check(-3f, NZ, -2f, 0f, NZ);
        check(NZ);
        check(0f);
        check(-1f, NZ, -5f);
    }

    @Test
    void nanAndInfinities() {
        check(1f, Float.NaN, 2f);
        check(Float.NaN, 5f);
        check(3f, 4f, Float.NaN);
        check(Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY);
        check(-1f, Float.POSITIVE_INFINITY, 2f);
        check(NZ, Float.NaN, 0f);
    }

    @Test
    void randomRowsWithTiesAndZeros() {
        Random r = new Random(12);
        float[] pool = {NZ, 0f, -1f, -1f, 2.5f, -7f, Float.MIN_VALUE, -Float.MIN_VALUE};
        for (int t = 0; t < 20000; t++) {
            float[] v = new float[1 + r.nextInt(t % 2 == 0 ? 40 : 300)];
            for (int c = 0; c < v.length; c++) {
                v[c] = r.nextInt(3) == 0 ? pool[r.nextInt(pool.length)] : (float) r.nextGaussian() * 10;
            }
            check(v);
        }
    }
}
