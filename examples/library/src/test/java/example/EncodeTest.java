package example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fvec.DiagonalGmm;
import dev.fvec.FisherEncoder;
import org.junit.jupiter.api.Test;

class EncodeTest {

    @Test
    void encodesWithTheSimdKernel() {
        // K = 2 components in D = 1: weights, means (K x D), variances (K x D).
        DiagonalGmm gmm = DiagonalGmm.of(new float[] {0.5f, 0.5f}, new float[] {0f, 10f}, new float[] {1f, 1f});
        FisherEncoder encoder = FisherEncoder.builder(gmm).improved().build();
        float[] fv = encoder.encode(new float[] {0f, 10f}, 2);
        assertEquals(4, fv.length);  // VLFEAT form: 2 K D
        assertEquals("simd", encoder.implementationName(), "the surefire argLine gives the vector module");
    }
}
