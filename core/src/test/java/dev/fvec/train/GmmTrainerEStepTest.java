package dev.fvec.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fvec.Kernels;
import dev.fvec.internal.SyntheticDescriptors;
import org.junit.jupiter.api.Test;

/** {@link GmmTrainer#fit(GmmTrainer.EStep, long, double[], float[], int)}, the entry point of distributed EM. */
class GmmTrainerEStepTest {

    @Test
    void givenTheWholeDataAsSampleAndTheSameEStepItTrainsTheSameModelBitwise() {
        int n = 3000;
        int d = 6;
        float[] x = SyntheticDescriptors.generate(3, n, d, 4);
        GmmTrainer trainer = GmmTrainer.builder(4).seed(5).maxIterations(8).threads(1).build();
        TrainingResult local = trainer.fit(x, n, d);
        int[] calls = {0};
        try (ParallelPasses passes = new ParallelPasses(x, n, d, 1)) {
            TrainingResult external = trainer.fit((model, sparsity) -> {
                calls[0]++;
                return passes.statistics(Kernels.provider(), model, sparsity).copy();
            }, n, MStep.variance(x, n, d), x, n);
            assertEquals(local.model(), external.model());
            assertEquals(local.iterations(), external.iterations());
            assertEquals(local.meanLogLikelihood(), external.meanLogLikelihood());
            assertEquals(external.iterations(), calls[0], "one external E-step per EM iteration");
        }
    }

    @Test
    void inconsistentSizesAreRejected() {
        GmmTrainer trainer = GmmTrainer.builder(4).build();
        float[] sample = new float[4 * 2];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trainer.fit((m, s) -> null, 3, new double[] {1, 1}, sample, 4));
        assertEquals("N = 3 descriptors with a sample of 4 cannot train K = 4 components: need both >= K", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> trainer.fit((m, s) -> null, 10, new double[] {1, Double.NaN}, sample, 4));
        assertEquals("dataVariance[1] = NaN: need a finite value >= 0", e.getMessage());
    }
}
