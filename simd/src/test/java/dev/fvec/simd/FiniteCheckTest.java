package dev.fvec.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fvec.DiagonalGmm;
import dev.fvec.FisherEncoder;
import dev.fvec.Sparsity;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The encoder's input check on the SIMD kernel ({@link SimdKernel#firstNonFinite}: whole vectors,
 * then the plain loop) finds the first NaN or infinity wherever it lies (in the vectors' part, in
 * the tail, two in one group of vectors, at the range's ends), on the vector lanes and on the twin;
 * the encoder then names it and writes nothing.
 */
class FiniteCheckTest {

    private static final float[] BAD = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};

    @Test
    void firstNonFiniteEverywhere() {
        DiagonalGmm model = DiagonalGmm.of(new float[] {1f}, new float[] {0, 0, 0}, new float[] {1, 1, 1});
        SimdKernel[] kernels = {SimdKernel.vector(model, Sparsity.none()), SimdKernel.twin(model, Sparsity.none())};
        int lanes = VectorLanes.LANES;
        int[] lengths = {0, 1, lanes - 1, 4 * lanes, 4 * lanes + 1, 8 * lanes + 3, 13 * lanes + 5};
        for (SimdKernel kernel : kernels) {
            for (int length : lengths) {
                int from = 3;
                float[] x = new float[from + length + 2];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (i % 7) * 1e30f - 3e30f; // large but finite
                }
                x[0] = Float.NaN; // outside the range: never reported
                x[x.length - 1] = Float.NaN;
                assertEquals(-1, kernel.firstNonFinite(x, from, from + length), "clean, length " + length);
                for (int at = from; at < from + length; at++) {
                    for (float bad : BAD) {
                        float[] y = x.clone();
                        y[at] = bad;
                        if (at + 2 < from + length) {
                            y[at + 2] = Float.NaN; // a later one in the same vectors
                        }
                        assertEquals(at, kernel.firstNonFinite(y, from, from + length),
                                bad + " at " + at + ", length " + length);
                    }
                }
            }
        }
    }

    @Test
    void encoderNamesTheValueAndWritesNothing() {
        DiagonalGmm model = DiagonalGmm.of(new float[] {0.5f, 0.5f}, new float[] {0, 0, 1, 1}, new float[] {1, 1, 1, 1});
        FisherEncoder e = FisherEncoder.builder(model).improved().kernel(new SimdKernelProvider()).build();
        float[] x = new float[2 * 300];
        x[2 * 217 + 1] = Float.POSITIVE_INFINITY;
        float[] out = new float[e.length()];
        Arrays.fill(out, 7f);
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> e.encode(x, 0, 300, out, 0));
        assertTrue(thrown.getMessage().startsWith("x[435] = Infinity (descriptor 217, dimension 1)"), thrown.getMessage());
        for (float v : out) {
            assertEquals(7f, v);
        }
    }
}
