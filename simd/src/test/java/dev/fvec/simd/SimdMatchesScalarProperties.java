package dev.fvec.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fvec.FisherEncoder;
import dev.fvec.FisherForm;
import dev.fvec.GmmStatistics;
import dev.fvec.Kernels;
import dev.fvec.Sparsity;
import dev.fvec.spi.KernelProvider;
import dev.fvec.spi.StatisticsKernel;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The SIMD kernel equals the scalar reference, within {@link FloatErrorModel}'s bounds, for the
 * statistics and for every form x normalisation, on {@link Cases}' awkward shapes and values.
 */
class SimdMatchesScalarProperties {

    static final KernelProvider SIMD = new SimdKernelProvider();

    @Provide
    Arbitrary<Cases.Case> anyCase() {
        return Cases.cases(Cases.sparsities());
    }

    @Provide
    Arbitrary<Integer> splits() {
        return Arbitraries.integers().between(0, 1000);
    }

    /** S0, S1, S2, N, kept terms and log-likelihood; in two calls at an offset, to cover calls that end mid-block. */
    @Property(tries = 400)
    void statisticsMatchTheScalarReference(@ForAll("anyCase") Cases.Case c, @ForAll("splits") int split) {
        int d = c.model.dimension();
        int first = c.n == 0 ? 0 : split % (c.n + 1);
        int offset = 3 + split % 5;
        float[] padded = new float[offset + c.x.length + 2];
        System.arraycopy(c.x, 0, padded, offset, c.x.length);

        GmmStatistics expected = GmmStatistics.forModel(c.model);
        Kernels.scalar().create(c.model, c.sparsity).accumulate(c.x, 0, c.n, expected);

        GmmStatistics got = GmmStatistics.forModel(c.model);
        StatisticsKernel kernel = SIMD.create(c.model, c.sparsity);
        kernel.accumulate(padded, offset, first, got);
        kernel.accumulate(padded, offset + first * d, c.n - first, got);

        List<String> problems = FloatErrorModel.of(c.model, c.x, c.n, c.sparsity).compareStatistics(expected, got);
        assertTrue(problems.isEmpty(), c + ": " + problems);
        if (c.sparsity.isHard()) {
            assertEquals(c.n, got.keptTerms(), "hard assignment keeps one term per descriptor");
        } else if (c.sparsity.threshold() == 0) {
            assertEquals((long) c.n * c.model.components(), got.keptTerms(), "t = 0 keeps every term");
        }
    }

    @Provide
    Arbitrary<Cases.Case> encoderCase() {
        return Cases.cases(Arbitraries.of(Sparsity.none(), Sparsity.threshold(1e-6), Sparsity.hard()));
    }

    /** Every form x (none, power 0.5, L2, improved) through FisherEncoder, with the case's sparsity. */
    @Property(tries = 120)
    void everyFormAndNormalisationMatchesTheScalarReference(@ForAll("encoderCase") Cases.Case c) {
        FloatErrorModel errors = FloatErrorModel.of(c.model, c.x, c.n, c.sparsity);
        for (FisherForm form : FisherForm.values()) {
            float[] raw = FisherEncoder.builder(c.model).kernel(Kernels.scalar()).form(form).sparsity(c.sparsity)
                    .build().encode(c.x, c.n);
            for (int norm = 0; norm < 4; norm++) {
                FisherEncoder expected = configure(FisherEncoder.builder(c.model).kernel(Kernels.scalar()), form, c.sparsity, norm);
                FisherEncoder simd = configure(FisherEncoder.builder(c.model).kernel(SIMD), form, c.sparsity, norm);
                assertEquals("simd", simd.implementationName());
                float[] want = expected.encode(c.x, c.n);
                float[] got = simd.encode(c.x, c.n);
                List<String> problems = FloatErrorModel.compareVectors(want, got, errors.vectorBounds(expected, raw));
                assertTrue(problems.isEmpty(), c + " " + form + " " + NORMS[norm] + ": " + problems);
            }
        }
    }

    static final String[] NORMS = {"none", "power 0.5", "L2", "improved"};

    static FisherEncoder configure(FisherEncoder.Builder b, FisherForm form, Sparsity s, int norm) {
        b.form(form).sparsity(s);
        switch (norm) {
            case 1:
                b.power(0.5);
                break;
            case 2:
                b.l2(true);
                break;
            case 3:
                b.improved();
                break;
            default:
                break;
        }
        return b.build();
    }
}
