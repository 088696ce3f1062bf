package dev.fvec.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fvec.Kernels;
import dev.fvec.internal.SyntheticDescriptors;
import dev.fvec.train.GmmTrainer;
import dev.fvec.train.TrainingResult;
import org.junit.jupiter.api.Test;

/**
 * EM on the SIMD kernel is reproducible bit for bit: for a seed, across runs and across thread
 * counts. Chunks are merged in a fixed order, and the kernel's float sums have a fixed order in
 * every JIT tier, so there is nothing for the thread count or the JIT to change.
 */
class SimdTrainingDeterminismTest {

    @Test
    void sameModelForEveryThreadCountAndRun() {
        int n = 5 * 1024 + 357;
        int d = 19;
        float[] x = SyntheticDescriptors.generate(8, n, d, 9);
        TrainingResult first = null;
        for (int threads : new int[] {1, 2, 3, 1}) {
            TrainingResult r = GmmTrainer.builder(7).seed(3).maxIterations(15).threads(threads)
                    .kernel(Kernels.byName("simd")).build().fit(x, n, d);
            if (first == null) {
                first = r;
                continue;
            }
            assertEquals(first.model(), r.model(), "threads = " + threads);
            assertEquals(first.meanLogLikelihood(), r.meanLogLikelihood(), "threads = " + threads);
            assertEquals(first.iterations(), r.iterations(), "threads = " + threads);
        }
    }
}
