package dev.fvec.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fvec.DiagonalGmm;
import dev.fvec.FisherEncoder;
import dev.fvec.FisherForm;
import dev.fvec.GmmStatistics;
import dev.fvec.Kernels;
import dev.fvec.Projection;
import dev.fvec.Sparsity;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * With a PCA projection in the model, the SIMD provider (float projection, float kernel) equals the
 * scalar reference (double projection rounded once, double kernel) within {@link FloatErrorModel}'s
 * bounds plus its projection term ({@link #inputError}), for the statistics and every form x
 * normalisation, on {@link Cases}' shapes and values lifted to {@code Din >= D} raw dimensions.
 */
class PcaSimdMatchesScalarProperties {

    static final SimdKernelProvider SIMD = new SimdKernelProvider();

    /** A case of {@link Cases} (the projected space) with a projection and raw descriptors that project onto it. */
    static final class Lifted {
        final Cases.Case c;
        final DiagonalGmm model; // c.model with the projection
        final float[] raw; // n x Din
        final float[] reference; // n x D: the reference's projection of raw, what the scalar kernel takes
        final double[] inputError; // n x D

        Lifted(Cases.Case c, long seed, int extra, boolean whiten) {
            this.c = c;
            int d = c.model.dimension();
            int din = d + extra;
            int n = c.n;
            SplittableRandom rnd = new SplittableRandom(seed);
            double scale = 1e-30;
            for (float v : c.x) {
                scale = Math.max(scale, Math.abs(v));
            }
            // Rows of components: orthonormal (Gram-Schmidt in double), then rounded to float.
            double[][] rows = new double[d][din];
            for (int j = 0; j < d; j++) {
                for (int i = 0; i < din; i++) {
                    rows[j][i] = Cases.gaussian(rnd);
                }
                for (int r = 0; r < j; r++) {
                    double dot = 0;
                    for (int i = 0; i < din; i++) {
                        dot += rows[j][i] * rows[r][i];
                    }
                    for (int i = 0; i < din; i++) {
                        rows[j][i] -= dot * rows[r][i];
                    }
                }
                double norm = 0;
                for (int i = 0; i < din; i++) {
                    norm += rows[j][i] * rows[j][i];
                }
                for (int i = 0; i < din; i++) {
                    rows[j][i] /= Math.sqrt(norm);
                }
            }
            float[] mean = new float[din];
            float[] components = new float[d * din];
            float[] variance = new float[d];
            for (int i = 0; i < din; i++) {
                mean[i] = (float) (scale * Cases.gaussian(rnd));
            }
            for (int j = 0; j < d; j++) {
                variance[j] = (float) Math.exp(rnd.nextDouble(-3, 3));
                for (int i = 0; i < din; i++) {
                    components[j * din + i] = (float) rows[j][i];
                }
            }
            Projection p = Projection.of(din, d, mean, components, variance, whiten);
            this.model = c.model.withProjection(p);
            // raw = mean + C^T (y * sqrt(ev) when whitening): projects back onto about y.
            this.raw = new float[n * din];
            for (int r = 0; r < n; r++) {
                for (int i = 0; i < din; i++) {
                    double v = mean[i];
                    for (int j = 0; j < d; j++) {
                        v += components[j * din + i] * c.x[r * d + j] / p.scale(j);
                    }
                    raw[r * din + i] = (float) v;
                }
            }
            this.reference = new float[n * d];
            p.project(raw, 0, n, reference, 0);
            this.inputError = inputError(p, raw, n, reference);
        }

        @Override
        public String toString() {
            return c + " lifted to Din = " + model.inputDimension() + (model.projection().get().whiten() ? ", whitened" : "");
        }
    }

    /**
     * The projection term: how far the SIMD kernel's input (its float projection) may be from the
     * reference's, per descriptor and dimension: the float chain's {@code (Din + 2) u S_j} with
     * {@code S_j = sum_i |c_i w_ij|} ({@link SimdProjection}'s bound), plus the reference's own
     * rounding {@code u |y_j|} and its double sums ({@code 1e-13 S_j}), times 1.1 for second order.
     */
    static double[] inputError(Projection p, float[] raw, int n, float[] reference) {
        int din = p.inputDimension();
        int d = p.outputDimension();
        float[] mean = p.mean();
        float[] w = p.transposedWeights();
        double[] e = new double[n * d];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < d; j++) {
                double sum = 0;
                for (int i = 0; i < din; i++) {
                    sum += Math.abs(((double) raw[r * din + i] - mean[i]) * w[i * d + j]);
                }
                e[r * d + j] = 1.1 * ((din + 2) * FloatErrorModel.U * sum + FloatErrorModel.U * Math.abs(reference[r * d + j]))
                        + 1e-13 * sum;
            }
        }
        return e;
    }

    @Provide
    Arbitrary<Lifted> anyCase() {
        return net.jqwik.api.Combinators.combine(Cases.cases(Cases.sparsities()), Arbitraries.longs(),
                Arbitraries.of(0, 1, 3, 13, 40), Arbitraries.of(false, true))
                .as(Lifted::new)
                .filter(l -> l.c.model.dimension() <= 80);
    }

    @Property(tries = 200)
    void statisticsMatchTheScalarReference(@ForAll("anyCase") Lifted l) {
        int n = l.c.n;
        FisherEncoder scalar = FisherEncoder.builder(l.model).kernel(Kernels.scalar()).sparsity(l.c.sparsity).build();
        FisherEncoder simd = FisherEncoder.builder(l.model).kernel(SIMD).sparsity(l.c.sparsity).build();
        GmmStatistics expected = scalar.newStatistics();
        scalar.accumulate(l.raw, 0, n, expected);
        GmmStatistics got = simd.newStatistics();
        int first = n / 3;
        simd.accumulate(l.raw, 0, first, got);
        simd.accumulate(l.raw, first * l.model.inputDimension(), n - first, got);
        DiagonalGmm gmm = l.c.model; // the mixture alone, in the projected space
        List<String> problems = FloatErrorModel.of(gmm, l.reference, n, l.c.sparsity, l.inputError)
                .compareStatistics(expected, got);
        assertTrue(problems.isEmpty(), l + ": " + problems);
        assertEquals(n, got.count());
    }

    @Provide
    Arbitrary<Lifted> encoderCase() {
        return net.jqwik.api.Combinators.combine(
                Cases.cases(Arbitraries.of(Sparsity.none(), Sparsity.threshold(1e-6), Sparsity.hard())),
                Arbitraries.longs(), Arbitraries.of(0, 2, 17), Arbitraries.of(false, true))
                .as(Lifted::new)
                .filter(l -> l.c.model.dimension() <= 80);
    }

    @Property(tries = 60)
    void everyFormAndNormalisationMatchesTheScalarReference(@ForAll("encoderCase") Lifted l) {
        int n = l.c.n;
        FloatErrorModel errors = FloatErrorModel.of(l.c.model, l.reference, n, l.c.sparsity, l.inputError);
        for (FisherForm form : FisherForm.values()) {
            float[] raw = FisherEncoder.builder(l.model).kernel(Kernels.scalar()).form(form).sparsity(l.c.sparsity)
                    .build().encode(l.raw, n);
            for (int norm = 0; norm < 4; norm++) {
                FisherEncoder expected = SimdMatchesScalarProperties.configure(
                        FisherEncoder.builder(l.model).kernel(Kernels.scalar()), form, l.c.sparsity, norm);
                FisherEncoder simd = SimdMatchesScalarProperties.configure(
                        FisherEncoder.builder(l.model).kernel(SIMD), form, l.c.sparsity, norm);
                float[] want = expected.encode(l.raw, n);
                float[] got = simd.encode(l.raw, n);
                List<String> problems = FloatErrorModel.compareVectors(want, got, errors.vectorBounds(expected, raw));
                assertTrue(problems.isEmpty(), l + " " + form + " " + SimdMatchesScalarProperties.NORMS[norm] + ": "
                        + problems);
            }
        }
    }
}
