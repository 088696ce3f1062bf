package dev.fvec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/**
 * Hard assignment breaks exact ties towards the lowest component index (SPEC.md, "Posteriors"):
 * x = 5 is exactly as far from a mean at 0 as from one at 10, with equal weights and variances,
 * so the two log-likelihoods are bitwise equal. The scalar reference must pick the first; a
 * {@code >=} in its argmax (or any "last maximum") gives the other and fails here.
 */
class HardAssignmentTieTest {

    static double[] hardS0(DiagonalGmm model, float[] x, int n) {
        GmmStatistics stats = GmmStatistics.forModel(model);
        Kernels.scalar().create(model, Sparsity.hard()).accumulate(x, 0, n, stats);
        return stats.s0();
    }

    @Test
    void aTieBetweenTwoComponentsGoesToTheFirst() {
        DiagonalGmm model = DiagonalGmm.of(new float[] {0.5f, 0.5f}, new float[] {0, 10}, new float[] {1, 1});
        assertArrayEquals(new double[] {3, 0}, hardS0(model, new float[] {5, 5, 5}, 3), 0);
    }

    @Test
    void aTieBehindAWorseFirstComponentGoesToTheLowerOfTheTied() {
        // Component 0 is far; 1 and 2 tie, in three dimensions.
        float w = 1f / 3; // the three weights are equal floats (their sum is 1 within the 1e-4 band)
        DiagonalGmm model = DiagonalGmm.of(new float[] {w, w, w},
                new float[] {100, 100, 100, 0, 0, 0, 10, 10, 10}, new float[] {2, 2, 2, 2, 2, 2, 2, 2, 2});
        assertArrayEquals(new double[] {0, 2, 0}, hardS0(model, new float[] {5, 5, 5, 5, 5, 5}, 2), 0);
    }
}
