package dev.fvec.simd;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fvec.FisherEncoder;
import dev.fvec.FisherForm;
import dev.fvec.GmmStatistics;
import dev.fvec.Kernels;
import dev.fvec.Sparsity;
import dev.fvec.spi.KernelProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The comparisons of {@link SimdMatchesScalarProperties} are tight enough to matter: deliberately
 * broken kernels ({@link Fault}: a dropped descriptor, an off-by-one in the K tail or the
 * D tail, two swapped components) fail them, for the statistics and for the improved Fisher vector,
 * with every sparsity, on shapes with tails (lanes - 1, lanes + 1, 2 lanes + 3, N not a multiple of
 * the block). The unbroken kernel passes the same comparisons on the same data.
 *
 * <p>The data have overlapping components (soft posteriors): with well-separated components every
 * posterior is 0 or 1 and ignoring a dimension in the log-likelihoods legitimately changes nothing
 * but the log-likelihood.
 */
class BrokenKernelTest {

    static final int L = VectorLanes.LANES;
    static final int[][] SHAPES = {{L + 1, L - 1, 4 * (L + 1) + 3}, {7, 1, 30}, {2 * L + 3, 2 * L + 3, 4 * (2 * L + 3) + 1},
        {3, L + 1, 16}};
    static final Sparsity[] SPARSITIES = {Sparsity.none(), Sparsity.threshold(1e-6), Sparsity.hard()};

    static Stream<Arguments> faultsShapesSparsities() {
        List<Arguments> out = new ArrayList<>();
        for (Fault f : Fault.values()) {
            if (f == Fault.NONE) {
                continue;
            }
            for (int[] s : SHAPES) {
                for (Sparsity sp : SPARSITIES) {
                    out.add(Arguments.of(f, s[0], s[1], s[2], sp));
                }
            }
        }
        return out.stream();
    }

    static Cases.Case data(int k, int d, int n, Sparsity s) {
        return Cases.generate(1234L + 31L * k + d, k, d, n, Cases.Kind.OVERLAPPING, 1.0, s, false);
    }

    static List<String> statisticsProblems(Cases.Case c, Fault fault) {
        return compare(c, fault, false);
    }

    static List<String> momentProblems(Cases.Case c, Fault fault) {
        return compare(c, fault, true);
    }

    private static List<String> compare(Cases.Case c, Fault fault, boolean momentsOnly) {
        GmmStatistics expected = GmmStatistics.forModel(c.model);
        Kernels.scalar().create(c.model, c.sparsity).accumulate(c.x, 0, c.n, expected);
        GmmStatistics got = GmmStatistics.forModel(c.model);
        fault.create(c.model, c.sparsity).accumulate(c.x, 0, c.n, got);
        FloatErrorModel errors = FloatErrorModel.of(c.model, c.x, c.n, c.sparsity);
        return momentsOnly ? errors.compareMoments(expected, got) : errors.compareStatistics(expected, got);
    }

    static List<String> vectorProblems(Cases.Case c, Fault fault) {
        FisherEncoder expected = FisherEncoder.builder(c.model).kernel(Kernels.scalar()).form(FisherForm.VLFEAT)
                .sparsity(c.sparsity).improved().build();
        FisherEncoder broken = FisherEncoder.builder(c.model).kernel(provider(fault)).form(FisherForm.VLFEAT)
                .sparsity(c.sparsity).improved().build();
        float[] raw = FisherEncoder.builder(c.model).kernel(Kernels.scalar()).form(FisherForm.VLFEAT)
                .sparsity(c.sparsity).build().encode(c.x, c.n);
        double[] bounds = FloatErrorModel.of(c.model, c.x, c.n, c.sparsity).vectorBounds(expected, raw);
        return FloatErrorModel.compareVectors(expected.encode(c.x, c.n), broken.encode(c.x, c.n), bounds);
    }

    static KernelProvider provider(Fault fault) {
        return SimdKernelProvider.making(fault::create);
    }

    @ParameterizedTest(name = "{0}, K={1} D={2} N={3}, {4}")
    @MethodSource("faultsShapesSparsities")
    void brokenKernelsFailTheComparisons(Fault fault, int k, int d, int n, Sparsity s) {
        Cases.Case c = data(k, d, n, s);
        assertTrue(statisticsProblems(c, Fault.NONE).isEmpty(), "the correct kernel must pass on " + c);
        assertTrue(vectorProblems(c, Fault.NONE).isEmpty(), "the correct kernel must pass on " + c);
        assertFalse(statisticsProblems(c, fault).isEmpty(), fault + " went unnoticed in the statistics of " + c);
        boolean momentsMoved = !momentProblems(c, fault).isEmpty();
        if (!s.isHard()) {
            // Soft posteriors: any change to the log-likelihoods or the descriptors moves S0, S1, S2.
            assertTrue(momentsMoved, fault + " went unnoticed in S0, S1, S2 of " + c);
        }
        // With hard assignment a fault may leave every argmax, hence S0, S1, S2 and the vector, as
        // they were (only the log-likelihood shows it). Whenever the moments moved, the vector must show it.
        if (momentsMoved) {
            assertFalse(vectorProblems(c, fault).isEmpty(), fault + " went unnoticed in the improved vector of " + c);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void everyFaultMovesTheMomentsOfSomeHardAssignmentCase(Fault fault) {
        boolean seen = false;
        for (int[] shape : SHAPES) {
            seen |= !momentProblems(data(shape[0], shape[1], shape[2], Sparsity.hard()), fault).isEmpty();
        }
        assertTrue(seen, fault + " never changed a hard assignment: the hard-assignment cases above prove nothing for it");
    }

    static Stream<Fault> faults() {
        return Stream.of(Fault.values()).filter(f -> f != Fault.NONE);
    }
}
