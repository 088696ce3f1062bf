package dev.fvec.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fvec.DiagonalGmm;
import dev.fvec.FisherEncoder;
import dev.fvec.PcaGolden;
import dev.fvec.Projection;
import dev.fvec.Sparsity;
import dev.fvec.io.NpyArray;
import dev.fvec.spi.KernelProvider;
import dev.fvec.spi.ProjectionKernel;
import dev.fvec.spi.StatisticsKernel;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SIMD provider on models with a PCA projection (exported from scikit-learn): vector path
 * (kernel and projection) and scalar twins give bitwise the same vectors, at the width this JVM
 * runs, and so does the default auto provider whatever it runs on; and they are within the float
 * tolerance of the NumPy oracle of {@code PCA.transform} + the form.
 */
class PcaSimdGoldenTest {

    /** Kernels and projections on fixed paths. */
    static KernelProvider provider(boolean twin) {
        return new KernelProvider() {
            @Override
            public String name() {
                return "simd";
            }

            @Override
            public String unavailableReason() {
                return null;
            }

            @Override
            public StatisticsKernel create(DiagonalGmm model, Sparsity sparsity) {
                return twin ? SimdKernel.twin(model, sparsity) : SimdKernel.vector(model, sparsity);
            }

            @Override
            public ProjectionKernel createProjection(Projection projection) {
                return new SimdProjection(projection, twin ? SimdProjection.Mode.TWIN : SimdProjection.Mode.VECTOR);
            }
        };
    }

    static Stream<PcaGolden.Variant> variants() {
        return PcaGolden.variants().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void vectorTwinAndAutoAgreeBitwiseAndMatchTheOracle(PcaGolden.Variant v) {
        DiagonalGmm model = PcaGolden.model(v.caseName);
        NpyArray x = PcaGolden.descriptors(v.caseName);
        float[] vector = v.configure(FisherEncoder.builder(model).kernel(provider(false))).build().encode(x.data(), x.rows());
        float[] twin = v.configure(FisherEncoder.builder(model).kernel(provider(true))).build().encode(x.data(), x.rows());
        float[] auto = v.configure(FisherEncoder.builder(model).kernel(new SimdKernelProvider())).build()
                .encode(x.data(), x.rows());
        for (int i = 0; i < vector.length; i++) {
            assertEquals(Float.floatToRawIntBits(vector[i]), Float.floatToRawIntBits(twin[i]), v + ": twin, element " + i);
            assertEquals(Float.floatToRawIntBits(vector[i]), Float.floatToRawIntBits(auto[i]), v + ": auto, element " + i);
        }
        double[] expected = v.expected();
        PcaGolden.FLOAT_PROJECTED.assertClosePowered(expected, vector, v.improved ? 0.5 : 0, v.toString());
    }
}
