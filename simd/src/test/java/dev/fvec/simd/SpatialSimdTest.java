package dev.fvec.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fvec.DiagonalGmm;
import dev.fvec.FisherEncoder;
import dev.fvec.FisherForm;
import dev.fvec.GmmStatistics;
import dev.fvec.Kernels;
import dev.fvec.SpatialCases;
import dev.fvec.SpatialEncoder;
import dev.fvec.SpatialModel;
import dev.fvec.Sparsity;
import dev.fvec.io.SpatialFiles;
import dev.fvec.spi.KernelProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SIMD kernel on the spatial layout: the NumPy fixtures within the relative L2 of
 * 1e-5, the twin bitwise the vector lanes (the kept-term hook reports the same floats in the same
 * order), and the pyramid {@code 1x1} bitwise the plain vector.
 */
class SpatialSimdTest {

    static Stream<SpatialCases.Variant> variants() {
        return SpatialCases.variants().stream();
    }

    static KernelProvider provider(boolean twin) {
        return SimdKernelProvider.making(twin ? SimdKernel::twin : SimdKernel::vector);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void vectorAndTwinMatchNumpyAndEachOther(SpatialCases.Variant v) {
        SpatialFiles.Image img = SpatialCases.image(v.caseName);
        float[] vector = v.encoder(provider(false)).encode(img.descriptors(), img.positions(), img.count(), img.width(),
                img.height());
        float[] twin = v.encoder(provider(true)).encode(img.descriptors(), img.positions(), img.count(), img.width(),
                img.height());
        double[] expected = v.expected();
        double rel = SpatialCases.relativeL2(expected, vector);
        assertTrue(rel <= 1e-5, v + ": relative L2 error " + rel);
        assertEquals(vector.length, twin.length);
        for (int i = 0; i < vector.length; i++) {
            assertEquals(Float.floatToRawIntBits(vector[i]), Float.floatToRawIntBits(twin[i]), v + " element " + i);
        }
    }

    @Test
    void singleCellIsThePlainVectorBitwiseOnTheSimdKernel() {
        for (String c : SpatialCases.CASES) {
            SpatialFiles.Image img = SpatialCases.image(c);
            DiagonalGmm m = SpatialCases.model(c);
            for (FisherForm form : FisherForm.values()) {
                for (boolean twin : new boolean[] {false, true}) {
                    FisherEncoder plain = FisherEncoder.builder(m).form(form).improved().kernel(provider(twin)).build();
                    float[] want = plain.encode(img.descriptors(), img.count());
                    float[] got = SpatialEncoder.builder(plain).pyramid("1x1").build()
                            .encode(img.descriptors(), img.positions(), img.count(), img.width(), img.height());
                    assertEquals(want.length, got.length);
                    for (int i = 0; i < want.length; i++) {
                        assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]),
                                c + " " + form + " twin=" + twin + " element " + i);
                    }
                }
            }
        }
    }

    @Test
    void keptTermsReachTheSinkIncludingScalarFallbacks() {
        SpatialFiles.Image img = SpatialCases.image("mid_K16_D24_N600");
        DiagonalGmm m = SpatialCases.model("mid_K16_D24_N600");
        int d = m.dimension();
        int n = 203;
        float[] x = java.util.Arrays.copyOfRange(img.descriptors(), 0, (n + 3) * d);
        x[7 * d + 2] = 1e18f; // beyond the float value limit: descriptor 4 (of the call) goes to the scalar reference
        x[100 * d] = -3e17f;
        for (Sparsity s : new Sparsity[] {Sparsity.none(), Sparsity.VLFEAT, Sparsity.hard()}) {
            SimdKernel kernel = SimdKernel.vector(m, s);
            GmmStatistics stats = GmmStatistics.forModel(m);
            double[] perDescriptor = new double[n];
            double[] perComponent = new double[m.components()];
            int[] terms = {0};
            int[] last = {-1};
            kernel.accumulate(x, 3 * d, n, stats, (i, c, q) -> {
                assertTrue(i >= last[0], "descriptor order: " + i + " after " + last[0]);
                last[0] = i;
                perDescriptor[i] += q;
                perComponent[c] += q;
                terms[0]++;
            });
            assertTrue(kernel.fallbacks() >= 2, "the far descriptors fell back: " + kernel.fallbacks());
            assertEquals(stats.keptTerms(), s.isHard() || s.threshold() > 0 ? terms[0] : stats.keptTerms());
            for (int i = 0; i < n; i++) {
                // Exact posteriors sum to 1; thresholded ones lose at most K x 1e-6.
                assertEquals(1, perDescriptor[i], s.threshold() > 0 ? 1e-4 : 1e-5, s + " descriptor " + i);
            }
            double[] s0 = stats.s0();
            for (int c = 0; c < s0.length; c++) {
                assertEquals(s0[c], perComponent[c], 1e-9 * n, s + " component " + c);
            }
            // The same statistics, bit for bit, as without a sink.
            GmmStatistics plain = GmmStatistics.forModel(m);
            SimdKernel.vector(m, s).accumulate(x, 3 * d, n, plain);
            TwinMatchesVectorProperties.assertBitwiseEqual(plain, stats, s.toString());
        }
    }

    @Test
    void encodingAllocatesNothingOnceWarmOnTheSimdKernel() {
        SpatialFiles.Image img = SpatialCases.image("tiny_K3_D5_N40");
        DiagonalGmm m = SpatialCases.model("tiny_K3_D5_N40");
        FisherEncoder simd = FisherEncoder.builder(m).improved().build();
        assertEquals("simd", simd.implementationName());
        for (String layout : new String[] {"1x1", "1x1,2x2,3x1"}) {
            SpatialEncoder e = SpatialEncoder.builder(simd).pyramid(layout).spatial(SpatialCases.spatialModel("tiny_K3_D5_N40"))
                    .build();
            assertEquals(0, dev.fvec.SpatialEncoderTest.bytesAfterWarmUp(e, img.descriptors(), img.positions(),
                    img.count(), img.width(), img.height()), layout);
        }
    }

    @Test
    void spatialEncoderOnTheDefaultKernelIsCloseToScalar() {
        SpatialFiles.Image img = SpatialCases.image("mid_K16_D24_N600");
        DiagonalGmm m = SpatialCases.model("mid_K16_D24_N600");
        SpatialModel sm = SpatialCases.spatialModel("mid_K16_D24_N600");
        FisherEncoder simd = FisherEncoder.builder(m).improved().build();
        FisherEncoder scalar = FisherEncoder.builder(m).improved().kernel(Kernels.scalar()).build();
        assertEquals("simd", simd.implementationName());
        float[] a = SpatialEncoder.builder(simd).pyramid("1x1,2x2,3x1").spatial(sm).build()
                .encode(img.descriptors(), img.positions(), img.count(), img.width(), img.height());
        float[] b = SpatialEncoder.builder(scalar).pyramid("1x1,2x2,3x1").spatial(sm).build()
                .encode(img.descriptors(), img.positions(), img.count(), img.width(), img.height());
        double[] bd = new double[b.length];
        for (int i = 0; i < b.length; i++) {
            bd[i] = b[i];
        }
        assertTrue(SpatialCases.relativeL2(bd, a) <= 1e-5);
    }
}
