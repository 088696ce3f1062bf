package dev.fvec.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fvec.GmmStatistics;
import dev.fvec.Sparsity;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The twin's look-ahead ({@link ScalarLanes#logLikelihoodsAhead}, below
 * {@link ScalarLanes#AHEAD_BELOW} components) gives the vector kernel's statistics bit for bit at
 * the edges of its windows: counts just below, at and above {@link ScalarLanes#AHEAD_MIN} and
 * {@link ScalarLanes#AHEAD}, more than one window per call, a remainder that goes block by block,
 * an odd {@code D} (its last single dimension), and calls split mid-window. Run at 512, 256 and
 * 128 bits by the build.
 */
class TwinLookAheadTest {

    static Stream<Arguments> shapes() {
        int a = ScalarLanes.AHEAD;
        int min = ScalarLanes.AHEAD_MIN;
        int[] counts = {min - 1, min, min + SimdKernel.BLOCK + 3, a - 1, a, a + 5, a + min - 1, a + min + 9, 2 * a + 17};
        Stream.Builder<Arguments> b = Stream.builder();
        long seed = 11;
        for (int n : counts) {
            b.add(Arguments.of(seed++, 64, 64, n, Sparsity.threshold(1e-6)));
            b.add(Arguments.of(seed++, 13, 33, n, Sparsity.none()));
            b.add(Arguments.of(seed++, 100, 7, n, Sparsity.hard()));
        }
        return b.build();
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void lookAheadIsBitwiseTheVectorKernel(long seed, int k, int d, int n, Sparsity sparsity) {
        Cases.Case c = Cases.generate(seed, k, d, n, Cases.Kind.CLUSTERED, 1.0, sparsity, false);
        assertTrue(new PackedModel(c.model, VectorLanes.LANES).kpad < ScalarLanes.AHEAD_BELOW, "a look-ahead shape");
        for (int split : new int[] {n, n / 2 + 1, ScalarLanes.AHEAD_MIN + 3}) {
            int s = Math.min(split, n);
            GmmStatistics vector = TwinMatchesVectorProperties.run(SimdKernel.vector(c.model, c.sparsity), c, c.x, s);
            GmmStatistics twin = TwinMatchesVectorProperties.run(SimdKernel.twin(c.model, c.sparsity), c, c.x, s);
            TwinMatchesVectorProperties.assertBitwiseEqual(vector, twin, c + ", split at " + s);
            assertEquals(n + 1, twin.count(), "every descriptor counted");
        }
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void windowsCoverTheCallInBlocks(long seed, int k, int d, int n, Sparsity sparsity) {
        Cases.Case c = Cases.generate(seed, k, d, n, Cases.Kind.CLUSTERED, 1.0, sparsity, false);
        PackedModel m = new PackedModel(c.model, VectorLanes.LANES);
        ScalarLanes lanes = new ScalarLanes(m);
        int r = lanes.logLikelihoodsAhead(m, c.x, 0, n);
        if (n < ScalarLanes.AHEAD_MIN) {
            assertEquals(0, r, "no look-ahead below AHEAD_MIN");
        } else {
            assertEquals(Math.min(n, ScalarLanes.AHEAD) / SimdKernel.BLOCK * SimdKernel.BLOCK, r);
        }
    }
}
