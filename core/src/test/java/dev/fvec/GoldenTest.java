package dev.fvec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fvec.io.NpyArray;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The scalar reference against every float64 golden vector: 3 cases x 3 forms x 2 normalisations x 3 sparsities. */
class GoldenTest {

    static Stream<GoldenCases.Variant> variants() {
        return GoldenCases.variants().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void scalarReferenceMatchesGolden(GoldenCases.Variant v) {
        DiagonalGmm model = GoldenCases.model(v.caseName);
        NpyArray x = GoldenCases.descriptors(v.caseName);
        assertEquals(model.dimension(), x.cols(), "descriptor dimension");
        FisherEncoder encoder = v.configure(FisherEncoder.builder(model).kernel(Kernels.scalar())).build();
        float[] got = encoder.encode(x.data(), x.rows());
        Tolerances.REFERENCE.assertClose(v.expected(), got, v.toString());
    }
}
