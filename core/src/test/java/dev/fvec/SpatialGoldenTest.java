package dev.fvec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fvec.io.SpatialFiles;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The scalar reference and the Java oracle against the NumPy float64 spatial fixtures. */
class SpatialGoldenTest {

    static Stream<SpatialCases.Variant> variants() {
        return SpatialCases.variants().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void scalarMatchesNumpy(SpatialCases.Variant v) {
        SpatialFiles.Image img = SpatialCases.image(v.caseName);
        SpatialEncoder enc = v.encoder(Kernels.scalar());
        float[] got = enc.encode(img.descriptors(), img.positions(), img.count(), img.width(), img.height());
        double[] expected = v.expected();
        assertEquals(expected.length, got.length, "length");
        Tolerances.REFERENCE.assertClose(expected, got, v.toString());
        double rel = SpatialCases.relativeL2(expected, got);
        assertTrue(rel <= 1e-6, v + ": relative L2 error " + rel);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void javaOracleMatchesNumpy(SpatialCases.Variant v) {
        // Two independent transcriptions of SPEC.md agree: a check on the oracle used for random cases.
        SpatialFiles.Image img = SpatialCases.image(v.caseName);
        DiagonalGmm m = SpatialCases.model(v.caseName);
        PyramidLayout layout = PyramidLayout.parse(v.layout);
        int[][] grids = new int[layout.grids()][];
        for (int g = 0; g < grids.length; g++) {
            grids[g] = new int[] {layout.rows(g), layout.columns(g)};
        }
        SpatialModel sm = v.spatial.equals("plain") ? null
                : v.spatial.equals("uniform") ? SpatialModel.uniform(m.components()) : SpatialCases.spatialModel(v.caseName);
        double[] got = SpatialOracle.encode(m, img.descriptors(), img.positions(), img.count(), img.width(), img.height(),
                grids, sm == null ? null : sm.means(), sm == null ? null : sm.variances(), v.form, v.improved ? 0.5 : 0,
                v.improved, v.hard ? Sparsity.hard() : v.form.defaultSparsity());
        double[] expected = v.expected();
        assertEquals(expected.length, got.length);
        for (int i = 0; i < got.length; i++) {
            assertEquals(expected[i], got[i], 1e-9 * (1 + Math.abs(expected[i])), v + " element " + i);
        }
    }
}
