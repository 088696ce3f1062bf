package dev.fvec.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fvec.DiagonalGmm;
import dev.fvec.GmmStatistics;
import dev.fvec.Kernels;
import dev.fvec.Sparsity;
import dev.fvec.spi.StatisticsKernel;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;

/**
 * Posteriors built to sit just above and just below the threshold {@code t}: the scalar reference
 * keeps exactly the terms with {@code q >= t}, and the vector lanes and the twin keep the same
 * terms (no term is forgiven: each is 0.1% or more from {@code t}, beyond float's error here:
 * the kept count must be equal) with statistics within {@link FloatErrorModel}'s bounds.
 *
 * <p>Two components, D = 1, means 0 and {@code m}, variance 1, equal weights: then
 * {@code log(q1 / q0) = x m - m^2 / 2}, so {@code x = (logit(q) + m^2 / 2) / m} puts component 1's
 * posterior at {@code q}. Each descriptor gets its own target {@code t (1 + delta)}; the exact
 * posterior is recomputed in double from the float {@code x}.
 */
class ThresholdStraddlingProperties {

    @Provide
    Arbitrary<Double> thresholds() {
        return Arbitraries.of(1e-6, 1e-4, 1e-2, 0.05, 0.3);
    }

    @Provide
    Arbitrary<List<Double>> deltas() {
        Arbitrary<Double> size = Arbitraries.doubles().between(1e-3, 0.3).ofScale(6);
        return Combinators2.signed(size).list().ofMinSize(1).ofMaxSize(11);
    }

    @Property(tries = 300)
    void termsJustAboveTheThresholdAreKeptAndJustBelowDropped(@ForAll("thresholds") double t,
            @ForAll("deltas") List<Double> deltas, @ForAll @DoubleRange(min = 0.5, max = 4) double m) {
        DiagonalGmm model = DiagonalGmm.of(new float[] {0.5f, 0.5f}, new float[] {0, (float) m}, new float[] {1, 1});
        float mf = model.means()[1];
        int n = deltas.size();
        float[] x = new float[n];
        long expectedKept = 0;
        double expectedS0 = 0;
        for (int i = 0; i < n; i++) {
            double q = t * (1 + deltas.get(i));
            x[i] = (float) ((Math.log(q / (1 - q)) + mf * (double) mf / 2) / mf);
            double xi = x[i];
            double logRatio = (xi * xi - (xi - mf) * (xi - mf)) / 2; // lp1 - lp0
            double q1 = 1 / (1 + Math.exp(-logRatio));
            expectedKept += 1 + (q1 >= t ? 1 : 0);
            expectedS0 += q1 >= t ? q1 : 0;
        }
        Sparsity s = Sparsity.threshold(t);
        String label = "t = " + t + ", m = " + m + ", deltas " + deltas;
        GmmStatistics reference = run(Kernels.scalar().create(model, s), x, n, model);
        assertEquals(expectedKept, reference.keptTerms(), "scalar reference, " + label);
        assertEquals(expectedS0, reference.s0()[1], 1e-12 * n, "scalar reference S0[1], " + label);
        for (StatisticsKernel kernel : new StatisticsKernel[] {SimdKernel.vector(model, s), SimdKernel.twin(model, s)}) {
            GmmStatistics got = run(kernel, x, n, model);
            assertEquals(expectedKept, got.keptTerms(), "float kernel, " + label);
            List<String> problems = FloatErrorModel.of(model, x, n, s).compareStatistics(reference, got);
            assertEquals(List.of(), problems, "float kernel against the reference, " + label);
        }
    }

    static GmmStatistics run(StatisticsKernel kernel, float[] x, int n, DiagonalGmm model) {
        GmmStatistics stats = GmmStatistics.forModel(model);
        kernel.accumulate(x, 0, n, stats);
        return stats;
    }

    /** Helpers for signed magnitudes. */
    static final class Combinators2 {
        private Combinators2() {
        }

        static Arbitrary<Double> signed(Arbitrary<Double> size) {
            return net.jqwik.api.Combinators.combine(size, Arbitraries.of(-1.0, 1.0)).as((a, sign) -> a * sign);
        }
    }
}
