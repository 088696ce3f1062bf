package dev.fvec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fvec.io.Npy;
import dev.fvec.io.NpyArray;
import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
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

    @Test
    void expectedVectorsAreReadAsFloat64() throws IOException {
        int notFloats = 0;
        for (GoldenCases.Variant v : GoldenCases.variants()) {
            String relative = v.caseName + "/" + v.fileName();
            assertEquals("<f8", Npy.readHeader(GoldenCases.path(relative)).dtype(), relative);
            double[] expected = v.expected();
            float[] viaFloat = GoldenCases.read(relative).data();
            assertEquals(viaFloat.length, expected.length, relative);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(viaFloat[i], (float) expected[i], relative + " element " + i);
                if (expected[i] != viaFloat[i]) {
                    notFloats++;
                }
            }
        }
        // Were they read through float, every value would be a float.
        assertTrue(notFloats > 1000, notFloats + " expected values are not representable as float");
    }
}
