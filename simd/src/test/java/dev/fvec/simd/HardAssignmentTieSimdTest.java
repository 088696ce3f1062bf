package dev.fvec.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fvec.DiagonalGmm;
import dev.fvec.GmmStatistics;
import dev.fvec.Sparsity;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exact ties in hard assignment go to the lowest component index on the vector lanes and on the
 * twin, as in the scalar reference: two components with equal weights and variances, means 0 and
 * 10, and x = 5 in every dimension have bitwise equal log-likelihoods. The tied pair sits in one
 * lane group, across a group boundary, and in different groups; the others are far away. A search
 * that returned the last maximum, or scanned groups from the end, fails here. Five descriptors: a
 * block of four and a tail.
 */
class HardAssignmentTieSimdTest {

    static final int L = VectorLanes.LANES;

    static Stream<Arguments> ties() {
        return Stream.of(Arguments.of(0, 1), Arguments.of(1, L + 2), Arguments.of(L - 1, L), Arguments.of(2, 2 * L));
    }

    @ParameterizedTest(name = "components {0} and {1}")
    @MethodSource("ties")
    void aTieGoesToTheLowerComponent(int first, int second) {
        int k = 2 * L + 1;
        int d = 3;
        float[] w = new float[k];
        Arrays.fill(w, 1f / k);
        float[] mu = new float[k * d];
        Arrays.fill(mu, 100);
        Arrays.fill(mu, first * d, first * d + d, 0);
        Arrays.fill(mu, second * d, second * d + d, 10);
        float[] var = new float[k * d];
        Arrays.fill(var, 2);
        DiagonalGmm model = DiagonalGmm.of(w, mu, var);
        int n = 5;
        float[] x = new float[n * d];
        Arrays.fill(x, 5);
        for (SimdKernel kernel : new SimdKernel[] {SimdKernel.vector(model, Sparsity.hard()), SimdKernel.twin(model, Sparsity.hard())}) {
            GmmStatistics stats = GmmStatistics.forModel(model);
            kernel.accumulate(x, 0, n, stats);
            double[] expected = new double[k];
            expected[first] = n;
            for (int c = 0; c < k; c++) {
                assertEquals(expected[c], stats.s0()[c], 0, "S0 of component " + c + ", tie between " + first + " and " + second);
            }
        }
    }

    /**
     * A model large enough for {@link GroupGeometry}'s order (lanes hold near components together),
     * which here puts the higher of the tied components first: component 0 (mean 12) starts a
     * group and takes its nearest, component 7 (mean 10), then component 3 (mean 0). The tie still
     * goes to component 3.
     */
    @Test
    void aTieGoesToTheLowerComponentWhenTheLanesHoldItLater() {
        int k = GroupGeometry.MIN_GROUPS * L + 1;
        int d = 16;
        float[] w = new float[k];
        Arrays.fill(w, 1f / k);
        float[] mu = new float[k * d];
        Arrays.fill(mu, 100);
        Arrays.fill(mu, 0, d, 12);
        Arrays.fill(mu, 3 * d, 4 * d, 0);
        Arrays.fill(mu, 7 * d, 8 * d, 10);
        float[] var = new float[k * d];
        Arrays.fill(var, 2);
        DiagonalGmm model = DiagonalGmm.of(w, mu, var);
        int n = 21;
        float[] x = new float[n * d];
        Arrays.fill(x, 5);
        for (SimdKernel kernel : new SimdKernel[] {SimdKernel.vector(model, Sparsity.hard()), SimdKernel.twin(model, Sparsity.hard())}) {
            int[] lanes = kernel.model.component;
            int at3 = -1;
            int at7 = -1;
            for (int p = 0; p < k; p++) {
                at3 = lanes[p] == 3 ? p : at3;
                at7 = lanes[p] == 7 ? p : at7;
            }
            assertTrue(at7 < at3, "component 7 in lane " + at7 + ", 3 in lane " + at3);
            GmmStatistics stats = GmmStatistics.forModel(model);
            kernel.accumulate(x, 0, n, stats);
            double[] expected = new double[k];
            expected[3] = n;
            for (int c = 0; c < k; c++) {
                assertEquals(expected[c], stats.s0()[c], 0, "S0 of component " + c);
            }
        }
    }
}
