package dev.fvec.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fvec.DiagonalGmm;
import dev.fvec.FisherEncoder;
import dev.fvec.GoldenCases;
import dev.fvec.Kernels;
import dev.fvec.Tolerances;
import dev.fvec.io.NpyArray;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every float64 golden vector (core's test resources: 3 cases x 3 forms x 2 normalisations x 3
 * sparsities) through the <b>default</b> provider, whichever {@link Kernels#provider()} chose: the
 * simd kernel with {@code --add-modules jdk.incubator.vector}, the scalar one in CI's fallback run.
 * {@link KernelSelectionTest} asserts which one that is.
 */
class GoldenDefaultKernelTest {

    static Stream<GoldenCases.Variant> variants() {
        return GoldenCases.variants().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void defaultKernelMatchesGolden(GoldenCases.Variant v) {
        DiagonalGmm model = GoldenCases.model(v.caseName);
        NpyArray x = GoldenCases.descriptors(v.caseName);
        assertEquals(model.dimension(), x.cols(), "descriptor dimension");
        FisherEncoder encoder = v.configure(FisherEncoder.builder(model)).build();
        assertEquals(Kernels.provider().name(), encoder.implementationName());
        float[] got = encoder.encode(x.data(), x.rows());
        double[] expected = v.expected();
        if (encoder.implementationName().equals("scalar")) {
            Tolerances.REFERENCE.assertClose(expected, got, v + " (scalar)");
            return;
        }
        Tolerances.FLOAT_KERNEL.assertClosePowered(expected, got, v.improved ? 0.5 : 0, v + " (simd)");
    }
}
