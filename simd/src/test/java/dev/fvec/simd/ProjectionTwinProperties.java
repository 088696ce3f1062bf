package dev.fvec.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fvec.Projection;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * {@link SimdProjection}'s vector path and its scalar twin give bitwise the same floats, and both
 * are the chain the class documents ({@code c_i = x_i - mean_i}, then
 * {@code y_j = fma(c_i, w_ij, y_j)} for {@code i = 0 .. Din-1} from 0), at the species width this
 * JVM runs (the build runs this class at 512, 256 and 128 bits): so which path serves a call never
 * shows in its output. And the float result stays within the documented error bound of the exact
 * projection.
 */
class ProjectionTwinProperties {

    static final int L = VectorLanes.LANES;

    @Provide
    Arbitrary<int[]> shapes() {
        Arbitrary<Integer> d = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.of(1, 2, 3)),
                Tuple.of(6, Arbitraries.of(L - 1, L, L + 1, 2 * L + 3, 4 * L - 1, 4 * L, 4 * L + 1, 5 * L + 3, 8 * L + 5)),
                Tuple.of(3, Arbitraries.of(13, 32, 64, 80)));
        Arbitrary<Integer> extra = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(0)),
                Tuple.of(4, Arbitraries.integers().between(1, 70)));
        Arbitrary<Integer> n = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.of(0, 1, 2, 3, 4, 5)),
                Tuple.of(4, Arbitraries.integers().between(6, 40)),
                Tuple.of(1, Arbitraries.of(97, 128)));
        return net.jqwik.api.Combinators.combine(d, extra, n, Arbitraries.integers().between(0, 1_000_000))
                .as((dd, ee, nn, seed) -> new int[] {dd + ee, dd, nn, seed});
    }

    @Property(tries = 300)
    void vectorTwinAndTheDocumentedChainAreBitwiseEqual(@ForAll("shapes") int[] shape, @ForAll boolean whiten,
            @ForAll boolean wide) {
        int din = shape[0];
        int d = shape[1];
        int n = shape[2];
        SplittableRandom rnd = new SplittableRandom(shape[3]);
        Projection p = randomProjection(rnd, din, d, whiten);
        double scale = wide ? 1e6 : 100;
        int offset = rnd.nextInt(5);
        float[] x = new float[offset + n * din + rnd.nextInt(3)];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rnd.nextDouble(-scale, scale) * (rnd.nextInt(8) == 0 ? 0 : 1));
        }
        float[] vector = new float[n * d];
        float[] twin = new float[n * d];
        new SimdProjection(p, SimdProjection.Mode.VECTOR).project(x, offset, n, vector);
        new SimdProjection(p, SimdProjection.Mode.TWIN).project(x, offset, n, twin);
        float[] mean = p.mean();
        float[] w = p.transposedWeights();
        float[] components = p.components();
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < d; j++) {
                float chain = 0;
                double exact = 0;
                double bound = 0;
                for (int i = 0; i < din; i++) {
                    float c = x[offset + r * din + i] - mean[i];
                    chain = Math.fma(c, w[i * d + j], chain);
                    double term = ((double) x[offset + r * din + i] - mean[i]) * components[j * din + i] * p.scale(j);
                    exact += term;
                    bound += Math.abs(term);
                }
                int at = r * d + j;
                String where = "descriptor " + r + ", output " + j + " (Din " + din + ", D " + d + ", lanes " + L + ")";
                assertEquals(Float.floatToRawIntBits(chain), Float.floatToRawIntBits(vector[at]), "vector, " + where);
                assertEquals(Float.floatToRawIntBits(chain), Float.floatToRawIntBits(twin[at]), "twin, " + where);
                // SimdProjection's documented bound, (Din + 2) u sum |c_i w_ij|, doubled for second order.
                double allowed = 2 * (din + 2) * 0x1p-24 * bound * 1.0001 + Float.MIN_VALUE;
                assertTrue(Math.abs(vector[at] - exact) <= allowed, where + ": " + vector[at] + " vs exact " + exact
                        + ", bound " + allowed);
            }
        }
    }

    static Projection randomProjection(SplittableRandom rnd, int din, int d, boolean whiten) {
        float[] mean = new float[din];
        float[] components = new float[d * din];
        float[] variance = new float[d];
        for (int i = 0; i < din; i++) {
            mean[i] = (float) rnd.nextDouble(-50, 50);
        }
        for (int i = 0; i < components.length; i++) {
            components[i] = (float) rnd.nextDouble(-1, 1);
        }
        for (int j = 0; j < d; j++) {
            variance[j] = (float) Math.exp(rnd.nextDouble(-5, 8));
        }
        return Projection.of(din, d, mean, components, variance, whiten);
    }
}
