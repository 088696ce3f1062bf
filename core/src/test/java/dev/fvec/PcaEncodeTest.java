package dev.fvec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fvec.io.NpyArray;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Encoding raw descriptors with a model that carries a PCA projection, on the scalar reference,
 * against the NumPy oracle of {@code PCA.transform} + the form (with and without whitening), from a
 * model exported by scikit-learn.
 */
class PcaEncodeTest {

    static Stream<PcaGolden.Variant> variants() {
        return PcaGolden.variants().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void scalarReferenceMatchesTheOracle(PcaGolden.Variant v) {
        DiagonalGmm model = PcaGolden.model(v.caseName);
        NpyArray x = PcaGolden.descriptors(v.caseName);
        FisherEncoder encoder = v.configure(FisherEncoder.builder(model).kernel(Kernels.scalar())).build();
        float[] got = encoder.encode(x.data(), x.rows());
        double[] expected = v.expected();
        PcaGolden.PROJECTED_REFERENCE.assertClosePowered(expected, got, v.improved ? 0.5 : 0, v.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sift_D32_K8", "sift_D32_K8_whiten"})
    void referenceProjectionIsTheOracleRoundedOnce(String caseName) {
        Projection p = PcaGolden.model(caseName).projection().orElseThrow();
        NpyArray x = PcaGolden.descriptors(caseName);
        double[] expected = PcaGolden.projected(caseName);
        float[] y = new float[x.rows() * p.outputDimension()];
        p.project(x.data(), 0, x.rows(), y, 0);
        for (int i = 0; i < y.length; i++) {
            // The oracle used the float64 model; Java holds it in float32: a few 1e-7 of the row's scale.
            assertEquals(expected[i], y[i], 1e-5 * (1 + Math.abs(expected[i])), "y[" + i + "]");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 255, 256, 257, 300})
    void blocksOfAnySizeGiveTheSameVectorAsStatistics(int n) {
        DiagonalGmm model = PcaGolden.model("sift_D32_K8_whiten");
        NpyArray x = PcaGolden.descriptors("sift_D32_K8_whiten");
        FisherEncoder encoder = FisherEncoder.builder(model).kernel(Kernels.scalar()).form(FisherForm.GIST).build();
        float[] whole = encoder.encode(x.data(), n);
        // The same descriptors accumulated one at a time, from an offset.
        GmmStatistics stats = encoder.newStatistics();
        int din = model.inputDimension();
        for (int i = 0; i < n; i++) {
            encoder.accumulate(x.data(), i * din, 1, stats);
        }
        assertEquals(n, stats.count());
        float[] parts = encoder.encode(stats);
        // The scalar reference adds statistics in double; sums in another order differ in the last bits only.
        for (int i = 0; i < whole.length; i++) {
            assertEquals(whole[i], parts[i], 1e-5f * (1 + Math.abs(whole[i])), "element " + i);
        }
        if (n == 0) {
            assertArrayEquals(new float[encoder.length()], whole);
        }
    }
}
