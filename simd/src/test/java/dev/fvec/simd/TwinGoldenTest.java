package dev.fvec.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fvec.DiagonalGmm;
import dev.fvec.FisherEncoder;
import dev.fvec.GoldenCases;
import dev.fvec.io.NpyArray;
import dev.fvec.spi.KernelProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * On every golden case x form x normalisation x sparsity, the scalar twin's Fisher vector is
 * bitwise the Vector API kernel's, at the width this JVM runs.
 */
class TwinGoldenTest {

    /** A provider of kernels on fixed lanes, for encoders in tests. */
    static KernelProvider provider(boolean twin) {
        return SimdKernelProvider.making(twin ? SimdKernel::twin : SimdKernel::vector);
    }

    /** The build's 256- and 128-bit runs really run at that width. */
    @Test
    void runsAtTheRequestedWidth() {
        String bits = System.getProperty("fvec.simd.bits");
        if (bits != null && !bits.isEmpty()) {
            assertEquals(Integer.parseInt(bits), VectorLanes.SPECIES.vectorBitSize());
            assertEquals(Integer.parseInt(bits) / 32, VectorLanes.LANES);
        }
    }

    static Stream<GoldenCases.Variant> variants() {
        return GoldenCases.variants().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void twinIsBitwiseTheVectorKernelOnGoldenCases(GoldenCases.Variant v) {
        DiagonalGmm model = GoldenCases.model(v.caseName);
        NpyArray x = GoldenCases.descriptors(v.caseName);
        float[] vector = v.configure(FisherEncoder.builder(model).kernel(provider(false))).build().encode(x.data(), x.rows());
        float[] twin = v.configure(FisherEncoder.builder(model).kernel(provider(true))).build().encode(x.data(), x.rows());
        assertEquals(vector.length, twin.length);
        for (int i = 0; i < vector.length; i++) {
            assertEquals(Float.floatToRawIntBits(vector[i]), Float.floatToRawIntBits(twin[i]),
                    v + ": element " + i + " " + vector[i] + " vs " + twin[i]);
        }
    }
}
