package dev.fvec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DiagonalGmmTest {

    private static final float[] W = {0.25f, 0.75f};
    private static final float[] MU = {0, 1, 2, 3, 4, 5};
    private static final float[] VAR = {1, 1, 1, 2, 2, 2};

    private static void assertRejected(String expectedFragment, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(expectedFragment),
                "message '" + e.getMessage() + "' should contain '" + expectedFragment + "'");
    }

    @Test
    void shapesAreInferred() {
        DiagonalGmm m = DiagonalGmm.of(W, MU, VAR);
        assertEquals(2, m.components());
        assertEquals(3, m.dimension());
        assertEquals(4f, m.mean(1, 1));
        assertEquals(2f, m.variance(1, 0));
    }

    @Test
    void inputsAreCopiedInAndOut() {
        float[] mu = MU.clone();
        DiagonalGmm m = DiagonalGmm.of(W, mu, VAR);
        mu[0] = 99;
        m.means()[1] = 99;
        assertEquals(0f, m.mean(0, 0));
        assertEquals(1f, m.mean(0, 1));
    }

    @Test
    void emptyWeightsAreRejected() {
        assertRejected("weights is empty", () -> DiagonalGmm.of(new float[0], MU, VAR));
    }

    @Test
    void meansNotAMultipleOfKAreRejected() {
        assertRejected("means has length 5", () -> DiagonalGmm.of(W, new float[5], VAR));
    }

    @Test
    void varianceLengthMismatchIsRejected() {
        assertRejected("variances has length 4, expected 6", () -> DiagonalGmm.of(W, MU, new float[4]));
    }

    @Test
    void explicitShapeMismatchIsRejected() {
        assertRejected("weights has length 2, expected 3", () -> DiagonalGmm.of(3, 2, W, MU, VAR));
        assertRejected("D = 0", () -> DiagonalGmm.of(2, 0, W, new float[0], new float[0]));
    }

    @Test
    void nanMeanIsRejectedWithItsIndex() {
        float[] mu = MU.clone();
        mu[4] = Float.NaN;
        assertRejected("means[4] = NaN", () -> DiagonalGmm.of(W, mu, VAR));
    }

    @Test
    void infiniteVarianceIsRejectedWithItsIndex() {
        float[] var = VAR.clone();
        var[5] = Float.POSITIVE_INFINITY;
        assertRejected("variances[5] = Infinity", () -> DiagonalGmm.of(W, MU, var));
    }

    @Test
    void nonPositiveVarianceIsRejectedWithComponentAndDimension() {
        float[] var = VAR.clone();
        var[4] = 0;
        assertRejected("variances[4] (component 1, dimension 1) = 0.0", () -> DiagonalGmm.of(W, MU, var));
        var[4] = -1;
        assertRejected("must be > 0", () -> DiagonalGmm.of(W, MU, var));
    }

    @Test
    void nonPositiveWeightIsRejected() {
        assertRejected("weights[0] = 0.0", () -> DiagonalGmm.of(new float[] {0, 1}, MU, VAR));
    }

    @Test
    void weightsFarFromOneAreRejected() {
        assertRejected("weights sum to 0.8999", () -> DiagonalGmm.of(new float[] {0.2f, 0.7f}, MU, VAR));
    }

    @Test
    void weightsWithinToleranceAreRenormalised() {
        DiagonalGmm m = DiagonalGmm.of(new float[] {0.25f, 0.75005f}, MU, VAR);
        assertEquals(1.0, (double) m.weight(0) + m.weight(1), 1e-7);
        assertEquals(0.25 / 1.00005, m.weight(0), 1e-7);
    }

    @Test
    void logNormalizerFollowsTheFormula() {
        DiagonalGmm m = DiagonalGmm.of(W, MU, VAR);
        double expected = Math.log(0.75) - 0.5 * (3 * Math.log(2 * Math.PI) + 3 * Math.log(2));
        assertEquals(expected, m.logNormalizer(1), 1e-12);
    }

    @Test
    void equalModelsAreEqual() {
        assertEquals(DiagonalGmm.of(W, MU, VAR), DiagonalGmm.of(W.clone(), MU.clone(), VAR.clone()));
        assertArrayEquals(VAR, DiagonalGmm.of(W, MU, VAR).variances());
    }
}
