package dev.fvec;

import dev.fvec.io.NpyArray;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The test oracle itself must agree with the golden files, or nothing checked against it means anything. */
class OracleTest {

    static Stream<GoldenCases.Variant> smallVariants() {
        return GoldenCases.variants().stream().filter(v -> v.caseName.startsWith("d_"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("smallVariants")
    void oracleMatchesGolden(GoldenCases.Variant v) {
        DiagonalGmm m = GoldenCases.model(v.caseName);
        NpyArray x = GoldenCases.descriptors(v.caseName);
        double[] got = Oracle.encode(m, x.data(), x.rows(), v.form, v.improved ? 0.5 : 0, v.improved, v.sparsity());
        float[] f = new float[got.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) got[i];
        }
        Tolerances.REFERENCE.assertClose(v.expected(), f, "oracle " + v);
    }
}
